import Foundation
import MFProtocol
import Testing
@testable import MFClient

struct ImportModelTests {
    static func makeDir(users: Int, badLine: Bool = false) throws -> String {
        let dir = "/tmp/mfc-model-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // The interchange layout of docs/scale-out.md: manifest.json + users.csv + items.csv.
        let manifest = ModelFiles(algorithm: "spark-als", k: 2, globalMean: 3.5, users: users, items: 3)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        var u = "id,bias,f0,f1\n"
        for i in 0..<users { u += "\(i),0.1,0.5,-0.25\n" }
        if badLine { u += "99,0.1,nan,1\n" }
        try u.write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        try "1,0,1,2\r\n2,0,1,2\n3,0,1,2".write(toFile: dir + "/items.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func streamsBothSidesInBatches() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let dir = try Self.makeDir(users: 2500)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let client = try await MFClient.connect(path: server.path, timeout: 10)
        let r = try await client.importModel(dir: dir, batch: 1000)
        #expect(r.users == 2500)
        #expect(r.items == 3)
        await client.close()
    }

    @Test func badRowNamesFileAndLine() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let dir = try Self.makeDir(users: 3, badLine: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let client = try await MFClient.connect(path: server.path, timeout: 10)
        await #expect(throws: MFClientError.localFile(path: dir + "/users.csv:5", reason: "expected id, bias and 2 finite factors")) {
            try await client.importModel(dir: dir)
        }
        await client.close()
    }
}
