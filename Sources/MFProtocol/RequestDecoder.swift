import Foundation

/// The outcome of decoding one request line: the id to echo and the request or its error.
public struct DecodedRequest: Sendable, Equatable {
    public var id: RequestID
    public var request: Result<Request, WireError>
    /// The operation the line names, when it names a known one, even if its
    /// parameters failed to decode: the server checks permission before it
    /// tells a peer what is wrong with them.
    public var op: Op?
    /// The request asked for progress lines (`"progress": true`) while it runs.
    public var progress: Bool

    public init(id: RequestID, request: Result<Request, WireError>, op: Op? = nil, progress: Bool = false) {
        self.id = id; self.request = request
        self.op = op ?? (try? request.get())?.op
        self.progress = progress
    }
}

/// Turns one request line (without its `\n`) into a typed request or a precise wire error.
/// Never traps: every byte sequence yields a `DecodedRequest` (or nil for a blank line).
/// Parses with the hand-written `JSONScanner` and decodes through `TreeDecoder`
/// (about 10x faster than Foundation's JSONDecoder; `mfbench decode` times both).
public struct RequestDecoder: Sendable {
    public let maxDepth: Int

    public init(maxDepth: Int = WireProtocol.maxDepth) { self.maxDepth = maxDepth }

    /// Decodes `line`. Returns nil when it holds only whitespace: blank lines get no response.
    public func decode<Bytes: ContiguousBytes>(_ line: Bytes) -> DecodedRequest? { decode(line, hotPath: true) }

    /// `hotPath: false` always takes the general decoder (tests compare the two).
    func decode<Bytes: ContiguousBytes>(_ line: Bytes, hotPath: Bool) -> DecodedRequest? {
        line.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> DecodedRequest? in
            if Self.isBlank(raw) { return nil }
            if let e = LineScan.check(raw, maxDepth: maxDepth) { return DecodedRequest(id: .null, request: .failure(e)) }
            let root: JSONValue
            do throws(WireError) { root = try JSONScanner.parse(raw, maxDepth: maxDepth) } catch {
                return DecodedRequest(id: .null, request: .failure(error))
            }
            guard case .object(let members) = root else {
                return DecodedRequest(id: .null, request: .failure(WireError(.invalidRequest, "a request must be a JSON object")))
            }
            if hotPath, let hot = Self.hotPath(members) { return hot }
            do {
                let env = try Envelope(from: TreeDecoder(root))
                return DecodedRequest(id: env.id, request: env.request, op: env.op, progress: env.progress)
            } catch let e as WireError {
                return DecodedRequest(id: .null, request: .failure(e))
            } catch {
                return DecodedRequest(id: .null, request: .failure(WireError(.invalidRequest, "\(error)")))
            }
        }
    }

    static func isBlank(_ raw: UnsafeRawBufferPointer) -> Bool {
        raw.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 || $0 == 10 }
    }
}

/// The previous decoder, through Foundation's JSONDecoder: kept as the baseline for
/// `mfbench decode` and for differential tests of `RequestDecoder`. Same contract.
public struct FoundationRequestDecoder: @unchecked Sendable {  // JSONDecoder is immutable after init here
    private let decoder = JSONDecoder()
    public let maxDepth: Int

    public init(maxDepth: Int = WireProtocol.maxDepth) { self.maxDepth = maxDepth }

    public func decode<Bytes: ContiguousBytes>(_ line: Bytes) -> DecodedRequest? { decode(line, hotPath: true) }

    /// `hotPath: false` always takes the general decoder (tests compare the two).
    func decode<Bytes: ContiguousBytes>(_ line: Bytes, hotPath: Bool) -> DecodedRequest? {
        line.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> DecodedRequest? in
            if RequestDecoder.isBlank(raw) { return nil }
            if let e = LineScan.check(raw, maxDepth: maxDepth) { return DecodedRequest(id: .null, request: .failure(e)) }
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none)
            do {
                let env = try decoder.decode(Envelope.self, from: data)
                return DecodedRequest(id: env.id, request: env.request, op: env.op, progress: env.progress)
            } catch let e as WireError {
                return DecodedRequest(id: .null, request: .failure(e))
            } catch DecodingError.typeMismatch(_, let ctx) where ctx.codingPath.isEmpty {
                return DecodedRequest(id: .null, request: .failure(WireError(.invalidRequest, "a request must be a JSON object")))
            } catch {
                return DecodedRequest(id: .null, request: .failure(WireError(.invalidJSON, "invalid JSON: \(Self.reason(error))")))
            }
        }
    }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            if let u = ctx.underlyingError { return "\(ctx.debugDescription) \(u.localizedDescription)" }
            return ctx.debugDescription
        }
        return "\(error)"
    }
}

/// The top-level request object: `id`, `op`, `progress`, then the operation's parameters in one pass.
struct Envelope: Decodable {
    var id: RequestID = .null
    var request: Result<Request, WireError>
    var op: Op?
    var progress = false

    /// Members every request may have besides its operation's parameters.
    static let keys: Set<String> = ["id", "op", "progress"]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        let idKey = AnyKey(stringValue: "id")
        if c.contains(idKey) {
            do { id = try c.decode(RequestID.self, forKey: idKey) } catch {
                request = .failure(WireError(.invalidType, "id must be a JSON scalar: string, number, boolean or null", field: "id"))
                return
            }
        }
        let opKey = AnyKey(stringValue: "op")
        guard c.contains(opKey) else {
            request = .failure(WireError(.missingField, "missing field `op`", field: "op")); return
        }
        guard let name = try? c.decode(String.self, forKey: opKey) else {
            request = .failure(WireError(.invalidType, "`op` must be a string", field: "op")); return
        }
        guard let op = Op(rawValue: name) else {
            request = .failure(WireError(.unknownOp, "unknown op \"\(name)\"; send {\"op\":\"hello\"} or see docs/protocol.md", field: "op"))
            return
        }
        self.op = op
        let progressKey = AnyKey(stringValue: "progress")
        if c.contains(progressKey), (try? c.decodeNil(forKey: progressKey)) != true {
            guard let wanted = try? c.decode(Bool.self, forKey: progressKey) else {
                request = .failure(WireError(.invalidType, "`progress` must be a boolean", field: "progress")); return
            }
            progress = wanted
        }
        do {
            request = .success(try Request.decode(op, from: decoder))
        } catch let e as WireError {
            request = .failure(e)
        } catch let e as DecodingError {
            request = .failure(WireDecoding.wireError(e, fallbackField: nil, expected: "valid"))
        } catch {
            request = .failure(WireError(.invalidRequest, "\(error)"))
        }
    }
}
