import Foundation
import MFCore
import Testing
@testable import MFProtocol

/// The decoder never traps and always answers, on nasty and random input.
struct FuzzCorpusTests {
    static let corpus: [[UInt8]] = {
        var c: [String] = [
            "{", "}", "[", "]", "\"", "\\", "{\"op\":", "{\"op\":\"ping\"", "{\"op\":\"ping\"}}", "{\"op\":\"ping\"},",
            "{\"op\":\"ping\",}", "{'op':'ping'}", "{\"op\":\"\\u0000\"}", "{\"op\":\"\\ud800\"}", "{\"op\":\"ping\",\"op\":\"status\"}",
            "{\"op\":\"recommend\",\"user\":-0}", "{\"op\":\"recommend\",\"user\":1e18}", "{\"op\":\"recommend\",\"user\":-1e19}",
            "{\"op\":\"add_rating\",\"user\":1,\"item\":1,\"rating\":-Infinity}", "{\"op\":\"add_rating\",\"user\":1,\"item\":1,\"rating\":1e-400}",
            "{\"op\":\"add_rating\",\"user\":1,\"item\":1,\"rating\":" + String(repeating: "9", count: 5000) + "}",
            "{\"id\":" + String(repeating: "1", count: 400) + ",\"op\":\"ping\"}",
            "{\"op\":\"add_ratings\",\"ratings\":[[[[[[[[1]]]]]]]]}", "{\"op\":\"fold_in\",\"user\":1,\"ratings\":[{}]}",
            "{\"op\":\"import_model_rows\",\"import\":\"a\",\"side\":\"users\",\"rows\":[[1,2,1e39]]}",
            "{\"op\":\"export_next\",\"export\":\"a\",\"max_rows\":-9223372036854775808}",
            "null", "true", "\"op\"", "{\"op\":null}", "{\"\":\"\"}", "\u{FEFF}{\"op\":\"ping\"}",
            String(repeating: "{\"a\":", count: 20) + "1" + String(repeating: "}", count: 20),
            String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 50_000),
            "{\"op\":\"ping\",\"x\":\"" + String(repeating: "]", count: 100_000) + "\"}",
        ]
        c.append("{\"op\":\"add_item\",\"item\":1,\"title\":\"" + String(repeating: "é", count: 5_000_000) + "\"}")
        var bytes = c.map { Array($0.utf8) }
        bytes.append([0xFF, 0xFE, 0x00])
        bytes.append(Array("{\"op\":\"ping\"}".utf8) + [0x00])
        bytes.append([UInt8](repeating: 0x80, count: 1000))
        return bytes
    }()

    static func answers(_ line: [UInt8]) -> Bool {
        guard let d = RequestDecoder().decode(line) else { return line.allSatisfy { [9, 10, 13, 32].contains($0) } }
        let response = ResponseEncoder().response(id: d.id, d.request.map { _ in PingResult() })
        return response.last == 10 && (try? ResponseLine(Array(response.dropLast()))) != nil
    }

    @Test func nastyInputs() {
        for (i, line) in Self.corpus.enumerated() {
            #expect(Self.answers(line), "corpus[\(i)]")
        }
    }

    @Test func randomBytesAndMutations() {
        var rng = SeededRNG(seed: 42)
        let seeds = RoundTripTests.samples.map { try! RoundTripTests.encode($0.operation, id: .int(1)).dropLast().map { $0 } }
        let alphabet = Array("{}[]\",:0123456789.eE+-tfnul\\ ab".utf8)
        for round in 0..<20_000 {
            var line: [UInt8]
            switch round % 3 {
            case 0:
                line = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1:
                line = (0..<Int.random(in: 0...64, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            default:
                line = seeds.randomElement(using: &rng)!
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !line.isEmpty {
                    let at = Int.random(in: 0..<line.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: line[at] = alphabet.randomElement(using: &rng)!
                    case 1: line.remove(at: at)
                    default: line.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                    }
                }
            }
            line.removeAll { $0 == 10 }
            if !Self.answers(line) {
                Issue.record("no answer for \(line)")
                return
            }
        }
    }
}
