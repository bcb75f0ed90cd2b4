import ArgumentParser
import Foundation
import MFStore

/// `mfreliability store-writer`: the child MFStoreTests' crash test SIGKILLs.
/// Every line is printed only after the write it describes has been
/// acknowledged (committed with synchronous=FULL).
struct StoreWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-writer",
        abstract: "Internal: write ratings to a store until killed, one \"ack\" line per acknowledged write.")

    @Argument(help: "Database file.") var db: String
    @Argument(help: "Seed: writer w rates as user seed·100+w; an import's users start at importBaseUser(seed).") var seed: Int64
    @Option(help: "First stream-import this many ratings (50 \"progress\" lines from inside the transaction, then \"ack-import\").")
    var importRows: Int?

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        if let importRows {
            try await CrashChild.importThenWrite(db: db, seed: seed, rows: importRows)
        } else {
            try await CrashChild.write(db: db, seed: seed)
        }
    }
}

/// One unbuffered line on stdout (the crash test reads acks as they happen).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

enum CrashChild {
    /// 8 concurrent writers; writer w of seed s rates items 1, 2, … as user s·100+w.
    static func write(db: String, seed: Int64) async throws {
        let store = try Store.open(path: db)
        emit("ready")
        try await writeForever(store, seed: seed)
    }

    static func writeForever(_ store: Store, seed: Int64) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in Int64(0)..<8 {
                group.addTask {
                    let user = seed * 100 + worker
                    var item: Int64 = 0
                    while true {
                        item += 1
                        let value = expectedValue(user: user, item: item)
                        let seq = try await store.addRating(Rating(user: user, item: item, value: value, timestamp: item))
                        emit("ack \(user) \(item) \(value) \(seq)")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    static func expectedValue(user: Int64, item: Int64) -> Float { Float((user + item) % 10 + 1) / 2 }

    /// First user ID of the import of `seed` (100 ratings per user).
    static func importBaseUser(seed: Int64) -> Int64 { 1_000_000_000 + seed * 1_000_000 }

    /// Stream-imports `rows` generated ratings, printing "progress N" every rows/50 rows
    /// (and at the end) from inside the import transaction, where the crash test kills
    /// it; then "ack-import" once it committed; then writes forever.
    static func importThenWrite(db: String, seed: Int64, rows: Int) async throws {
        let store = try Store.open(path: db)
        emit("ready")
        let base = importBaseUser(seed: seed)
        let generator = CSVGenerator(base: base, rows: rows)
        let chunks = AsyncStream<[UInt8]> { generator.nextChunk() }
        var options = ImportOptions(sourceName: "crash.csv")
        options.progressInterval = max(1, rows / 50)
        let report = try await store.importData(chunks, options: options) { emit("progress \($0.rows)") }
        emit("ack-import \(report.sequence ?? -1) \(report.rows)")
        try await writeForever(store, seed: seed)
    }
}

/// Generates the crash-import CSV lazily, 5,000 rows per chunk (AsyncStream calls it serially).
final class CSVGenerator: @unchecked Sendable {
    private let base: Int64
    private let rows: Int
    private var next = 0

    init(base: Int64, rows: Int) {
        self.base = base
        self.rows = rows
    }

    func nextChunk() -> [UInt8]? {
        guard next < rows else { return nil }
        var text = next == 0 ? "userId,movieId,rating,timestamp\n" : ""
        for i in next..<min(rows, next + 5000) {
            text += "\(base + Int64(i / 100)),\(i % 100 + 1),\(Double(i % 10) / 2 + 0.5),\(i)\n"
        }
        next += 5000
        return Array(text.utf8)
    }
}
