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

/// The `.npy` layout: three files per side, sent as binary columns in blocks.
struct ImportModelNPYTests {
    /// A model directory with `users` user rows and 3 item rows at k = 2; factor j of row r is r + j/4.
    static func makeDir(users: Int, userShape: [Int]? = nil) throws -> String {
        let dir = "/tmp/mfc-npy-model-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var manifest = ModelFiles(algorithm: "spark-als-explicit", k: 2, globalMean: 3.5, users: users, items: 3)
        manifest.files = .init(users: "user_factors.npy", items: "item_factors.npy")
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        for (base, n, shape) in [("user_factors", users, userShape ?? [users, 2]), ("item_factors", 3, [3, 2])] {
            var f = NPY.header(dtype: .float32, shape: shape), ids = NPY.header(dtype: .int64, shape: [n]), b = NPY.header(dtype: .float32, shape: [n])
            for r in 0..<n {
                NPY.append([Float(r), Float(r) + 0.25], to: &f); NPY.append(Int64(1000 + r), to: &ids); NPY.append([0.5], to: &b)
            }
            try Data(f).write(to: URL(fileURLWithPath: "\(dir)/\(base).npy"))
            try Data(ids).write(to: URL(fileURLWithPath: "\(dir)/\(base)_ids.npy"))
            try Data(b).write(to: URL(fileURLWithPath: "\(dir)/\(base)_biases.npy"))
        }
        return dir
    }

    @Test func streamsEveryRowsBytesInBlocks() async throws {
        let server = try FakeServer()  // max_chunk_bytes 4096: 204 rows of k = 2 per block
        defer { server.stop() }
        let dir = try Self.makeDir(users: 1000)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let client = try await MFClient.connect(path: server.path, timeout: 10)
        var calls = 0
        let r = try await client.importModel(dir: dir) { _, _ in calls += 1 }
        #expect(r.users == 1000 && r.items == 3)
        #expect(calls == 5 + 1, "1000 users in blocks of 204, then the 3 items")
        func rows(_ n: Int) -> [Float] { (0..<n).flatMap { r -> [Float] in [Float(r), Float(r) + 0.25] } }
        let expected: [Float] = rows(1000) + rows(3)
        #expect(server.receivedFactors == expected)
        await client.close()
    }

    @Test func aShapeThatDisagreesWithTheManifestFailsBeforeASessionOpens() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let dir = try Self.makeDir(users: 4, userShape: [4, 3])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let client = try await MFClient.connect(path: server.path, timeout: 10)
        await #expect(throws: MFClientError.localFile(path: dir + "/user_factors.npy", reason: "shape [4, 3]; the manifest's counts and k say [4, 2]")) {
            try await client.importModel(dir: dir)
        }
        #expect(server.receivedFactors.isEmpty)
        await client.close()
    }
}
