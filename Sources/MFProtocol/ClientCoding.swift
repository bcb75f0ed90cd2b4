import Foundation

/// Client side: encodes requests and decodes response lines.
public struct RequestEncoder: Sendable {
    public init() {}

    /// `{"id":…,"op":"…",…params}\n`; with `progress`, the request asks for progress lines.
    public func encode<O: WireOperation>(_ operation: O, id: RequestID, progress: Bool = false) throws -> [UInt8] {
        let body = try StreamingJSONEncoder().encode(operation)
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 40)
        out.append(contentsOf: #"{"id":"#.utf8)
        id.write(to: &out)
        out.append(contentsOf: #","op":"#.utf8)
        JSONText.appendString(O.op.rawValue, to: &out)
        if progress { out.append(contentsOf: #","progress":true"#.utf8) }
        // body is "{…}": splice its members after ours.
        if body.count > 2 {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: body.dropFirst())
        } else {
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "\n"))
        return out
    }
}

/// A decoded response line. `result` is the exact bytes of the daemon's result object.
public struct ResponseLine: Sendable, Equatable {
    public var id: RequestID
    public var outcome: Result<[UInt8], WireError>

    private struct Envelope: Decodable {
        var id: RequestID?
        var ok: Bool
        var error: WireError?
    }

    /// Parses a response line (without `\n`).
    public init(_ line: [UInt8]) throws(WireError) {
        let env: Envelope
        do { env = try JSONDecoder().decode(Envelope.self, from: Data(line)) } catch {
            throw WireError(.invalidJSON, "malformed response from the daemon: \(FoundationRequestDecoder.reason(error))")
        }
        id = env.id ?? .null
        if env.ok {
            guard let range = LineScan.topLevelValue("result", in: line) else {
                throw WireError(.invalidJSON, "response has ok=true but no result")
            }
            outcome = .success(Array(line[range]))
        } else {
            outcome = .failure(env.error ?? WireError(.internalError, "response has ok=false but no error"))
        }
    }

    /// Decodes the result as `R`, or throws the daemon's error.
    public func result<R: Decodable>(_ type: R.Type) throws(WireError) -> R {
        switch outcome {
        case .failure(let e): throw e
        case .success(let bytes):
            do { return try JSONDecoder().decode(R.self, from: Data(bytes)) } catch let e as WireError {
                throw e
            } catch {
                throw WireError(.invalidJSON, "unexpected result shape: \(FoundationRequestDecoder.reason(error))")
            }
        }
    }
}
