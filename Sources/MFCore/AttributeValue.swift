/// A user or item attribute: a number (centred and scaled by the model) or a
/// category (one-hot). One type for every layer: the store keeps it, the
/// protocol carries it (MFProtocol adds its JSON form) and the side-information
/// encoder reads it.
public enum AttributeValue: Sendable, Hashable {
    case number(Double)
    /// A category; with the encoder's separator (default "|") a set of categories, e.g. MovieLens genres.
    case category(String)
}
