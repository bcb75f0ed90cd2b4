import Foundation
import MFCore
import Testing
@testable import MFProtocol

/// `JSONText.appendString` copies plain runs in bulk and escapes the rest:
/// every string must come back unchanged through a JSON parser.
@Suite struct JSONTextTests {
    @Test func appendStringRoundTripsThroughAJSONParser() throws {
        let palette: [String] = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{00}", "\u{01}", "\u{1F}", "/", "é", "☃", "😀", "(1995)"]
        var rng = SeededRNG(seed: 7)
        var cases = ["", "\"", "\\\\", "plain title (1995)", "\u{01}lead", "trail\u{1F}"]
        for _ in 0..<300 {
            cases.append(String((0..<Int(rng.next() % 12)).map { _ in palette[Int(rng.next() % UInt64(palette.count))] }.joined()))
        }
        for s in cases {
            var out: [UInt8] = Array("[".utf8)
            JSONText.appendString(s, to: &out)
            out.append(contentsOf: "]".utf8)
            let parsed = try JSONSerialization.jsonObject(with: Data(out)) as? [String]
            #expect(parsed == [s], "\(s.debugDescription) -> \(String(decoding: out, as: UTF8.self))")
            #expect(!out.contains(where: { $0 < 0x20 }), "raw control byte in \(String(decoding: out, as: UTF8.self).debugDescription)")
        }
    }
}
