import Foundation
import Logging
import MFProtocol
import MFStore
import Testing
@testable import MFServer

/// An import's receipt is stored with its rows: only a committed import has one.
@Suite struct ImportReceiptEngineTests {
    static func importRatings(_ engine: Engine, _ text: String, skipBad: Bool = false) async throws -> (String, Result<ImportCommitResult, any Error>) {
        let begin = try engine.importBegin(ImportBeginRequest(kind: .ratings, format: .csv, skipBad: skipBad, name: "r.csv"))
        _ = try engine.importChunk(ImportChunkRequest(import: begin.import, data: text))
        do { return (begin.import, .success(try await engine.importCommit(begin.import))) } catch { return (begin.import, .failure(error)) }
    }

    @Test func aCommittedImportHasItsAnswerAsReceiptAndAFailedOneNone() async throws {
        let f = try await EngineFixture.make(train: false)
        defer { f.discard() }
        let (token, done) = try await Self.importRatings(f.engine, "userId,movieId,rating\n1,2,3.5\n1,3,x\n2,2,4\n", skipBad: true)
        let answer = try done.get()
        #expect(try await f.engine.importReceipt(token) == answer)
        let (failedToken, failed) = try await Self.importRatings(f.engine, "userId,movieId,rating\n5,6,zz\n")
        #expect(throws: (any Error).self) { try failed.get() }
        await #expect(throws: WireError.self) { try await f.engine.importReceipt(failedToken) }
        await #expect(throws: WireError.self) { try await f.engine.importReceipt("imp-unknown") }
    }

    @Test func theNewestReceiptsAreKept() async throws {
        let f = try await EngineFixture.make(train: false)
        defer { f.discard() }
        var tokens: [String] = []
        for i in 0...Store.importReceiptsKept {
            let (token, done) = try await Self.importRatings(f.engine, "userId,movieId,rating\n\(i + 1),1,4\n")
            _ = try done.get()
            tokens.append(token)
        }
        await #expect(throws: WireError.self) { try await f.engine.importReceipt(tokens[0]) }
        for t in tokens.dropFirst() { #expect(try await f.engine.importReceipt(t).imported == 1) }
    }

    /// A model import's outcome is stored with its model: a restarted engine
    /// still says it committed, and which model it made; one that failed stored
    /// nothing, so the restarted engine does not know it.
    @Test func aCommittedModelImportIsKnownAfterARestartAndAFailedOneIsNot() async throws {
        let f = try await EngineFixture.make(ratings: [RatingTuple(user: 1, item: 1, rating: 4), RatingTuple(user: 2, item: 1, rating: 3)],
                                             train: false)
        defer { f.discard() }
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "receipt-test"))
        let c = Dispatcher.testContext()
        func call(_ line: String) async throws -> [String: Any] { try await ImportSessionOwnershipTests.call(d, c, line) }
        func begin() async throws -> String {
            try #require(ImportSessionOwnershipTests.result(try await call(ImportSessionOwnershipTests.beginModel))["import"] as? String)
        }
        let good = try await begin()
        for side in ["users", "items"] {
            let rows = try await call(#"{"op":"import_model_rows","import":"\#(good)","side":"\#(side)","rows":[[1,0.1,0.5,0.2]]}"#)
            #expect(rows["ok"] as? Bool == true, "\(rows)")
        }
        let committed = ImportSessionOwnershipTests.result(try await call(ImportSessionOwnershipTests.op("import_model_commit", good)))
        let modelID = try #require(committed["model_id"] as? Int, "\(committed)")
        let bad = try await begin()  // no rows: the commit fails on the counts
        let failed = try await call(ImportSessionOwnershipTests.op("import_model_commit", bad))
        #expect(ImportSessionOwnershipTests.error(failed).code == "invalid_model", "\(failed)")
        #expect(try await f.engine.importStatus(bad).state == .failed)

        await f.engine.shutdown()
        let restarted = try await Engine.open(store: f.store, configuration: EngineConfiguration(), logger: Logger(label: "receipt-test"))
        let status = try await restarted.importStatus(good)
        #expect(status.kind == .model && status.state == .committed && status.model?.modelID == Int64(modelID), "\(status)")
        #expect(status.model?.users == 1 && status.model?.items == 1 && status.model?.factors == 2)
        await #expect(throws: WireError.self) { try await restarted.importStatus(bad) }
        do {
            _ = try await restarted.importReceipt(good)
            Issue.record("import_receipt answered for a model import")
        } catch let e as WireError {
            #expect(e.code == .notFound && e.message.contains("import_status"), "\(e)")
        }
        await restarted.shutdown()
    }
}
