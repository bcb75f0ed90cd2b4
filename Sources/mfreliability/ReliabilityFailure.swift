import Foundation

/// A reliability run's failure, with a message for its report.
struct ReliabilityFailure: Error, CustomStringConvertible {
    let description: String
}

/// A value behind a lock, shareable between the reliability commands' threads.
final class LockedBox<Value>: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
