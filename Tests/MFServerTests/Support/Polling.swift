import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A short unique socket path under /tmp.
func uniqueSocketPath(_ tag: String = "s") -> String {
    "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(tag).sock"
}

/// Polls `condition` until it holds or `timeout` passes (for counters with no event to wait on).
func eventually(timeout: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        await Task.yield()
    }
    return true
}
