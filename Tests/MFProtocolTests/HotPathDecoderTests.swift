import Testing
@testable import MFProtocol

/// The hot-path decoder (add_rating, recommend, predict) must give exactly what the
/// general decoder gives, for valid lines and for every near-miss it hands back.
@Suite struct HotPathDecoderTests {
    static let lines: [String] = [
        #"{"op":"add_rating","user":42,"item":110,"rating":4.5}"#,
        #"{"id":7,"op":"add_rating","user":42,"item":110,"rating":4}"#,
        #"{"id":"a","op":"add_rating","user":-3,"item":0,"rating":0.5,"timestamp":1700000000}"#,
        #"{"id":null,"op":"add_rating","user":42,"item":110,"rating":3.5,"timestamp":null}"#,
        #"{"id":true,"op":"add_rating","user":42,"item":110,"rating":1e0}"#,
        #"{"op":"add_rating","user":42.0,"item":110,"rating":4.5}"#,
        #"{"op":"add_rating","user":42,"item":110,"rating":1e400}"#,
        #"{"op":"add_rating","user":42,"item":110,"rating":1e-400}"#,
        #"{"op":"add_rating","user":42,"item":110,"rating":"4"}"#,
        #"{"op":"add_rating","user":42,"item":110}"#,
        #"{"op":"add_rating","user":42,"item":110,"rating":4,"extra":1}"#,
        #"{"op":"add_rating","user":42,"user":43,"item":110,"rating":4}"#,
        #"{"op":"add_rating","user":null,"item":110,"rating":4}"#,
        #"{"op":"add_rating","user":9223372036854775808,"item":110,"rating":4}"#,
        #"{"id":1.5,"op":"add_rating","user":42,"item":110,"rating":4}"#,
        #"{"id":[1],"op":"add_rating","user":42,"item":110,"rating":4}"#,
        #"{"op":"recommend","user":42}"#,
        #"{"id":3,"op":"recommend","user":42,"n":5,"exclude_seen":false,"explain":true}"#,
        #"{"op":"recommend","user":42,"n":null,"exclude_seen":null}"#,
        #"{"op":"recommend","user":42,"n":0}"#,
        #"{"op":"recommend","user":42,"n":1001}"#,
        #"{"op":"recommend","user":42,"n":"5"}"#,
        #"{"op":"recommend","user":42,"exclude":[1,2],"include":[3]}"#,
        #"{"op":"recommend"}"#,
        #"{"op":"predict","user":42,"item":1}"#,
        #"{"op":"predict","user":42}"#,
        #"{"op":"predict","user":42,"item":1,"n":3}"#,
        #"{"op":"ping"}"#,
        #"{"op":7,"user":42}"#,
        #"{"user":42,"item":1}"#,
    ]

    @Test(arguments: lines)
    func hotPathAgreesWithTheGeneralDecoder(line: String) {
        let d = RequestDecoder()
        #expect(d.decode(Array(line.utf8)) == d.decode(Array(line.utf8), hotPath: false))
    }

    /// The plain requests really take the hot path (the test above would pass without it).
    @Test func plainRequestsTakeTheHotPath() throws {
        for line in Self.lines.prefix(5) + [Self.lines[16], Self.lines[17], Self.lines[24]] {
            let root = try Array(line.utf8).withUnsafeBytes { raw in try JSONScanner.parse(raw, maxDepth: 64) }
            guard case .object(let members) = root else { Issue.record("not an object: \(line)"); continue }
            #expect(RequestDecoder.hotPath(members) != nil, "\(line)")
        }
    }
}
