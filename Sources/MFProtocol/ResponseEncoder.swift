/// Encodes response lines: `{"id":…,"ok":true,"result":{…}}\n` or `{"id":…,"ok":false,"error":{…}}\n`.
public struct ResponseEncoder: Sendable {
    public init() {}

    /// A success line; if the result cannot be encoded (e.g. a NaN score) an `internal` error line.
    public func success(id: RequestID, _ result: some Encodable) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"id":"#.utf8)
        id.write(to: &out)
        out.append(contentsOf: #","ok":true,"result":"#.utf8)
        do { try StreamingJSONEncoder().encode(result, into: &out) } catch {
            return failure(id: id, WireError(.internalError, "could not encode the result: \(error)"))
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// An error line.
    public func failure(id: RequestID, _ error: WireError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + error.message.utf8.count)
        out.append(contentsOf: #"{"id":"#.utf8)
        id.write(to: &out)
        out.append(contentsOf: #","ok":false,"error":{"code":"#.utf8)
        JSONText.appendString(error.code.rawValue, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        JSONText.appendString(error.message, to: &out)
        if let field = error.field {
            out.append(contentsOf: #","field":"#.utf8)
            JSONText.appendString(field, to: &out)
        }
        out.append(contentsOf: "}}\n".utf8)
        return out
    }

    public func response(id: RequestID, _ outcome: Result<some Encodable, WireError>) -> [UInt8] {
        switch outcome {
        case .success(let r): return success(id: id, r)
        case .failure(let e): return failure(id: id, e)
        }
    }
}
