/// Stable wire error codes. The raw value is what goes on the wire; never rename one.
/// Each code is documented in docs/protocol.md with its meaning and mfctl exit code.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    // Framing and decoding (the request never reached an operation).
    case invalidJSON = "invalid_json"
    case invalidUTF8 = "invalid_utf8"
    case nestingTooDeep = "nesting_too_deep"
    case lineTooLong = "line_too_long"
    case invalidRequest = "invalid_request"
    case unknownOp = "unknown_op"
    case missingField = "missing_field"
    case invalidType = "invalid_type"
    case invalidValue = "invalid_value"
    case unknownField = "unknown_field"
    case invalidRating = "invalid_rating"
    case batchTooLarge = "batch_too_large"
    // Access and limits.
    case permissionDenied = "permission_denied"
    case tooManyConnections = "too_many_connections"
    case busy = "busy"
    case timeout = "timeout"
    case shuttingDown = "shutting_down"
    // Data.
    case unknownUser = "unknown_user"
    case unknownItem = "unknown_item"
    case notFound = "not_found"
    case noModel = "no_model"
    case trainingInProgress = "training_in_progress"
    case importFailed = "import_failed"
    case invalidModel = "invalid_model"
    case storageFailed = "storage_failed"
    case internalError = "internal"

    /// The mfctl exit code for a daemon answer with this code:
    /// 4 for `timeout`, 1 for every other daemon error.
    public var exitCode: Int32 { self == .timeout ? ExitCode.timeout : ExitCode.daemonError }
}

/// mfctl exit codes (documented in docs/protocol.md and docs/mfctl.md).
public enum ExitCode {
    public static let ok: Int32 = 0
    public static let daemonError: Int32 = 1
    public static let usage: Int32 = 2
    public static let unreachable: Int32 = 3
    public static let timeout: Int32 = 4
}

/// MFProtocol's one error type: exactly what goes in a response's `error` object.
public struct WireError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    /// The offending field (`"rating"`, `"ratings[3][2]"`), or file:line for imports.
    public var field: String?

    public init(_ code: ErrorCode, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        field.map { "\(code.rawValue): \(message) (field \($0))" } ?? "\(code.rawValue): \(message)"
    }

    enum CodingKeys: String, CodingKey { case code, message, field }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .code)
        // An unknown code from a newer daemon still decodes, as `internal`, keeping its text.
        code = ErrorCode(rawValue: raw) ?? .internalError
        let text = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        message = code.rawValue == raw ? text : "\(raw): \(text)"
        field = try c.decodeIfPresent(String.self, forKey: .field)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(field, forKey: .field)
    }
}
