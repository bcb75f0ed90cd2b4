import Foundation
import Testing
@testable import MFStore

/// Permission bits of the database files a store creates.
struct FileModeTests {
    private func mode(_ path: String) -> mode_t? {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o777 : nil
    }

    /// The umask, read without changing it (the process's is shared by all tests).
    private var umaskBits: mode_t {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        return line.flatMap { mode_t($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
    }

    @Test func freshDatabaseInAnExistingDirectoryIsOwnerOnly() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.addRatings([Rating(user: 1, item: 2, value: 4)])
        for suffix in ["", "-wal", "-shm"] {
            #expect(mode(dir.file("mf.sqlite") + suffix) == 0o600, "mf.sqlite\(suffix)")
        }
        try store.close()
    }

    @Test func sharedGroupReadsOnlyWhenTheFileIsItsGroup() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var ours = StoreOptions()
        ours.sharedGroup = getegid()
        let shared = try Store.open(path: dir.file("shared.sqlite"), options: ours)
        try await shared.addRatings([Rating(user: 1, item: 2, value: 4)])
        for suffix in ["", "-wal"] {
            #expect(mode(dir.file("shared.sqlite") + suffix) == 0o640 & ~umaskBits, "shared.sqlite\(suffix)")
        }
        try shared.close()

        var other = StoreOptions()
        other.sharedGroup = getegid() &+ 1  // a group the new file does not get
        let store = try Store.open(path: dir.file("other.sqlite"), options: other)
        #expect(mode(dir.file("other.sqlite")) == 0o600)
        try store.close()
    }

    @Test func existingFileKeepsItsMode() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("mf.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        let store = try Store.open(path: path)
        #expect(mode(path) == 0o644)
        try store.close()
    }

    @Test func backupIsOwnerOnly() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let target = dir.file("backup.sqlite")
        try await store.backup(to: target)
        #expect(mode(target) == 0o600)
        await #expect(throws: MFStoreError.ioError(path: dir.file("none/b.sqlite"), detail: "cannot create: No such file or directory")) {
            try await store.backup(to: dir.file("none/b.sqlite"))
        }
        try store.close()
    }

    @Test func uncreatableDatabaseIsOpenFailed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("none/mf.sqlite")
        #expect(throws: MFStoreError.openFailed(path: path, detail: "cannot create: No such file or directory")) {
            try Store.open(path: path)
        }
    }
}
