import MFServer
import Testing
@testable import MFDKit

@Suite struct DefaultPathsTests {
    @Test func systemdDirectoriesWin() {
        let env = ["RUNTIME_DIRECTORY": "/run/mfd", "STATE_DIRECTORY": "/var/lib/mfd:/var/lib/other",
                   "XDG_RUNTIME_DIR": "/run/user/1000", "HOME": "/home/a"]
        #expect(DefaultPaths.databasePath(environment: env) == "/var/lib/mfd/mfd.sqlite")
    }

    @Test func handRunFallsBackToXdgThenHome() {
        #expect(DefaultPaths.databasePath(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/h"]) == "/x/data/mfd/mfd.sqlite")
        #expect(DefaultPaths.databasePath(environment: ["HOME": "/h"]) == "/h/.local/share/mfd/mfd.sqlite")
        #expect(DefaultPaths.databasePath(environment: [:]) == "mfd.sqlite")
    }
}

@Suite struct OptionResolutionTests {
    @Test func flagBeatsEnvironmentBeatsDefault() throws {
        let env = ["MFD_MAX": "7"]
        #expect(try OptionResolution.resolve(flag: 3, environment: env, name: "MFD_MAX", parse: { Int($0) }, default: 1) == 3)
        #expect(try OptionResolution.resolve(flag: nil, environment: env, name: "MFD_MAX", parse: { Int($0) }, default: 1) == 7)
        #expect(try OptionResolution.resolve(flag: nil, environment: [:], name: "MFD_MAX", parse: { Int($0) }, default: 1) == 1)
        #expect(try OptionResolution.resolve(flag: nil, environment: ["MFD_MAX": ""], name: "MFD_MAX", parse: { Int($0) }, default: 1) == 1)
    }

    @Test func unparsableEnvironmentNamesTheVariable() {
        #expect(throws: MFServerError.invalidConfiguration(field: "MFD_MAX", message: "cannot parse 'lots'")) {
            try OptionResolution.resolve(flag: nil, environment: ["MFD_MAX": "lots"], name: "MFD_MAX",
                                         parse: { Int($0) }, default: 1)
        }
    }
}
