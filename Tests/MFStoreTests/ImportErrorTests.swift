import Foundation
import Testing
@testable import MFStore

@Suite struct ImportErrorTests {
    /// (name, input, expected line, message fragment)
    static let malformed: [(String, [UInt8], Int, String)] = [
        ("bad number", Array("userId,movieId,rating\n1,2,3\n1,x,3\n".utf8), 3, "bad item id \"x\""),
        ("NaN rating", Array("userId,movieId,rating\n1,2,3\n1,3,nan\n".utf8), 3, "not a finite number"),
        ("infinite rating", Array("1::2::inf::5\n".utf8), 1, "not a finite number"),
        ("out of scale", Array("196\t242\t3\t1\n196\t243\t6\t1\n".utf8), 2, "outside the scale"),
        ("missing column", Array("userId,movieId,rating,timestamp\n1,2,3,4\n1,2\n".utf8), 3, "missing column"),
        ("bad UTF-8", Array("movieId,title,genres\n1,Ok,Drama\n2,Bad ".utf8) + [0xFF, 0xFE] + Array(",Drama\n".utf8), 3,
         "invalid UTF-8 in title"),
        ("bad timestamp", Array("userId,movieId,rating,timestamp\n1,2,3,12x\n".utf8), 2, "bad timestamp"),
        ("unterminated quote", Array("movieId,title,genres\n1,\"Open,Drama\n".utf8), 2, "unterminated quoted field"),
        ("bad genre flag", Array("1|T|d||u|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|2\n".utf8), 1, "must be 0 or 1"),
        ("bad age", Array("1|old|M|tech|1\n".utf8), 1, "bad age"),
    ]

    @Test(arguments: malformed.indices)
    func malformedRowFailsAndWritesNothing(_ index: Int) async throws {
        let (name, input, line, fragment) = Self.malformed[index]
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        _ = try await store.importData(chunked(Array("userId,movieId,rating\n5,6,4\n".utf8), size: 100))
        try await store.upsertItems([ItemRecord(id: 1, title: "Before", genres: ["X"])])
        let before = try await StoreState(store)
        do {
            _ = try await store.importData(chunked(input, size: 5), options: ImportOptions(sourceName: "in.txt"))
            Issue.record("\(name): import succeeded")
        } catch let error as MFStoreError {
            #expect(error.code == "malformed_input", "\(name)")
            #expect(error.message.hasPrefix("in.txt:\(line): "), "\(name): \(error.message)")
            #expect(error.message.contains(fragment), "\(name): \(error.message)")
        }
        #expect(try await StoreState(store) == before, "\(name)")
    }

    @Test func skipBadCountsAndReportsRows() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        var input = "userId,movieId,rating\n"
        for i in 0..<30 { input += i % 2 == 0 ? "1,\(i),4\n" : "1,\(i),bad\n" }
        var options = ImportOptions(skipBad: true)
        options.maxReportedIssues = 3
        let report = try await store.importData(chunked(Array(input.utf8), size: 64), options: options)
        #expect(report.rows == 15)
        #expect(report.skipped == 15)
        #expect(report.issues.map(\.line) == [3, 5, 7])
        #expect(report.issues[0].message == "bad rating \"bad\": not a number")
        #expect(try await store.counts().ratings == 15)
    }

    @Test func customScaleIsApplied() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        var options = ImportOptions()
        options.ratingScale = 1...10
        let report = try await store.importData(chunked(Array("1,2,9.5\n".utf8), size: 64), options: options)
        #expect(report.rows == 1)
    }

    @Test func failingOrCancelledStreamWritesNothing() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        struct Broken: Error {}
        let failing = AsyncThrowingStream<[UInt8], any Error> { c in
            c.yield(Array("userId,movieId,rating\n1,2,3\n".utf8))
            c.finish(throwing: Broken())
        }
        await #expect(throws: MFStoreError.self) { try await store.importData(failing) }
        #expect(try await store.counts() == StoreCounts(ratings: 0, users: 0, items: 0))

        // A stream that never ends, cancelled once its first row is in: aborts, nothing written, and the writer is free again.
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        continuation.yield(Array("userId,movieId,rating\n1,2,3\n".utf8))
        var options = ImportOptions(sourceName: "up.csv")
        options.progressInterval = 1
        let task = Task { try await store.importData(stream, options: options) { _ in startedContinuation.yield() } }
        for await _ in started { break }
        task.cancel()
        await #expect(throws: MFStoreError.importAborted(source: "up.csv", detail: "cancelled")) { try await task.value }
        continuation.finish()
        #expect(try await store.counts().ratings == 0)
        try await store.addRating(Rating(user: 1, item: 1, value: 1))
        #expect(try await store.currentSequence() == 1)
    }

    @Test func unrecognisableOrEmptyInput() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        for input in ["hello world\n", "", "name,colour\nx,y\n"] {
            do {
                _ = try await store.importData(chunked(Array(input.utf8), size: 4))
                Issue.record("accepted \(input)")
            } catch let error as MFStoreError {
                #expect(error.code == "unknown_format")
            }
        }
        await #expect(throws: MFStoreError.unknownFormat(source: "input", detail: "ratings_csv header: no rating column")) {
            try await store.importData(chunked(Array("userId,movieId\n1,2\n".utf8), size: 4),
                                       options: ImportOptions(format: .ratingsCSV))
        }
    }
}
