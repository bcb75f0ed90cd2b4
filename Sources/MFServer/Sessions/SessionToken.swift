/// Tokens of import sessions: a prefix naming the kind and 128 random bits in
/// hex (`imp-` then 32 hex digits), so one token says nothing about another.
enum SessionToken {
    /// `prefix-` and 32 hex digits from the system's random source.
    static func make(_ prefix: String) -> String { prefix + "-" + randomHex() }

    /// 128 random bits as 32 lowercase hex digits.
    static func randomHex() -> String {
        var g = SystemRandomNumberGenerator()
        return hex(g.next()) + hex(g.next())
    }

    private static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
