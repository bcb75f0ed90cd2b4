import Foundation
import Testing
@testable import MFCtlKit

/// An export's files appear under their names only when all of it arrived.
struct StagedFilesTests {
    static func scratch() throws -> String {
        let dir = "/tmp/mfsf-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func names(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func aCommittedExportRenamesEveryFileAndReplacesTheOldOnes() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "old".write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        let staged = StagedFiles()
        try await staged.committing {
            for name in ["users.csv", "items.csv"] {
                let path = staged.stage(dir + "/" + name)
                #expect(path.hasSuffix(".partial"))
                try "new \(name)".write(toFile: path, atomically: false, encoding: .utf8)
            }
            #expect(Self.names(dir) == ["items.csv.partial", "users.csv", "users.csv.partial"])
        }
        #expect(Self.names(dir) == ["items.csv", "users.csv"])
        #expect(try String(contentsOfFile: dir + "/users.csv", encoding: .utf8) == "new users.csv")
    }

    struct LostConnection: Error {}

    @Test func aFailedExportRemovesItsFilesAndLeavesWhatWasThere() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "old".write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        let staged = StagedFiles()
        await #expect(throws: LostConnection.self) {
            try await staged.committing {
                try "half".write(toFile: staged.stage(dir + "/users.csv"), atomically: false, encoding: .utf8)
                try "half".write(toFile: staged.stage(dir + "/part-00000.csv"), atomically: false, encoding: .utf8)
                throw LostConnection()
            }
        }
        #expect(Self.names(dir) == ["users.csv"])
        #expect(try String(contentsOfFile: dir + "/users.csv", encoding: .utf8) == "old")
    }
}
