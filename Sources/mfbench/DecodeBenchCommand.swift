import ArgumentParser
import Foundation
import MFCore
import MFProtocol

/// `mfbench decode`: request-line decoding cost per line, the hand-written
/// `RequestDecoder` against the Foundation JSONDecoder baseline.
struct DecodeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Measure request-line decoding (median, p99 in µs per line).",
        discussion: """
        Decodes typical request lines (recommend, add_rating, add_ratings with --batch \
        tuples, predict) with RequestDecoder and with FoundationRequestDecoder \
        (Foundation's JSONDecoder, the previous implementation) and checks both give \
        the same result before timing.
        """)

    @Option(help: "Timed calls per line kind and decoder.")
    var calls = 20_000
    @Option(help: "Tuples in the add_ratings line.")
    var batch = 100

    var lines: [(String, [UInt8])] {
        let tuples = (0..<batch).map { "[\(1000 + $0),\(31 + $0 * 7),\(Double($0 % 10) / 2 + 0.5)]" }.joined(separator: ",")
        return [
            ("recommend", #"{"id":17,"op":"recommend","user":42,"n":10,"exclude":[1,2,3]}"#),
            ("predict", #"{"id":"p-1","op":"predict","user":42,"item":110}"#),
            ("add_rating", #"{"id":18,"op":"add_rating","user":42,"item":110,"rating":4.5,"timestamp":1700000000}"#),
            ("add_ratings(\(batch))", #"{"id":19,"op":"add_ratings","ratings":[\#(tuples)]}"#),
            ("bad_field", #"{"id":20,"op":"recommend","user":"42"}"#),
        ].map { ($0.0, Array($0.1.utf8)) }
    }

    func run() throws {
        let fast = RequestDecoder(), slow = FoundationRequestDecoder()
        print("line kind            bytes  decoder     median µs  p99 µs")
        for (name, line) in lines {
            let a = fast.decode(line), b = slow.decode(line)
            guard a?.id == b?.id, a?.request.map(\.op) == b?.request.map(\.op),
                  Self.outcome(a) == Self.outcome(b) else {
                throw ValidationError("decoders disagree on \(name): \(String(describing: a)) vs \(String(describing: b))")
            }
            for (label, decode) in [("scanner", { fast.decode(line) }), ("foundation", { slow.decode(line) })] {
                let (med, p99) = measure(decode)
                print(String(format: "%-20@ %5d  %-10@ %9.2f  %7.2f", name as NSString, line.count, label as NSString, med, p99))
            }
        }
    }

    /// Success value, or the error's code and field (messages of JSON syntax errors differ by design).
    static func outcome(_ d: DecodedRequest?) -> String {
        switch d?.request {
        case .success(let r): return "\(r)"
        case .failure(let e): return "\(e.code) \(e.field ?? "-")"
        case nil: return "blank"
        }
    }

    /// Warm-up ≥ 0.3 s, then `calls` timed calls; median and p99 in µs.
    func measure(_ body: () -> DecodedRequest?) -> (Double, Double) {
        let clock = ContinuousClock()
        let warmEnd = clock.now.advanced(by: .milliseconds(300))
        var sink = 0
        while clock.now < warmEnd { if body() != nil { sink += 1 } }
        var t = [Double](repeating: 0, count: calls)
        for c in 0..<calls {
            let d = clock.measure { if body() != nil { sink += 1 } }
            t[c] = d.inMicroseconds
        }
        t.sort()
        if sink < 0 { print(sink) }
        return (t.percentile(0.5), t.percentile(0.99))
    }
}
