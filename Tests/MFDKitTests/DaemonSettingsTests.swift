import MFServer
import NIOCore
import Testing
@testable import MFDKit

@Suite struct DaemonSettingsTests {
    static func settings(_ arguments: [String], _ environment: [String: String] = [:]) throws -> DaemonSettings {
        try DaemonSettings(options: DaemonOptions.parse(arguments), environment: environment)
    }

    @Test func partialLineTimeoutFromTheFlagOrTheEnvironment() throws {
        #expect(try Self.settings([]).server.partialLineTimeout == .seconds(30))
        #expect(try Self.settings(["--partial-line-timeout", "0.5"]).server.partialLineTimeout == .milliseconds(500))
        #expect(try Self.settings([], ["MFD_PARTIAL_LINE_TIMEOUT": "2"]).server.partialLineTimeout == .seconds(2))
        #expect(try Self.settings([]).deprecations.isEmpty)
    }

    @Test func theOldNamesStillWorkWithAWarning() throws {
        let flag = try Self.settings(["--idle-timeout", "0.5"])
        #expect(flag.server.partialLineTimeout == .milliseconds(500))
        #expect(flag.deprecations == ["--idle-timeout is deprecated; use --partial-line-timeout"])
        let env = try Self.settings([], ["MFD_IDLE_TIMEOUT": "3"])
        #expect(env.server.partialLineTimeout == .seconds(3))
        #expect(env.deprecations == ["MFD_IDLE_TIMEOUT is deprecated; use MFD_PARTIAL_LINE_TIMEOUT"])
        // The new names win over the old ones.
        let both = try Self.settings(["--partial-line-timeout", "1"], ["MFD_IDLE_TIMEOUT": "3"])
        #expect(both.server.partialLineTimeout == .seconds(1) && both.deprecations.isEmpty)
    }

    @Test func aBadTimeoutNamesTheNewFlag() {
        #expect(throws: MFServerError.invalidConfiguration(field: "--partial-line-timeout", message: "must be a positive number of seconds")) {
            try Self.settings(["--idle-timeout", "0"])
        }
    }
}
