import Foundation

extension LineClient {
    /// Sends one request object (`op`, a fresh numeric `id`, `params`) and returns its parsed reply.
    public func call(_ op: String, _ params: [String: Any] = [:], timeout: Double = 120) throws -> Reply {
        var object = params
        object["op"] = op
        object["id"] = nextRequestID()
        try send(Array(try JSONSerialization.data(withJSONObject: object)) + [10])
        return try reply(timeout: timeout)
    }

    /// Reads and parses the next reply line.
    public func reply(timeout: Double = 120) throws -> Reply {
        guard let line = try readText(timeout: timeout) else { throw LineClientError(.closed, "connection closed before a reply") }
        return try Reply(line)
    }

    /// True for an error reply (`"ok":false` follows the id near the start of the line).
    /// A plain byte search: Foundation's `contains` cost mfbench's client 10% of its CPU.
    public static func isErrorReply(_ reply: ArraySlice<UInt8>) -> Bool {
        let needle = Array(#""ok":false"#.utf8), head = reply.prefix(64 + needle.count)
        guard head.count >= needle.count else { return false }
        return (head.startIndex...(head.endIndex - needle.count)).contains { i in
            head[i..<(i + needle.count)].elementsEqual(needle)
        }
    }
}

/// One parsed reply line.
public struct Reply: CustomStringConvertible, @unchecked Sendable {  // the JSON object is never mutated
    public let raw: String
    public let object: [String: Any]

    public init(_ line: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw LineClientError(.badReply, "reply is not a JSON object: \(line.prefix(200))")
        }
        raw = line
        self.object = object
    }

    public var ok: Bool { object["ok"] as? Bool == true }
    public var result: [String: Any] { object["result"] as? [String: Any] ?? [:] }
    public var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    public var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    public var description: String { String(raw.prefix(300)) }

    /// `result.items` of recommend-like replies, and their `item` IDs.
    public var items: [[String: Any]] { result["items"] as? [[String: Any]] ?? [] }
    public var itemIDs: [Int64] { items.compactMap { ($0["item"] as? NSNumber)?.int64Value } }

    /// The `result` member re-serialized with sorted keys: equal results compare equal.
    public var canonicalResult: String {
        let data = (try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
