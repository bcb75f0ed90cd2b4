import Foundation
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
}
