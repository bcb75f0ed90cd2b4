import Foundation
import Logging
import MFProtocol
import Testing
@testable import MFServer

/// The spool directory of a fixture's engine (the database path with `-spool`).
private func spoolDirectory(_ f: EngineFixture) -> String { f.dir + "/db.sqlite-spool" }

/// Names in `dir`, sorted; empty when it cannot be listed.
private func entries(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
}

/// Permission bits of `path` (not following a symlink).
private func mode(_ path: String) -> mode_t? {
    var st = stat()
    return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : nil
}

/// Import spool files: created private in a private directory, gone with
/// their session, and removed at start when a process left them behind.
@Suite struct ImportSpoolTests {
    @Test func spoolFilesAreCreated0600InAPrivateDirectoryAndGoWithTheirSession() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        let dir = spoolDirectory(f)
        #expect(mode(dir) == 0o700)
        let begin = try f.engine.importBegin(ImportBeginRequest(kind: .ratings, format: .csv))
        let files = entries(dir)
        try #require(files.count == 1, "\(files)")
        var st = stat()
        try #require(lstat(dir + "/" + files[0], &st) == 0)
        // As created: no chunk has been written yet.
        #expect(st.st_size == 0)
        #expect(st.st_mode & S_IFMT == S_IFREG && st.st_mode & 0o7777 == 0o600 && st.st_uid == geteuid())
        _ = try f.engine.importChunk(ImportChunkRequest(import: begin.import, offset: 0, data: "userId,movieId,rating\n"))
        #expect(mode(dir + "/" + files[0]) == 0o600)
        _ = try f.engine.importAbort(begin.import)
        #expect(entries(dir).isEmpty)
    }

    @Test func filesLeftInTheSpoolDirectoryAreRemovedWhenTheEngineStarts() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        await f.engine.shutdown()
        let dir = spoolDirectory(f)
        // What a killed daemon leaves behind: spool files with their bytes.
        let outside = f.dir + "/kept.csv"
        try Data("kept".utf8).write(to: URL(fileURLWithPath: outside))
        try Data(repeating: 65, count: 100_000).write(to: URL(fileURLWithPath: dir + "/import-0123456789abcdef0123456789abcdef"))
        try Data("userId,movieId".utf8).write(to: URL(fileURLWithPath: dir + "/import-partial"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/import-link", withDestinationPath: outside)
        #expect(entries(dir).count == 3)

        let again = try await Engine.open(store: f.store, configuration: EngineConfiguration(), logger: Logger(label: "spool-test"))
        #expect(entries(dir).isEmpty)
        #expect(FileManager.default.contents(atPath: outside) == Data("kept".utf8), "a link's target is not the spool's")
        await again.shutdown()
    }

    @Test func aSpoolDirectoryOthersMayListIsMadePrivateAndOneTheyMayWriteOrALinkIsRefused() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        await f.engine.shutdown()
        let dir = spoolDirectory(f)
        let logger = Logger(label: "spool-test")

        try #require(chmod(dir, 0o755) == 0)
        let repaired = try await Engine.open(store: f.store, configuration: EngineConfiguration(), logger: logger)
        #expect(mode(dir) == 0o700)
        await repaired.shutdown()

        try #require(chmod(dir, 0o777) == 0)
        let writable = MFServerError.directoryUnusable(
            path: dir, reason: "mode 0777 lets others write to it; the import spool directory must be private (0700)")
        await #expect(throws: writable) {
            _ = try await Engine.start(store: f.store, configuration: EngineConfiguration(), logger: logger)
        }
        #expect(mode(dir) == 0o777, "a refused directory is left as it was")

        try #require(rmdir(dir) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir, withDestinationPath: f.dir)
        await #expect(throws: MFServerError.directoryUnusable(path: dir, reason: "exists and is not a directory")) {
            _ = try await Engine.start(store: f.store, configuration: EngineConfiguration(), logger: logger)
        }
        #expect(FileManager.default.fileExists(atPath: f.dir + "/db.sqlite"), "nothing behind the link was removed")
    }
}
