import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A short unique socket path under /tmp (`sun_path` holds 107 bytes).
public func uniqueSocketPath(_ tag: String = "s") -> String {
    "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(tag).sock"
}

/// A fresh private directory under /tmp.
public func scratchDirectory(_ tag: String = "d") throws -> String {
    let dir = "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(tag)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    return dir
}

/// Polls `condition` until it holds or `timeout` passes (for counters with no event to wait on).
public func eventually(timeout: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        await Task.yield()
    }
    return true
}

/// A `Vm…` line of /proc/PID/status (`VmRSS`, `VmHWM`) in KiB.
public func vmKiB(_ pid: pid_t, _ key: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
}
