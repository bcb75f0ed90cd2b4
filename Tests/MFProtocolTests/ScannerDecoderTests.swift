import Foundation
import MFCore
import Testing
@testable import MFProtocol

/// The hand-written scanner + TreeDecoder against Foundation's JSONDecoder (the previous
/// implementation), and its own edge cases.
struct ScannerDecoderTests {
    /// Same id, same request (Equatable) or same error code and field.
    static func same(_ a: DecodedRequest?, _ b: DecodedRequest?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        switch (a.request, b.request) {
        case (.success(let x), .success(let y)): return a.id == b.id && x == y
        case (.failure(let x), .failure(let y)): return a.id == b.id && x.code == y.code && x.field == y.field
        default: return false
        }
    }

    /// Deliberate differences from JSONDecoder, documented in docs/protocol.md:
    /// malformed JSON (a bad escape, a number like `05`, `1E`, `-.5`) is `invalid_json` wherever
    /// it is (JSONDecoder validated strings and numbers lazily and blamed the field it was reading,
    /// or an unknown op/field seen first);
    /// a JSON scalar line is `invalid_request` (JSONDecoder said `invalid_json` for `null`);
    /// of several unknown fields the first in the line is named (JSONDecoder: hash order).
    static func deliberate(_ line: [UInt8], _ a: DecodedRequest?, _ b: DecodedRequest?) -> Bool {
        guard case .failure(let e)? = a?.request else { return false }
        if e.code == .invalidJSON, case .failure? = b?.request { return true }
        if e.code == .invalidJSON, e.message.contains("escape") || e.message.contains("surrogate") { return true }
        if e.code == .invalidRequest, case .failure(let f)? = b?.request, f.code == .invalidJSON { return true }
        if e.code == .unknownField, case .failure(let f)? = b?.request, f.code == .unknownField { return true }
        // An integer parameter written as a fraction or exponent (`1.0`, `1e3`): JSONDecoder takes it, the spec does not.
        if e.code == .invalidType, e.message.contains("integer"), case .success? = b?.request { return true }
        return false
    }

    static func outcome(_ d: DecodedRequest?) -> String {
        switch d?.request {
        case .success(let r): return "ok \(d!.id) \(r)"
        case .failure(let e): return "\(d!.id) \(e.code.rawValue) \(e.field ?? "-")"
        case nil: return "blank"
        }
    }

