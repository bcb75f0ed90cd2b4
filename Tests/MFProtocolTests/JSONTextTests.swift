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

    /// Long strings (base64 columns) take the 8-byte skip: escapes, control and non-ASCII
    /// bytes at any offset must still be seen by the writer, the line check and the scanner.
    @Test func longStringsRoundTripWithSpecialBytesAtAnyOffset() throws {
        var rng = SeededRNG(seed: 11)
        let palette: [String] = ["\"", "\\", "\n", "\u{01}", "é", "😀", "/"]
        for _ in 0..<400 {
            var s = String((0..<Int(rng.next() % 70)).map { _ in Character(Unicode.Scalar(UInt8(65 + rng.next() % 26))) })
            for _ in 0..<Int(rng.next() % 3) {
                let at = s.index(s.startIndex, offsetBy: Int(rng.next() % UInt64(s.count + 1)))
                s.insert(contentsOf: palette[Int(rng.next() % UInt64(palette.count))], at: at)
            }
            var out: [UInt8] = Array(#"{"s":"#.utf8)
            JSONText.appendString(s, to: &out)
            out.append(contentsOf: "}".utf8)
            #expect(try JSONSerialization.jsonObject(with: Data(out)) as? [String: String] == ["s": s], "\(s.debugDescription)")
            let parsed = try out.withUnsafeBytes { raw throws(WireError) -> JSONValue in
                if let e = LineScan.check(raw, maxDepth: 8) { throw e }
                return try JSONScanner.parse(raw)
            }
            #expect(parsed == .object([JSONMember(key: "s", value: .string(s))]), "\(s.debugDescription) -> \(parsed)")
        }
    }

    @Test func plainBytesStopsAtTheWordOfTheFirstSpecialByte() {
        var rng = SeededRNG(seed: 12)
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x0A, 0x80, 0xC3, 0xFF]
        for _ in 0..<3000 {
            let n = Int(rng.next() % 40)
            var bytes = (0..<n).map { _ in UInt8(0x20 + rng.next() % 0x5F) }.map { $0 == 0x22 || $0 == 0x5C ? 0x41 : $0 }
            if n > 0, rng.next() % 2 == 0 { bytes[Int(rng.next() % UInt64(n))] = specials[Int(rng.next() % UInt64(specials.count))] }
            let start = Int(rng.next() % UInt64(n + 1))
            let first = bytes[start...].firstIndex { $0 < 0x20 || $0 >= 0x80 || $0 == 0x22 || $0 == 0x5C } ?? n
            let got = bytes.withUnsafeBytes { PlainBytes.skip($0, from: start) }
            #expect(got <= first && first - got < 8 && (got - start) % 8 == 0, "\(bytes) from \(start): \(got)")
        }
    }
}
