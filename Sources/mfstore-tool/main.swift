// mfstore-tool: the MFStore crash-test child and store benchmarks.
//
//   mfstore-tool crash-write DB SEED           add ratings forever, one "ack" line per acknowledged write
//   mfstore-tool crash-import DB SEED ROWS     stream-import ROWS ratings (50 "progress" lines, "ack-import"), then crash-write
//   mfstore-tool bench-import DIR ROWS [CSV…]  import throughput into fresh databases; snapshot read time
//   mfstore-tool bench-model DIR USERS ITEMS K save/load time of one model
//   mfstore-tool bench-commit DIR WRITERS N    group-commit throughput of N ratings from WRITERS concurrent tasks
import Foundation
import MFCore
import MFStore

signal(SIGPIPE, SIG_IGN)

/// One unbuffered line on stdout (the crash test reads acks as they happen).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("mfstore-tool: \(message)\n".utf8))
    exit(2)
}

/// Parses a numeric argument or exits with usage status.
func number<T: LosslessStringConvertible>(_ text: String, _ name: String) -> T {
    guard let value = T(text) else { fail("bad \(name): \(text)") }
    return value
}

func seconds(_ d: Duration) -> Double { d.inSeconds }

/// User + system CPU seconds of this process (the machine is shared: wall time alone misleads).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

let args = Array(CommandLine.arguments.dropFirst())
do {
    switch (args.first, args.count) {
    case ("crash-write", 3):
        try await CrashChild.write(db: args[1], seed: number(args[2], "SEED") as Int64)
    case ("crash-import", 4):
        try await CrashChild.importThenWrite(db: args[1], seed: number(args[2], "SEED") as Int64,
                                             rows: number(args[3], "ROWS") as Int)
    case ("bench-import", 3...):
        try await Bench.importThroughput(dir: args[1], rows: number(args[2], "ROWS") as Int, files: Array(args.dropFirst(3)))
    case ("bench-model", 5):
        try await Bench.model(dir: args[1], users: number(args[2], "USERS") as Int, items: number(args[3], "ITEMS") as Int,
                              k: number(args[4], "K") as Int)
    case ("bench-commit", 4):
        try await Bench.groupCommit(dir: args[1], writers: number(args[2], "WRITERS") as Int, total: number(args[3], "N") as Int)
    default:
        fail("usage: see the header of Sources/mfstore-tool/main.swift")
    }
} catch {
    FileHandle.standardError.write(Data("mfstore-tool: \(error)\n".utf8))
    exit(1)
}
