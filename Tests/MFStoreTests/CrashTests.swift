import Foundation
import GRDB
import MFCore
import MFTestSupport
import Testing
@testable import MFStore

@Suite struct CrashTests {
    /// Rounds of `survivesSIGKILLAtRandomPoints`: `MFD_CRASH_ROUNDS`, else 12
    /// (`.ci/run` runs the long campaign, 120, as a step of its own).
    static let rounds = ProcessInfo.processInfo.environment["MFD_CRASH_ROUNDS"].flatMap { Int($0) }.map { max($0, 6) } ?? 12
    /// The kill points' seed: `MFD_CRASH_SEED` replays a run; otherwise a fresh one, printed.
    static let seed = ProcessInfo.processInfo.environment["MFD_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)

    /// A child writing (group commit) or stream-importing is SIGKILLed at
    /// seeded random points, `rounds` times on one database. After each kill
    /// the database opens, integrity_check is ok, every acknowledged write is
    /// present, and every import is all-or-nothing. Imports in rounds not
    /// divisible by 6 are killed after 1–25 of their 50 progress reports (sent
    /// from inside the import transaction), so at least half the import is
    /// still to come: at least 4 in 5 of them must be found uncommitted, i.e.
    /// killed mid-import. The others are killed after their acknowledged
    /// commit, during the writes that follow.
    @Test func survivesSIGKILLAtRandomPoints() async throws {
        let (rounds, seed) = (Self.rounds, Self.seed)
        print("crash test: seed \(seed), \(rounds) rounds; replay with MFD_CRASH_SEED=\(seed) MFD_CRASH_ROUNDS=\(rounds) swift test --filter CrashTests")
        var rng = SeededRNG(seed: seed)
        let dir = TempDir()
        defer { dir.cleanup() }
        let db = dir.file("crash.sqlite")
        let importRows = 50_000
        var acked: [(user: Int64, item: Int64, value: Float)] = []
        var importsAcked = 0
        var midImportKills = 0, progressKills = 0
        for round in 1...rounds {
            let seed = Int64(round)
            let importing = round % 2 == 0
            let arguments = ["store-writer", db, "\(seed)"] + (importing ? ["--import-rows", "\(importRows)"] : [])
            let killAt: CrashChildProcess.KillPoint =
                !importing ? .afterLines(Int.random(in: 2...300, using: &rng))
                : round % 6 == 0 ? .afterAcksFollowingImport(Int.random(in: 1...200, using: &rng))
                : .afterProgress(Int.random(in: 1...25, using: &rng))
            if case .afterProgress = killAt { progressKills += 1 }
            let lines = try await offPool { try CrashChildProcess.runAndKill(arguments: arguments, killAt: killAt) }
            var importAcked = false
            for line in lines {
                let parts = line.split(separator: " ")
                if parts.first == "ack", parts.count == 5, let u = Int64(parts[1]), let i = Int64(parts[2]), let v = Float(parts[3]) {
                    acked.append((u, i, v))
                } else if parts.first == "ack-import" {
                    importAcked = true
                    importsAcked += 1
                }
            }
            let progressReports = lines.count { $0.hasPrefix("progress ") }

            let store = try Store.open(path: db)
            #expect(try await store.integrityCheck() == ["ok"], "round \(round)")
            let orphans = try await store.pool.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM ratings WHERE user NOT IN (SELECT id FROM users) OR item NOT IN (SELECT id FROM items)
                    """)
            }
            #expect(orphans == 0, "round \(round): ratings without their user/item row")
            let present = try await store.pool.read { db in
                try Set(Row.fetchAll(db, sql: "SELECT user, item, rating FROM ratings WHERE user < 1000000000").map {
                    "\($0[0] as Int64)/\($0[1] as Int64)/\(Float($0[2] as Double))"
                })
            }
            let missing = acked.filter { !present.contains("\($0.user)/\($0.item)/\($0.value)") }
            #expect(missing.isEmpty, "round \(round): \(missing.count) acknowledged ratings lost, e.g. \(missing.prefix(3))")
            if importing {
                let base = CrashImportLayout.baseUser(seed: seed)
                let count = try await store.pool.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM ratings WHERE user BETWEEN ? AND ?",
                                     arguments: [base, base + 1_000_000 - 1]) ?? -1
                }
                #expect(count == importRows || (!importAcked && count == 0),
                        "round \(round) (\(killAt)): import left \(count) rows (acked: \(importAcked))")
                // Started (a progress report came from inside its transaction) and not committed.
                if count == 0 && progressReports > 0 && !importAcked { midImportKills += 1 }
                if case .afterAcksFollowingImport = killAt { #expect(importAcked && count == importRows, "round \(round)") }
            }
            try store.close()
        }
        #expect(acked.count > 0)
        #expect(midImportKills >= progressKills * 4 / 5,
                "only \(midImportKills) of \(progressKills) import kills landed before the import committed (seed \(Self.seed))")
        print("crash test: \(rounds) kills, \(midImportKills) mid-import, \(acked.count) acknowledged ratings verified, "
              + "\(importsAcked) imports acknowledged (seed \(Self.seed))")
    }
}

/// Mirrors `CrashChild.importBaseUser` in mfreliability (executable modules cannot be imported here).
enum CrashImportLayout {
    static func baseUser(seed: Int64) -> Int64 { 1_000_000_000 + seed * 1_000_000 }
}
