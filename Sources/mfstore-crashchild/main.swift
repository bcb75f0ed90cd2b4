// Child process for the MFStore crash test: writes through MFStore and prints one
// "ack" line per acknowledged write on stdout, until the test SIGKILLs it.
//
// usage: mfstore-crashchild DB write SEED
import Foundation
import MFStore

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))  // unbuffered write(2)
}

let args = CommandLine.arguments
guard args.count == 4, let seed = Int64(args[3]) else {
    FileHandle.standardError.write(Data("usage: mfstore-crashchild DB write|import SEED\n".utf8))
    exit(2)
}
let store = try Store.open(path: args[1])
emit("ready")
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in Int64(0)..<8 {
        group.addTask {
            let user = seed * 100 + worker
            var item: Int64 = 0
            while true {
                item += 1
                let value = Float((user + item) % 10 + 1) / 2
                let seq = try await store.addRating(Rating(user: user, item: item, value: value, timestamp: item))
                emit("ack \(user) \(item) \(value) \(seq)")
            }
        }
    }
    try await group.waitForAll()
}
