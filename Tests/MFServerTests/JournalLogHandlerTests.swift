import Logging
import Testing
@testable import MFServer

@Suite struct JournalLogHandlerTests {
    @Test func oneLinePerEventWithSortedKeyValues() {
        let line = JournalLogHandler.format(level: .warning, label: "mfd", message: "permission\ndenied",
                                            metadata: ["peer_uid": "1000", "op": "train", "msg": "two words"],
                                            priorityPrefix: false)
        #expect(line == "warning mfd: permission denied msg=\"two words\" op=train peer_uid=1000\n")
    }

    @Test func journaldPrefixCarriesThePriority() {
        let line = JournalLogHandler.format(level: .error, label: "mfd", message: "x", metadata: [:], priorityPrefix: true)
        #expect(line == "<3>error mfd: x\n")
    }

    @Test func logLevelParsing() throws {
        #expect(try Logger.Level.parse("DEBUG", field: "--log-level") == .debug)
        #expect(throws: MFServerError.self) { try Logger.Level.parse("loud", field: "--log-level") }
    }
}
