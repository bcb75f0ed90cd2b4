import Foundation
import Logging
import MFProtocol
import MFTestSupport
import NIOCore
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
        #expect(!files[0].contains(begin.import.dropFirst(4)), "the file name gives the token away")
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

/// Import and model-import sessions belong to the connection that began them.
@Suite struct ImportSessionOwnershipTests {
    /// A fixture's dispatcher, a session begun on connection `a`, and another connection `b`.
    struct Begun {
        let f: EngineFixture, d: Dispatcher, a: RequestContext, b: RequestContext, token: String
    }

    /// Sends `line` (a begin) on a new connection `a` of a new fixture's dispatcher.
    static func begun(_ line: String, configure: (inout EngineConfiguration) -> Void = { _ in }) async throws -> Begun {
        let f = try await EngineFixture.make(configure: configure)
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "import-test"))
        let a = Dispatcher.testContext()
        let token = try #require(result(try await call(d, a, line))["import"] as? String)
        return Begun(f: f, d: d, a: a, b: Dispatcher.testContext(), token: token)
    }

    /// The reply to `line` on the connection `c` stands for, parsed.
    static func call(_ d: Dispatcher, _ c: RequestContext, _ line: String) async throws -> [String: Any] {
        let text = try #require(try await d.testReply(Array(line.utf8), context: c))
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func result(_ reply: [String: Any]) -> [String: Any] { reply["result"] as? [String: Any] ?? [:] }
    static func error(_ reply: [String: Any]) -> (code: String?, field: String?) {
        let e = reply["error"] as? [String: Any]
        return (e?["code"] as? String, e?["field"] as? String)
    }

    /// Each line, sent on a connection that did not begin the session, gets `not_found` naming `import`.
    static func expectNotFound(_ d: Dispatcher, on c: RequestContext, _ lines: [String]) async throws {
        for line in lines {
            let e = error(try await call(d, c, line))
            #expect(e.code == "not_found" && e.field == "import", "\(line) from another connection: \(e)")
        }
    }

    static let beginImport = #"{"op":"import_begin","kind":"ratings","format":"csv"}"#
    static let beginModel = #"{"op":"import_model_begin","manifest":{"format":"mfd-model-1","algorithm":"x","k":2,"global_mean":3,"users":1,"items":1}}"#
    static func chunk(_ token: String, _ data: String) -> String {
        #"{"op":"import_chunk","import":"\#(token)","data":"\#(data)"}"#
    }
    static func op(_ op: String, _ token: String) -> String { #"{"op":"\#(op)","import":"\#(token)"}"# }

    @Test func anImportAnswersOnlyToTheConnectionThatBeganIt() async throws {
        let s = try await Self.begun(Self.beginImport)
        defer { s.f.discard() }
        try await Self.expectNotFound(s.d, on: s.b, [Self.chunk(s.token, #"userId,movieId,rating\n7,8,4\n"#),
                                                     Self.op("import_commit", s.token), Self.op("import_abort", s.token)])
        let chunk = Self.result(try await Self.call(s.d, s.a, Self.chunk(s.token, #"userId,movieId,rating\n7,8,4\n"#)))
        #expect(chunk["bytes"] as? Int == 28 && chunk["lines"] as? Int == 2, "\(chunk)")
        let commit = Self.result(try await Self.call(s.d, s.a, Self.op("import_commit", s.token)))
        #expect(commit["imported"] as? Int == 1, "\(commit)")
        #expect(try await s.f.store.rating(user: 7, item: 8)?.value == 4)
        try await s.f.engine.loaded()  // the reload after the import, before the store closes
    }

    @Test func aModelImportAnswersOnlyToTheConnectionThatBeganItAndImportAbortEndsIt() async throws {
        let s = try await Self.begun(Self.beginModel)
        defer { s.f.discard() }
        let rows = #"{"op":"import_model_rows","import":"\#(s.token)","side":"users","rows":[[1,0.1,0.5,0.2]]}"#
        try await Self.expectNotFound(s.d, on: s.b, [rows, Self.op("import_model_commit", s.token), Self.op("import_abort", s.token)])
        #expect(Self.result(try await Self.call(s.d, s.a, rows))["users"] as? Int == 1)
        #expect(Self.result(try await Self.call(s.d, s.a, Self.op("import_abort", s.token)))["closed"] as? Bool == true)
        #expect(Self.error(try await Self.call(s.d, s.a, rows)).code == "not_found")
    }

    @Test func closingAConnectionAbortsItsSessionsSoOthersCanBeginAtOnce() async throws {
        let s = try await Self.begun(Self.beginImport) { $0.maxImportSessions = 1 }
        defer { s.f.discard() }
        _ = try await Self.call(s.d, s.a, Self.chunk(s.token, #"userId,movieId,rating\n"#))
        for _ in 0..<2 { _ = try await Self.call(s.d, s.a, Self.beginModel) }
        #expect(entries(spoolDirectory(s.f)).count == 1)
        #expect(Self.error(try await Self.call(s.d, s.b, Self.beginImport)).code == "busy")
        #expect(Self.error(try await Self.call(s.d, s.b, Self.beginModel)).code == "busy")

        s.d.connectionClosed(context: s.a)
        #expect(entries(spoolDirectory(s.f)).isEmpty, "the spool file goes with the session")
        #expect(Self.result(try await Self.call(s.d, s.b, Self.beginImport))["import"] is String)
        #expect(Self.result(try await Self.call(s.d, s.b, Self.beginModel))["import"] is String)
        #expect(Self.error(try await Self.call(s.d, s.a, Self.chunk(s.token, "1,2,3\\n"))).code == "not_found")
    }

    @Test func aCommitRoutedBeforeItsConnectionClosesRunsToItsEnd() async throws {
        let s = try await Self.begun(Self.beginImport)
        defer { s.f.discard() }
        _ = try await Self.call(s.d, s.a, Self.chunk(s.token, #"userId,movieId,rating\n7,8,4\n"#))
        let commit = s.d.handle(line: ByteBuffer(string: Self.op("import_commit", s.token)), context: s.a)
        s.d.connectionClosed(context: s.a)
        guard case .later(let reply) = commit else { Issue.record("import_commit was answered at once"); return }
        #expect(String(buffer: try await reply.get()).contains(#""imported":1"#))
        #expect(try await s.f.store.rating(user: 7, item: 8)?.value == 4)
        try await s.f.engine.loaded()  // the reload after the import, before the store closes
    }

    @Test func aBeginStillQueuedWhenItsConnectionClosesLeavesNoSession() async throws {
        let (f, engine, release) = try await EngineLoadingTests.heldAfterTheModelStage()
        defer { f.discard() }
        let d = Dispatcher(engine: engine, policy: .standard(daemonUID: 0), logger: Logger(label: "import-test"))
        let a = Dispatcher.testContext()
        let queued = d.handle(line: ByteBuffer(string: Self.beginImport), context: a)  // waits for the load
        guard case .later(let reply) = queued else { Issue.record("import_begin ran during the load"); return }
        d.connectionClosed(context: a)
        release.open()
        #expect(String(buffer: try await reply.get()).contains(#""ok":true"#))
        #expect(await eventually { entries(spoolDirectory(f)).isEmpty }, "the session begun after the close was not aborted")
        await engine.shutdown()
    }

    @Test func tokensAre128RandomBitsNotASequence() async throws {
        let s = try await Self.begun(Self.beginImport)
        defer { s.f.discard() }
        var tokens = [s.token]
        for line in [Self.beginImport, Self.beginModel, Self.beginModel] {
            tokens.append(try #require(Self.result(try await Self.call(s.d, s.a, line))["import"] as? String))
        }
        let hex = Set("0123456789abcdef")
        for (n, token) in tokens.enumerated() {
            let prefix = n < 2 ? "imp-" : "mod-"
            let digits = token.dropFirst(prefix.count)
            #expect(token.hasPrefix(prefix) && digits.count == 32 && digits.allSatisfy(hex.contains), "\(token)")
        }
        #expect(Set(tokens).count == tokens.count)
    }
}
