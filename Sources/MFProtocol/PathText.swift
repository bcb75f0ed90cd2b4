/// File-system paths split and joined as text on "/" bytes, by POSIX rules, without
/// touching the file system and without Foundation's `NSString` path methods (which
/// trap on some short paths such as "z" or "a/").
///
/// Only the "/" byte separates; every other byte is kept as it is, so a component
/// that starts with a combining mark is never merged with the slash before it.
public enum PathText {
    private static let slash = UInt8(ascii: "/")

    /// The directory holding `path`'s last component, as `dirname(1)` gives it:
    /// "a/b" → "a", "a/b/" → "a", "a//b" → "a", "b" → ".", ".." → ".", "" → ".",
    /// "/b" → "/", "/" → "/".
    public static func directory(of path: String) -> String {
        let bytes = path.utf8
        var end = trimmingSlashes(bytes, from: bytes.endIndex)
        if end == bytes.startIndex { return path.isEmpty ? "." : "/" }
        while end > bytes.startIndex, bytes[bytes.index(before: end)] != slash { end = bytes.index(before: end) }
        if end == bytes.startIndex { return "." }
        end = trimmingSlashes(bytes, from: end)
        if end == bytes.startIndex { return "/" }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// The last component of `path`, as `basename(1)` gives it: "a/b" → "b",
    /// "a/b/" → "b", "b" → "b", "/" → "/", "" → "".
    public static func lastComponent(of path: String) -> String {
        let bytes = path.utf8
        let end = trimmingSlashes(bytes, from: bytes.endIndex)
        if end == bytes.startIndex { return path.isEmpty ? "" : "/" }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != slash { start = bytes.index(before: start) }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `name` inside `directory`: one "/" between them, none added after a
    /// trailing one; an empty `directory` gives `name` (the working directory).
    public static func appending(_ name: String, to directory: String) -> String {
        if directory.isEmpty { return name }
        return directory.utf8.last == slash ? directory + name : directory + "/" + name
    }

    /// True if `path` can only name a directory: it ends in "/" or its last
    /// component is "." or "..". Such a path cannot be a file's.
    public static func namesDirectory(_ path: String) -> Bool {
        guard !path.isEmpty else { return false }
        if path.utf8.last == slash { return true }
        let last = lastComponent(of: path)
        return last == "." || last == ".."
    }

    /// The index after the last byte before `end` that is not a "/".
    private static func trimmingSlashes(_ bytes: String.UTF8View, from end: String.Index) -> String.Index {
        var end = end
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == slash { end = bytes.index(before: end) }
        return end
    }
}
