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
        out.appendLiteral(#"{"id":"#)
        id.write(to: &out)
        out.appendLiteral(#","ok":true,"result":{"user":"#)
        out.appendText(String(user))
        out.appendLiteral(#","items":["#)
        for (n, item) in items.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            item.writeJSON(to: &out)
        }
        out.appendLiteral(#"],"source":"#)
        JSONText.appendString(source.rawValue, to: &out)
        out.appendLiteral("}}\n")
        return out
    }
}

extension ScoredItem {
    /// `{"item":…,"score":…[,"title":…][,"genres":[…]]}` — Codable's key order, nil keys omitted.
    func writeJSON(to out: inout [UInt8]) {
        out.appendLiteral(#"{"item":"#)
        out.appendText(String(item))
        out.appendLiteral(#","score":"#)
        out.appendText(score.description)
        if let title {
            out.appendLiteral(#","title":"#)
            JSONText.appendString(title, to: &out)
        }
        if let genres {
            out.appendLiteral(#","genres":["#)
            for (n, g) in genres.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(g, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension [UInt8] {
    /// Appends a literal's bytes in one copy (appending a `String.UTF8View` goes byte by byte).
    @inline(__always) mutating func appendLiteral(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8 bytes in one copy.
    @inline(__always) mutating func appendText(_ s: String) {
        var s = s
        s.withUTF8 { append(contentsOf: $0) }
    }
}
