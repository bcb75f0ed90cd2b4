/// One operation's parameters. `Result` is the type of the response's `result`.
/// Decoding (`init(from:)`) throws `WireError` naming the offending field.
public protocol WireOperation: Codable, Sendable, Equatable {
    associatedtype Result: Codable, Sendable, Equatable
    static var op: Op { get }
}

/// Coding keys of an operation without parameters.
enum NoKeys: CodingKey, CaseIterable {
    var stringValue: String { switch self {} }
    var intValue: Int? { nil }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
    static var allCases: [NoKeys] { [] }
}

/// Shared implementation for operations without parameters.
public protocol ParameterlessOperation: WireOperation { init() }

extension ParameterlessOperation {
    public init(from decoder: any Decoder) throws {
        _ = try ParamReader(decoder, NoKeys.self)
        self.init()
    }
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyKey.self)
    }
}
