import Foundation
import MFProtocol
import Testing
@testable import MFServer

/// An export session belongs to the connection that began it.
@Suite struct ExportSessionOwnershipTests {
    @Test func anotherConnectionCannotUseItAndClosingTheConnectionEndsIt() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings, maxBatch: 5000)
        defer { f.discard() }
        let begin = try await f.engine.exportBegin(ExportBeginRequest(what: .users), connection: 7)
        #expect(begin.export.hasPrefix("exp-") && begin.export.count == 4 + 32)
        await #expect(throws: WireError.self) { try await f.engine.exportNext(ExportNextRequest(export: begin.export, maxRows: 2), connection: 8) }
        #expect(throws: WireError.self) { try f.engine.exportEnd(begin.export, connection: 8) }
        let page = try await f.engine.exportNext(ExportNextRequest(export: begin.export, maxRows: 2), connection: 7)
        #expect(page.rows.count == 2 && !page.done)
        f.engine.connectionClosed(7)
        await #expect(throws: WireError.self) { try await f.engine.exportNext(ExportNextRequest(export: begin.export, maxRows: 2), connection: 7) }
        let other = try await f.engine.exportBegin(ExportBeginRequest(what: .users), connection: 7)
        #expect(other.export != begin.export)
    }
}
