/// A decoded result together with the daemon's `result` JSON exactly as it was sent,
/// so `mfctl --json` can print it unchanged (fields this client does not know included).
/// The value's members read through: `reply.imported` is `reply.value.imported`.
@dynamicMemberLookup
public struct RawResult<Value: Sendable>: Sendable {
    /// The typed result.
    public var value: Value
    /// The bytes of the response's `result` member, unchanged.
    public var json: [UInt8]

    public init(value: Value, json: [UInt8]) { self.value = value; self.json = json }

    public subscript<T>(dynamicMember path: KeyPath<Value, T>) -> T { value[keyPath: path] }
}
