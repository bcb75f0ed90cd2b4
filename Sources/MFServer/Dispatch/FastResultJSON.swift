import MFProtocol

/// Results with a hand-written JSON writer for the read hot path. Output is
/// byte-identical to `ResponseEncoder.success` (Codable through
/// `StreamingJSONEncoder`), which costs ~25% of a recommend in generic
/// container dispatch; `FastResultJSONTests` holds the two in step.
protocol FastResultJSON {
    /// The whole success line (with `\n`), or nil to fall back to Codable.
    func successLine(id: RequestID) -> [UInt8]?
}

extension RecommendResult: FastResultJSON {
    func successLine(id: RequestID) -> [UInt8]? {
        guard items.allSatisfy({ $0.because == nil && $0.score.isFinite }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(160 + items.count * 96)
        out.append(contentsOf: #"{"id":"#.utf8)
        id.write(to: &out)
        out.append(contentsOf: #","ok":true,"result":{"user":"#.utf8)
        out.append(contentsOf: String(user).utf8)
        out.append(contentsOf: #","items":["#.utf8)
        for (n, item) in items.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            item.writeJSON(to: &out)
        }
        out.append(contentsOf: #"],"source":"#.utf8)
        JSONText.appendString(source.rawValue, to: &out)
        out.append(contentsOf: "}}\n".utf8)
        return out
    }
}

extension ScoredItem {
    /// `{"item":…,"score":…[,"title":…][,"genres":[…]]}` — Codable's key order, nil keys omitted.
    func writeJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"item":"#.utf8)
        out.append(contentsOf: String(item).utf8)
        out.append(contentsOf: #","score":"#.utf8)
        out.append(contentsOf: score.description.utf8)
        if let title {
            out.append(contentsOf: #","title":"#.utf8)
            JSONText.appendString(title, to: &out)
        }
        if let genres {
            out.append(contentsOf: #","genres":["#.utf8)
            for (n, g) in genres.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(g, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }
}
