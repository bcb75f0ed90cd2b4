import Foundation
import GRDB
import Testing
@testable import MFStore

@Suite struct CrashTests {
    /// A child writing (group commit) or stream-importing is SIGKILLed at random
    /// points, 28 times on one database. After each kill the database opens,
    /// integrity_check is ok, every acknowledged write is present, and every
    /// import is all-or-nothing. Ten imports are killed after 1–25 of their 50
    /// progress reports (sent from inside the import transaction), so at least
    /// half the import is still to come: at least 8 of them must be found
    /// uncommitted, i.e. killed mid-import. Four more are killed after their
    /// acknowledged commit, during the writes that follow.
    @Test func survivesSIGKILLAtRandomPoints() async throws {
        let tool = try CrashChildProcess.toolPath()
        let dir = TempDir()
        defer { dir.cleanup() }
        let db = dir.file("crash.sqlite")
        let importRows = 50_000
        var acked: [(user: Int64, item: Int64, value: Float)] = []
        var importsAcked = 0
        var midImportKills = 0
        let rounds = 28
        for round in 1...rounds {
            let seed = Int64(round)
            let importing = round % 2 == 0
            let arguments = ["store-writer", db, "\(seed)"] + (importing ? ["--import-rows", "\(importRows)"] : [])
            let killAt: CrashChildProcess.KillPoint =
                !importing ? .afterLines(Int.random(in: 2...300))
                : round % 6 == 0 ? .afterAcksFollowingImport(Int.random(in: 1...200))
                : .afterProgress(Int.random(in: 1...25))
            let lines = try await offPool {
                try CrashChildProcess.runAndKill(tool: tool, arguments: arguments, killAt: killAt,
                                                 stderrPath: dir.file("stderr-\(round).txt"))
            }
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
        #expect(midImportKills >= 8, "only \(midImportKills) of 10 import kills landed before the import committed")
        print("crash test: \(rounds) kills, \(midImportKills) mid-import, \(acked.count) acknowledged ratings verified, "
              + "\(importsAcked) imports acknowledged")
    }
}

/// Mirrors `CrashChild.importBaseUser` in mfreliability (executable modules cannot be imported here).
enum CrashImportLayout {
    static func baseUser(seed: Int64) -> Int64 { 1_000_000_000 + seed * 1_000_000 }
}
