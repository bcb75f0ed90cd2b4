/// The hot operations (`add_rating`, `recommend`, `predict`) read straight from the
/// parsed members, without the Codable machinery (12 % of mfd's CPU per
/// `add_rating` went to it). Only a plain, valid request takes this path: any
/// unknown or repeated key, a number that is not a plain literal of the right
/// kind, a wrong type, a missing field or a value out of range returns nil, and
/// the general decoder then produces the result (and every error) word for word.
/// `HotPathDecoderTests` checks both paths agree.
extension RequestDecoder {
    static func hotPath(_ members: [JSONMember]) -> DecodedRequest? {
        var id = RequestID.null, op: String?
        var fields: [(String, JSONValue)] = []
        fields.reserveCapacity(members.count)
        var seen = Set<String>()
        for m in members {
            guard seen.insert(m.key).inserted else { return nil }
            switch m.key {
            case "id":
                switch m.value {
                case .null: id = .null
                case .bool(let b): id = .bool(b)
                case .number(.int(let v)): id = .int(v)
                case .string(let s): id = .string(s)
                default: return nil
                }
            case "op":
                guard case .string(let s) = m.value else { return nil }
                op = s
            default: fields.append((m.key, m.value))
            }
        }
        let request: Request
        switch op {
        case "add_rating"?:
            var user: Int64?, item: Int64?, rating: Double?, timestamp: Int64?
            for (k, v) in fields {
                switch k {
                case "user": guard let x = int(v) else { return nil }; user = x
                case "item": guard let x = int(v) else { return nil }; item = x
                case "rating": guard let x = double(v) else { return nil }; rating = x
                case "timestamp":
                    if v == .null { continue }
                    guard let x = int(v) else { return nil }; timestamp = x
                default: return nil
                }
            }
            guard let user, let item, let rating else { return nil }
            request = .addRating(AddRatingRequest(user: user, item: item, rating: rating, timestamp: timestamp))
        case "recommend"?:
            var user: Int64?, n = 10, excludeSeen = true, explain = false
            for (k, v) in fields {
                switch k {
                case "user": guard let x = int(v) else { return nil }; user = x
                case "n":
                    if v == .null { continue }
                    guard let x = int(v), x >= 1, x <= Int64(WireProtocol.maxN) else { return nil }; n = Int(x)
                case "exclude_seen":
                    if v == .null { continue }
                    guard case .bool(let b) = v else { return nil }; excludeSeen = b
                case "explain":
                    if v == .null { continue }
                    guard case .bool(let b) = v else { return nil }; explain = b
                default: return nil  // exclude / include lists: the general decoder
                }
            }
            guard let user else { return nil }
            request = .recommend(RecommendRequest(user: user, n: n, excludeSeen: excludeSeen, explain: explain))
        case "predict"?:
            var user: Int64?, item: Int64?
            for (k, v) in fields {
                switch k {
                case "user": guard let x = int(v) else { return nil }; user = x
                case "item": guard let x = int(v) else { return nil }; item = x
                default: return nil
                }
            }
            guard let user, let item else { return nil }
            request = .predict(PredictRequest(user: user, item: item))
        default: return nil
        }
        return DecodedRequest(id: id, request: .success(request))
    }

    /// A plain integer literal that fits Int64.
    private static func int(_ v: JSONValue) -> Int64? {
        if case .number(.int(let x)) = v { return x }
        return nil
    }

    /// A number that is finite as a Double and does not underflow (what the general decoder accepts).
    private static func double(_ v: JSONValue) -> Double? {
        guard case .number(let n) = v else { return nil }
        let d = n.double
        return d.isFinite && !n.underflows ? d : nil
    }
}