    /// Same outcome on every fuzz line and thousands of mutations of valid requests.
    @Test func agreesWithFoundationDecoder() {
        var rng = SeededRNG(seed: 7)
        let seeds = RoundTripTests.samples.map { try! RoundTripTests.encode($0.operation, id: .string("r")).dropLast().map { $0 } }
        var lines = seeds + FuzzCorpusTests.corpus.filter { $0.count < 10_000 }
        lines += DecoderErrorTests.cases.map { Array($0.line.utf8) }
        lines += [#"{"op":"recommend","user":1,"exclude":[1,2,]}"#, #"{"op":"ping",,}"#, "[,]", #"{"op":"recommend","user":1e-400}"#,
                  #"{"op":"add_rating","user":1,"item":2,"rating":0e-999}"#, #"{"op":"predict","user":1.0,"item":-0}"#,
                  #"{"op":"predict","user":1.5e1,"item":2e0}"#].map { Array($0.utf8) }
        let alphabet = Array("{}[]\",:0123456789.eE+-tfnul\\ ab".utf8)
        for _ in 0..<5_000 {
            var line = seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !line.isEmpty {
                let at = Int.random(in: 0..<line.count, using: &rng)
                if Bool.random(using: &rng) { line[at] = alphabet.randomElement(using: &rng)! } else { line.remove(at: at) }
            }
            lines.append(line)
        }
        var differences = 0, tolerated = 0
        for line in lines where !line.contains(10) {
            let fast = RequestDecoder().decode(line), slow = FoundationRequestDecoder().decode(line)
            if Self.same(fast, slow) { continue }
            if Self.deliberate(line, fast, slow) { tolerated += 1; continue }
            differences += 1
            if differences <= 10 {
                Issue.record("\(String(decoding: line.prefix(200), as: UTF8.self))\n scanner:    \(Self.outcome(fast))\n foundation: \(Self.outcome(slow))")
            }
        }
        #expect(differences == 0)
        #expect(tolerated < lines.count / 20, "\(tolerated) deliberate differences")
    }

    func decode(_ line: String) -> DecodedRequest? { RequestDecoder().decode(Array(line.utf8)) }

    func error(_ line: String) -> WireError? {
        if case .failure(let e) = decode(line)?.request { return e }
        return nil
    }

    @Test func stringEscapes() throws {
        let d = try #require(decode(#"{"op":"add_item","item":1,"title":"Am\u00e9lie \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"}"#))
        guard case .success(.addItem(let r)) = d.request else { Issue.record("\(d)"); return }
        #expect(r.title == "Amélie 😀 \"q\" \\ / \u{8}\u{C}\n\r\t")
    }

    @Test(arguments: [
        #"{"op":"ping","x":"\ud800"}"#, #"{"op":"ping","x":"\udc00"}"#, #"{"op":"ping","x":"\u12"}"#, #"{"op":"ping","x":"\q"}"#,
        "{\"op\":\"ping\",\"x\":\"a\u{1}b\"}", #"{"op":"recommend","user":01}"#, #"{"op":"recommend","user":-}"#,
        #"{"op":"recommend","user":1.}"#, #"{"op":"recommend","user":.5}"#, #"{"op":"recommend","user":1e}"#,
        #"{"op":"recommend","user":+1}"#, #"{"op":"ping"} x"#,  #"{"op":"ping",,}"#, #"{"op" "ping"}"#, #"{op:"ping"}"#,
        #"{"op":"recommend","user":NaN}"#, #"{"op":"recommend","user":Infinity}"#, #"{"op":tru}"#, #"{"op":"ping""#,
    ])
    func syntaxErrors(_ line: String) throws {
        let e = try #require(error(line))
        #expect(e.code == .invalidJSON, "\(e)")
        #expect(e.message.contains("at byte"), "\(e)")
    }

    @Test func integersAtTheEdges() throws {
        guard case .success(.predict(let p)) = decode(#"{"op":"predict","user":-9223372036854775808,"item":9223372036854775807}"#)?.request else {
            Issue.record("Int64 range must decode"); return
        }
        #expect(p.user == .min && p.item == .max)
        // IDs are integer literals: an integral fraction or exponent (`4.0`, `1e2`) is not one.
        for bad in ["9223372036854775808", "-9223372036854775809", "1e19", "4.5", "1e400", "-1e400", "4.0", "1e2", "2E0", "-0.0"] {
            let e = try #require(error(#"{"op":"predict","user":\#(bad),"item":1}"#))
            #expect(e.code == .invalidType && e.field == "user", "\(bad): \(e)")
        }
    }

    @Test func repeatedKeyFirstWinsAndWhitespaceIsAllowed() throws {
        guard case .success(.recommend(let r)) = decode(" {\t\"op\" : \"recommend\" ,\"user\":1,\r\"user\":2 } ")?.request else {
            Issue.record("expected recommend"); return
        }
        #expect(r.user == 1)
    }

    @Test func nestingIsCappedWithoutRecursionTrouble() throws {
        var line = Array(String(repeating: "[", count: 1_000_000).utf8)
        #expect(RequestDecoder().decode(line).map { Self.outcome($0) } == "null nesting_too_deep -")
        line = Array(("{\"op\":\"ping\",\"x\":" + String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 40) + "}").utf8)
        #expect(RequestDecoder().decode(line).map { Self.outcome($0) } == "null nesting_too_deep -")
        // The scanner enforces the cap by itself too (it is not only LineScan's job).
        let deep = Array(String(repeating: "[", count: 64).utf8) + Array(String(repeating: "]", count: 64).utf8)
        let thrown = deep.withUnsafeBytes { raw -> WireError? in
            do throws(WireError) { _ = try JSONScanner.parse(raw, maxDepth: 32); return nil } catch { return error }
        }
        #expect(thrown?.code == .nestingTooDeep)
    }

    @Test func tenMegabyteLines() throws {
        let big = String(repeating: "x", count: 10 << 20)
        let d = try #require(decode(#"{"id":9,"op":"add_item","item":1,"title":"\#(big)"}"#))
        guard case .success(.addItem(let r)) = d.request else { Issue.record("\(Self.outcome(d))"); return }
        #expect(r.title?.utf8.count == 10 << 20 && d.id == .int(9))
        let numbers = "[" + Array(repeating: "1.5e-3", count: 1 << 20).joined(separator: ",") + "]"
        #expect(error(#"{"op":"ping","x":\#(numbers)}"#)?.code == .unknownField)
    }
}

/// An `id` comes back as the client wrote it.
@Suite struct IDEchoTests {
    static func reply(_ line: String) -> String {
        let d = RequestDecoder().decode(Array(line.utf8))!
        return String(decoding: ResponseEncoder().response(id: d.id, d.request.map { _ in PingResult() }), as: UTF8.self)
    }

    @Test(arguments: ["123456789012345678901234567890", "1.0", "1e2", "-0.50", "1E+2", "9223372036854775807", "\"x\"", "true", "null"])
    func numbersKeepTheirText(_ id: String) {
        #expect(Self.reply(#"{"id":\#(id),"op":"ping"}"#).hasPrefix(#"{"id":\#(id),"ok":true"#))
    }

    @Test func anIDNoClientCouldReadIsRefused() {
        for id in ["1e400", "-1e400", "1e-400"] {
            #expect(Self.reply(#"{"id":\#(id),"op":"ping"}"#).hasPrefix(#"{"id":null,"ok":false,"error":{"code":"invalid_type""#), "\(id)")
        }
    }

    @Test func aNumberIDEqualsTheDoubleItSpells() {
        let d = RequestDecoder().decode(Array(#"{"id":2.50,"op":"ping"}"#.utf8))!
        #expect(d.id == .double(2.5) && d.id.hashValue == RequestID.double(2.5).hashValue)
    }
}
