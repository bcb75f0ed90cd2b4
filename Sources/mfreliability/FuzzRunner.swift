import Foundation
import MFLineClient

/// Counters of one fuzz connection (merged at the end).
struct FuzzTally {
    var inputs = 0, replies = 0, blank = 0, huge = 0, hugeAnswered = 0, hugeSilent = 0
    var unanswered = 0, extra = 0, malformed = 0, unexpectedCloses = 0, writesAcked = 0, crashes = 0
    var byKind: [String: Int] = [:]
    var byCode: [String: Int] = [:]
    var problems: [String] = []

    mutating func merge(_ o: FuzzTally) {
        inputs += o.inputs; replies += o.replies; blank += o.blank; huge += o.huge
        hugeAnswered += o.hugeAnswered; hugeSilent += o.hugeSilent; unanswered += o.unanswered; extra += o.extra
        malformed += o.malformed; unexpectedCloses += o.unexpectedCloses; writesAcked += o.writesAcked; crashes += o.crashes
        byKind.merge(o.byKind, uniquingKeysWith: +)
        byCode.merge(o.byCode, uniquingKeysWith: +)
        problems += o.problems.prefix(max(0, 50 - problems.count))
    }

    mutating func problem(_ p: String) { if problems.count < 50 { problems.append(p) } }
}

/// Drives one connection: batches of generated lines, each batch closed by a
/// sentinel ping whose reply marks where the batch's replies end.
struct FuzzRunner {
    let socket: String
    var generator: FuzzGenerator
    let batch: Int
    var tally = FuzzTally()
    private var client: LineClient?
    private var sentinel = 0

    /// Codes a reply may carry (docs/protocol.md).
    static let knownCodes: Set<String> = [
        "invalid_json", "invalid_utf8", "nesting_too_deep", "line_too_long", "invalid_request", "unknown_op",
        "missing_field", "invalid_type", "invalid_value", "unknown_field", "invalid_rating", "batch_too_large",
        "permission_denied", "busy", "unknown_user", "unknown_item", "not_found", "no_model", "training_in_progress",
    ]

    init(socket: String, generator: FuzzGenerator, batch: Int) {
        self.socket = socket
        self.generator = generator
        self.batch = batch
    }

    mutating func run(inputs: Int) {
        var pending: [FuzzInput] = []
        for _ in 0..<inputs {
            let input = generator.next()
            tally.inputs += 1
            tally.byKind[input.kind, default: 0] += 1
            if input.expect == .tooLong {
                flush(&pending)
                sendHuge(input)
            } else {
                pending.append(input)
                if pending.count >= batch { flush(&pending) }
            }
        }
        flush(&pending)
    }

    private mutating func connection() -> LineClient? {
        if client == nil { client = try? LineClient.connect(path: socket, timeout: 10) }
        if client == nil { tally.crashes += 1; tally.problem("cannot connect to \(socket)") }
        return client
    }

    private mutating func flush(_ pending: inout [FuzzInput]) {
        guard !pending.isEmpty, let c = connection() else { return }
        defer { pending = [] }
        sentinel += 1
        let tag = "sentinel-\(sentinel)"
        var bytes: [UInt8] = []
        for input in pending { bytes += input.bytes; bytes.append(10) }
        bytes += Array("{\"id\":\"\(tag)\",\"op\":\"ping\"}\n".utf8)
        let expected = pending.filter { $0.expect == .reply }
        tally.blank += pending.count - expected.count
        var got = 0
        do {
            try c.send(bytes)
            while true {
                guard let line = try c.readText(timeout: 60) else {
                    tally.unexpectedCloses += 1
                    tally.problem("connection closed inside a batch after \(got) of \(expected.count) replies")
                    client = nil
                    return
                }
                let reply: Reply
                do { reply = try Reply(line) } catch {
                    tally.malformed += 1
                    tally.problem("malformed reply: \(line.prefix(200))")
                    continue
                }
                if reply.object["id"] as? String == tag { break }
                let kind = got < expected.count ? expected[got].kind : "extra"
                got += 1
                check(reply, kind: kind)
            }
        } catch {
            tally.unexpectedCloses += 1
            tally.problem("batch failed: \(error)")
            client = nil
            return
        }
        if got < expected.count {
            tally.unanswered += expected.count - got
            tally.problem("\(expected.count - got) lines unanswered in a batch of \(pending.count)")
        } else if got > expected.count {
            tally.extra += got - expected.count
        }
    }

    private mutating func check(_ reply: Reply, kind: String) {
        tally.replies += 1
        guard let ok = reply.object["ok"] as? Bool else {
            tally.malformed += 1
            tally.problem("reply without ok: \(reply)")
            return
        }
        if ok {
            tally.byCode["ok", default: 0] += 1
            let r = reply.result
            if r["seq"] != nil || r["created"] != nil || r["persisted"] as? Bool == true {
                tally.writesAcked += 1
                tally.problem("\(kind): a write was acknowledged: \(reply)")
            }
            return
        }
        let code = reply.errorCode ?? "<none>"
        tally.byCode[code, default: 0] += 1
        if !Self.knownCodes.contains(code) || (reply.object["error"] as? [String: Any])?["message"] as? String == nil {
            tally.malformed += 1
            tally.problem("\(kind): unexpected error reply: \(reply)")
        }
    }

    /// A line over the limit: `line_too_long`, then the server closes.
    private mutating func sendHuge(_ input: FuzzInput) {
        tally.huge += 1
        guard let c = connection() else { return }
        client = nil  // never reused: the server closes it
        try? c.send(input.bytes + [10])  // fails with EPIPE once the server has closed
        var answered = false
        while let line = try? c.readText(timeout: 60) {
            if let r = try? Reply(line), r.errorCode == "line_too_long" { answered = true; tally.byCode["line_too_long", default: 0] += 1 }
        }
        if answered { tally.hugeAnswered += 1 } else { tally.hugeSilent += 1 }
    }
}
