#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import MFProtocol

/// The engine's private directory for import spool files (mode 0700, owned
/// by the daemon's user). Every file in it is the engine's, so a file found
/// there at start was left by a process that ended without cleaning up
/// (`kill -9`, a crash) and is removed.
struct SpoolDirectory: Sendable {
    let path: String

    /// The directory the engine uses over `store`: `spoolDirectory` when set,
    /// else the database path with `-spool` appended (`mfd.sqlite-spool`).
    static func path(configured: String?, databasePath: String) -> String {
        configured ?? databasePath + "-spool"
    }

    /// Creates `path` (0700) or checks an existing one, then removes the files
    /// left in it. An existing directory must be a directory (not a symlink)
    /// owned by this process's user that neither group nor others can write;
    /// one that others can only read or list is made 0700.
    /// Returns the directory, how many files it removed and whether it fixed the mode.
    static func prepare(_ path: String) throws -> (directory: SpoolDirectory, removed: Int, repairedMode: mode_t?) {
        func unusable(_ reason: String) -> MFServerError { .directoryUnusable(path: path, reason: reason) }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw unusable("cannot create the import spool directory: \(String(cString: strerror(errno)))")
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw unusable(e == ELOOP || e == ENOTDIR ? "exists and is not a directory" : "cannot open: \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw unusable("cannot stat: \(String(cString: strerror(errno)))") }
        guard st.st_uid == geteuid() else {
            throw unusable("owned by uid \(st.st_uid), not by mfd's uid \(geteuid())")
        }
        let mode = st.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            throw unusable("mode \(octal(mode)) lets others write to it; the import spool directory must be private (0700)")
        }
        var repaired: mode_t?
        if mode != 0o700 {
            guard fchmod(fd, 0o700) == 0 else { throw unusable("cannot set mode 0700: \(String(cString: strerror(errno)))") }
            repaired = mode
        }
        let directory = SpoolDirectory(path: path)
        return (directory, try directory.removeFiles(), repaired)
    }

    /// Removes every entry that is not a directory; returns how many.
    private func removeFiles() throws -> Int {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw MFServerError.directoryUnusable(path: path, reason: "cannot list: \(error.localizedDescription)")
        }
        var removed = 0
        for name in names {
            var st = stat()
            let file = path + "/" + name
            guard lstat(file, &st) == 0, st.st_mode & S_IFMT != S_IFDIR else { continue }
            if unlink(file) == 0 { removed += 1 }
        }
        return removed
    }

    /// A new empty spool file with a random name, created mode 0600 in one
    /// step (`O_CREAT | O_EXCL`), open for writing.
    func createFile() throws -> (path: String, handle: FileHandle) {
        while true {
            let file = path + "/import-" + SessionToken.randomHex()
            let fd = open(file, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { return (file, FileHandle(fileDescriptor: fd, closeOnDealloc: true)) }
            guard errno == EEXIST else {
                throw WireError(.storageFailed, "cannot create an import spool file in \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
