import Foundation
@testable import MFStore

/// A unique scratch directory under /tmp, removed by `cleanup()`.
struct TempDir {
    let path: String

    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }.prefix(24)
        path = NSTemporaryDirectory() + "mfstore-\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Opens a fresh store in `dir`.
func makeStore(_ dir: TempDir, options: StoreOptions = StoreOptions()) throws -> Store {
    try Store.open(path: dir.file("mf.sqlite"), options: options)
}

/// Every rating, sorted, for before/after comparisons.
func allRatings(_ store: Store) async throws -> [Rating] {
    let snap = try await store.ratingsSnapshot(includeTimestamps: true)
    return (0..<snap.count).map {
        Rating(user: snap.users[$0], item: snap.items[$0], value: snap.values[$0], timestamp: snap.timestamps![$0])
    }
}
