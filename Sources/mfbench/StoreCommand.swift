import ArgumentParser
import Foundation
import MFCore
import MFStore

/// `mfbench store`: MFStore's import throughput, snapshot read, model
/// save/load and group commit (scripts/bench-store.sh, on a release build).
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Store benchmarks: import, model, commit.",
        subcommands: [Import.self, Model.self, Commit.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import ROWS synthetic ratings, then each CSV, into fresh databases (3 runs each); snapshot read time.")
        @Argument(help: "Scratch directory.") var dir: String
        @Argument(help: "Synthetic ratings to import.") var rows: Int
        @Argument(help: "More ratings files to import.") var files: [String] = []
        func run() async throws { try await StoreBench.importThroughput(dir: dir, rows: rows, files: files) }
    }

    struct Model: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save and load one USERS × ITEMS × K model.")
        @Argument(help: "Scratch directory.") var dir: String
        @Argument var users: Int
        @Argument var items: Int
        @Argument var k: Int
        func run() async throws { try await StoreBench.model(dir: dir, users: users, items: items, k: k) }
    }

    struct Commit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Group-commit throughput of N ratings from WRITERS concurrent tasks.")
        @Argument(help: "Scratch directory.") var dir: String
        @Argument var writers: Int
        @Argument var n: Int
        func run() async throws { try await StoreBench.groupCommit(dir: dir, writers: writers, total: n) }
    }
}

enum StoreBench {
    /// Writes a synthetic MovieLens-style ratings.csv: 100 ratings per user, items
    /// ascending within a user (like MovieLens), half-star ratings.
    static func synthesize(path: String, rows: Int) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var rng = SystemRandomNumberGenerator()
        var text = "userId,movieId,rating,timestamp\n"
        var i = 0
        while i < rows {
            let user = i / 100 + 1
            var items = Set<Int>()
            while items.count < min(100, rows - i) { items.insert(Int.random(in: 1...20_000, using: &rng)) }
            for item in items.sorted() {
                text += "\(user),\(item),\(Double(Int.random(in: 1...10, using: &rng)) / 2),\(1_000_000_000 + i)\n"
                i += 1
            }
            if text.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        try handle.write(contentsOf: Data(text.utf8))
    }

    static func importThroughput(dir: String, rows: Int, files: [String]) async throws {
        let synthetic = dir + "/synthetic-\(rows).csv"
        try synthesize(path: synthetic, rows: rows)
        for file in [synthetic] + files {
            for run in 1...3 {
                let db = dir + "/import-\(run).sqlite"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
                let store = try Store.open(path: db)
                let clock = ContinuousClock()
                let start = clock.now
                let cpu0 = processCPUSeconds()
                let report = try await store.importFile(path: file)
                let t = (clock.now - start).inSeconds
                let cpu1 = processCPUSeconds()
                let snapStart = clock.now
                let snap = try await store.ratingsSnapshot()
                let s = (clock.now - snapStart).inSeconds
                let cpu2 = processCPUSeconds()
                print(String(format: "import %@ run %d: %d rows in %.3f s wall (%.3f s CPU) = %.0f rows/s wall, %.0f rows/s CPU; "
                             + "snapshot %d rows in %.3f s wall (%.3f s CPU)",
                             (file as NSString).lastPathComponent, run, report.rows, t, cpu1 - cpu0, Double(report.rows) / t,
                             Double(report.rows) / (cpu1 - cpu0), snap.count, s, cpu2 - cpu1))
                try store.close()
            }
        }
    }

    static func model(dir: String, users: Int, items: Int, k: Int) async throws {
        let db = dir + "/model.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        var rng = SystemRandomNumberGenerator()
        func floats(_ n: Int) -> [Float] { (0..<n).map { _ in Float.random(in: -1...1, using: &rng) } }
        let model = ModelRecord(algorithm: "als", sequence: 1, k: k, userIDs: (0..<users).map(Int64.init),
                                itemIDs: (0..<items).map(Int64.init),
                                arrays: ["user_factors": floats(users * k), "item_factors": floats(items * k),
                                         "user_bias": floats(users), "item_bias": floats(items)],
                                scalars: ["global_mean": 3.5])
        let clock = ContinuousClock()
        var store = try Store.open(path: db)
        for run in 1...3 {
            let start = clock.now
            try await store.saveModel(model)
            print(String(format: "save model %d×%d×k%d run %d: %.3f s", users, items, k, run, (clock.now - start).inSeconds))
        }
        try store.close()
        for run in 1...5 {
            let start = clock.now
            store = try Store.open(path: db)
            let opened = clock.now
            let cpu0 = processCPUSeconds()
            let loaded = try await store.loadLatestModel()
            let t = (clock.now - opened).inSeconds
            let cpu = processCPUSeconds() - cpu0
            guard loaded?.arrays["user_factors"] == model.arrays["user_factors"] else { throw ValidationError("the loaded model differs from the saved one") }
            let size = (try? FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
            print(String(format: "load latest model %d×%d×k%d run %d: %.3f s wall (%.3f s CPU); open with quick_check of %.0f MB: %.3f s",
                         users, items, k, run, t, cpu, Double(size) / 1e6, (opened - start).inSeconds))
            try store.close()
        }
    }

    static func groupCommit(dir: String, writers: Int, total: Int) async throws {
        let db = dir + "/commit.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let store = try Store.open(path: db)
        let clock = ContinuousClock()
        let start = clock.now
        let perWriter = total / writers
        let sequences = try await withThrowingTaskGroup(of: Set<Int64>.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var seqs = Set<Int64>()
                    for i in 0..<perWriter {
                        seqs.insert(try await store.addRating(Rating(user: Int64(w), item: Int64(i), value: 3)))
                    }
                    return seqs
                }
            }
            return try await group.reduce(into: Set<Int64>()) { $0.formUnion($1) }
        }
        let t = (clock.now - start).inSeconds
        let n = perWriter * writers
        print(String(format: "group commit: %d ratings from %d writers in %.3f s = %.0f acked writes/s, %d transactions (%.1f rows each)",
                     n, writers, t, Double(n) / t, sequences.count, Double(n) / Double(sequences.count)))
    }
}
