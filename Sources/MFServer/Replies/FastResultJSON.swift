import MFProtocol

/// Results with a hand-written JSON writer for the read hot path. Output is
/// byte-identical to `ResponseEncoder.success` (Codable through
/// `StreamingJSONEncoder`), which costs ~25% of a recommend in generic
/// container dispatch; `FastResultJSONTests` holds the two in step.
protocol FastResultJSON {
    /// The whole success line (with `\n`), or nil to fall back to Codable.
    func successLine(id: RequestID) -> [UInt8]?
}

/// A recommend result with each item's catalogue JSON already encoded (kept
/// per catalogue entry, see `ItemEntry`), so the reply copies titles and genres
/// instead of escaping them per request. Encodes exactly like `result`.
struct RecommendReply: Encodable, FastResultJSON {
    let result: RecommendResult
    /// Per item, `ScoredItem.catalogueJSON(title:genres:)` of that item's title and genres.
    let catalogueJSON: [[UInt8]]
    /// The catalogue JSON of an item without an entry (no title, no genres).
    static let noCatalogueJSON = ScoredItem.catalogueJSON(title: nil, genres: nil)

    func encode(to encoder: any Encoder) throws { try result.encode(to: encoder) }

    func successLine(id: RequestID) -> [UInt8]? {
        lineTail().map { Self.successLine(id: id, tail: $0) }
    }

    /// The success line from its id and its tail.
    static func successLine(id: RequestID, tail: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(40 + tail.count)
        out.appendLiteral(#"{"id":"#)
        id.write(to: &out)
        out.appendLiteral(#","ok":true,"result":"#)
        out.append(contentsOf: tail)
        return out
    }

    /// The success line after `"result":` (`{"user":…}}` and `\n`), which does not
    /// depend on the request id; nil to fall back to Codable.
    func lineTail() -> [UInt8]? {
        let items = result.items
        guard items.allSatisfy({ $0.because == nil && $0.score.isFinite }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(120 + items.count * 96)
        out.appendLiteral(#"{"user":"#)
        out.appendText(String(result.user))
        out.appendLiteral(#","items":["#)
        for n in items.indices {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            items[n].writeHead(to: &out)
            out.append(contentsOf: catalogueJSON[n])
        }
        out.appendLiteral(#"],"source":"#)
        JSONText.appendString(result.source.rawValue, to: &out)
        out.appendLiteral("}}\n")
        return out
    }
}

extension ScoredItem {
    /// `{"item":…,"score":…` — the part of an item's object that changes per request.
    func writeHead(to out: inout [UInt8]) {
        out.appendLiteral(#"{"item":"#)
        out.appendText(String(item))
        out.appendLiteral(#","score":"#)
        out.appendText(score.description)
    }

    /// `[,"title":…][,"genres":[…]]}` — the rest of an item's object (Codable's
    /// key order, nil keys omitted), which depends only on the catalogue.
    static func catalogueJSON(title: String?, genres: [String]?) -> [UInt8] {
        var out: [UInt8] = []
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
        return out
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
