/// The one error type of MFCore. `code` is stable snake_case and safe to put on the wire.
public enum MFCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No ratings were given where at least one is needed.
    case emptyInput(field: String)
    /// A rating (or another number) is NaN or infinite.
    case nonFiniteValue(field: String, index: Int)
    /// Parallel arrays have different lengths.
    case lengthMismatch(field: String, expected: Int, actual: Int)
    /// An index is negative or not below its count.
    case indexOutOfRange(field: String, index: Int, value: Int, count: Int)
    /// A configuration value is outside its allowed range.
    case invalidConfig(field: String, reason: String)
    /// Model parts are missing an array/scalar or have the wrong size.
    case invalidModelParts(field: String, reason: String)
    /// A vector has the wrong length for this model.
    case dimensionMismatch(field: String, expected: Int, actual: Int)
    /// A side-information attribute has the wrong type or a non-finite value.
    case invalidAttribute(field: String, reason: String)
    /// Training stopped because the epoch callback or the task asked it to.
    case cancelled(epoch: Int)

    /// Stable snake_case code.
    public var code: String {
        switch self {
        case .emptyInput: "empty_input"
        case .nonFiniteValue: "non_finite_value"
        case .lengthMismatch: "length_mismatch"
        case .indexOutOfRange: "index_out_of_range"
        case .invalidConfig: "invalid_config"
        case .invalidModelParts: "invalid_model_parts"
        case .dimensionMismatch: "dimension_mismatch"
        case .cancelled: "cancelled"
        case .invalidAttribute: "invalid_attribute"
        }
    }

    /// The offending field (argument, config key or model part name), if any.
    public var field: String? {
        switch self {
        case .emptyInput(let f), .nonFiniteValue(let f, _), .lengthMismatch(let f, _, _),
             .indexOutOfRange(let f, _, _, _), .invalidConfig(let f, _),
             .invalidModelParts(let f, _), .dimensionMismatch(let f, _, _), .invalidAttribute(let f, _):
            f
        case .cancelled: nil
        }
    }

    /// Human-readable message.
    public var message: String {
        switch self {
        case .emptyInput(let f): "\(f) is empty: at least one rating is needed"
        case .nonFiniteValue(let f, let i): "\(f)[\(i)] is NaN or infinite"
        case .lengthMismatch(let f, let e, let a): "\(f) has \(a) elements, expected \(e)"
        case .indexOutOfRange(let f, let i, let v, let c): "\(f)[\(i)] = \(v) is outside 0..<\(c)"
        case .invalidConfig(let f, let r): "config \(f): \(r)"
        case .invalidModelParts(let f, let r): "model part \(f): \(r)"
        case .dimensionMismatch(let f, let e, let a): "\(f) has length \(a), expected \(e)"
        case .cancelled(let e): "training cancelled after epoch \(e)"
        case .invalidAttribute(let f, let r): "attribute \(f): \(r)"
        }
    }

    public var description: String { "\(code): \(message)" }
}
