import Foundation
import MFLineClient

/// Checks a restarted daemon against the writers' ledgers, then makes the
/// ledgers match what is stored (resolving requests that were in flight).
struct CrashVerifier {
    let writers: CrashWriters
    var ackedRequests = 0, ackedRatings = 0, verified = 0
    var lost = 0, torn = 0, sqliteMismatch = 0, integrityFailures = 0
    var inFlightApplied = 0, inFlightNotApplied = 0
    var errorReplies: [String] = []
    var problems: [String] = []

    init(writers: CrashWriters) { self.writers = writers }

    var clean: Bool { lost == 0 && torn == 0 && sqliteMismatch == 0 && integrityFailures == 0 && errorReplies.isEmpty }

    mutating func verify(_ daemon: RelDaemon) throws {
        let integrity = try daemon.sqlite("PRAGMA integrity_check;")
        if integrity != ["ok"] {
            integrityFailures += 1
            problems.append("integrity_check: \(integrity.prefix(5))")
        }
        var direct: [RatingKey: Float] = [:]
        for line in try daemon.sqlite("SELECT user, item, rating FROM ratings WHERE user >= \(writers.userBase);") {
            let f = line.split(separator: ",")
            guard f.count == 3, let u = Int64(f[0]), let i = Int64(f[1]), let r = Float(f[2]) else { continue }
            direct[RatingKey(user: u, item: i)] = r
        }
        let client = try LineClient.connect(path: daemon.socket, timeout: 10)
        for k in writers.ledgers.indices {
            var served: [RatingKey: Float] = [:]
            for user in writers.users(of: k) {
                let r = try client.call("user", ["user": user, "top": 1000])
                guard r.ok else {
                    if r.errorCode != "unknown_user" { problems.append("user \(user): \(r)") }
                    continue
                }
                for row in r.result["top_rated"] as? [[String: Any]] ?? [] {
                    guard let item = (row["item"] as? NSNumber)?.int64Value, let v = (row["rating"] as? NSNumber)?.floatValue else { continue }
                    served[RatingKey(user: user, item: item)] = v
                }
            }
            let mine = Set(writers.users(of: k))
            let stored = direct.filter { mine.contains($0.key.user) }
            if stored != served {
                sqliteMismatch += 1
                problems.append("writer \(k): daemon serves \(served.count) ratings, sqlite holds \(stored.count)")
            }
            writers.ledgers[k].withLock { l in check(&l, stored: stored, writer: k) }
        }
    }

    /// Compares one writer's ledger with what is stored, then adopts the stored state.
    private mutating func check(_ l: inout WriterLedger, stored: [RatingKey: Float], writer k: Int) {
        ackedRequests += l.ackedRequests
        ackedRatings += l.ackedRatings
        l.ackedRequests = 0
        l.ackedRatings = 0
        errorReplies += l.errorReplies
        problems += l.errorReplies.map { "writer \(k) error reply: \($0)" }
        l.errorReplies = []
        var applied = 0, notApplied = 0
        for key in Set(l.acked.keys).union(l.inFlight.keys).union(stored.keys) {
            let have = stored[key], want = l.acked[key], pending = l.inFlight[key]
            if have == want && (pending == nil || pending == want) { verified += have == nil ? 0 : 1; continue }
            if let pending, have == pending { applied += 1; continue }
            if pending != nil, have == want { notApplied += 1; continue }
            lost += 1
            problems.append("writer \(k) \(key.user)/\(key.item): stored \(have.map { "\($0)" } ?? "nothing"), acknowledged \(want.map { "\($0)" } ?? "nothing"), in flight \(pending.map { "\($0)" } ?? "nothing")")
        }
        if applied > 0 && notApplied > 0 {
            torn += 1
            problems.append("writer \(k): in-flight batch half applied (\(applied) applied, \(notApplied) not)")
        }
        if applied > 0 { inFlightApplied += 1 } else if notApplied > 0 { inFlightNotApplied += 1 }
        l.acked = stored
        l.inFlight = [:]
    }
}
