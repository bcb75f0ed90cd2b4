import Foundation

/// Files an export writes, under a temporary name until the whole export has
/// arrived: `NAME.partial` beside `NAME`. `commit()` renames every one to its
/// name; `discard()` (an export that failed: lost connection, daemon error)
/// removes them. So a file under its own name is always complete, and a
/// `.partial` file left behind is an export that was killed before either ran.
public final class StagedFiles {
    public static let suffix = ".partial"
    /// Final paths, in the order they were staged.
    public private(set) var paths: [String] = []

    public init() {}

    /// The temporary path to write `path`'s bytes to; `path` is renamed from it on `commit()`.
    public func stage(_ path: String) -> String {
        if !paths.contains(path) { paths.append(path) }
        return path + Self.suffix
    }

    /// Renames every staged file to its final name (replacing a file there), in staging order.
    public func commit() throws {
        for path in paths where rename(path + Self.suffix, path) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot rename \(path + Self.suffix) to \(path): \(reason)"])
        }
        paths = []
    }

    /// Removes every staged file not yet renamed; what `commit()` renamed stays.
    public func discard() {
        for path in paths { unlink(path + Self.suffix) }
        paths = []
    }

    /// Runs `body`, then commits; when `body` or the commit throws, discards and rethrows.
    public func committing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            try commit()
            return value
        } catch {
            discard()
            throw error
        }
    }
}
