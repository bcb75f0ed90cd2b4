import MFCore

/// A user and their side attributes.
public struct UserRecord: Sendable, Hashable {
    public var id: Int64
    public var attributes: [String: AttributeValue]

    public init(id: Int64, attributes: [String: AttributeValue] = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

/// An item with its title, genres and side attributes.
public struct ItemRecord: Sendable, Hashable {
    public var id: Int64
    public var title: String?
    public var genres: [String]
    public var attributes: [String: AttributeValue]

    public init(id: Int64, title: String? = nil, genres: [String] = [], attributes: [String: AttributeValue] = [:]) {
        self.id = id
        self.title = title
        self.genres = genres
        self.attributes = attributes
    }
}
