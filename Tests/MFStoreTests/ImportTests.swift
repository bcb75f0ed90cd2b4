import Foundation
import Testing
@testable import MFStore

@Suite struct ImportTests {
    func importBytes(_ store: Store, _ bytes: [UInt8], _ format: ImportFormat = .auto, chunk: Int = 1 << 16,
                     skipBad: Bool = false) async throws -> ImportReport {
        try await store.importData(chunked(bytes, size: chunk),
                                   options: ImportOptions(format: format, sourceName: "f.txt", skipBad: skipBad))
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func autoDetectsEveryFormat(_ format: ImportFormat) async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let report = try await importBytes(store, Fixtures.bytes(format))
        #expect(report.format == format)
        #expect(report.rows > 0)
    }

    /// Chunk boundaries anywhere (inside CRLF, quotes, "::") give the same result as one chunk.
    @Test(arguments: Fixtures.all.map(\.0))
    func chunkBoundariesDoNotMatter(_ format: ImportFormat) async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let reference = try await {
            let store = try Store.open(path: dir.file("ref.sqlite"))
            _ = try await importBytes(store, Fixtures.bytes(format), format)
            return try await StoreState(store)
        }()
        for size in [1, 2, 3, 7] {
            let store = try Store.open(path: dir.file("c\(size).sqlite"))
            let report = try await importBytes(store, Fixtures.bytes(format), chunk: size)
            #expect(report.bytes == Fixtures.bytes(format).count)
            #expect(try await StoreState(store) == reference)
        }
    }

    @Test func movieLensRatingsCSV() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let report = try await importBytes(store, Array(Fixtures.ratingsCSV.utf8))
        #expect(report.rows == 4)
        #expect(report.sequence == 1)
        // The duplicate (1,10) replaces the value and keeps the newest timestamp.
        #expect(try await allRatings(store) == [
            Rating(user: 1, item: 10, value: 2.5, timestamp: 100), Rating(user: 1, item: 11, value: 3.5, timestamp: 101),
            Rating(user: 2, item: 10, value: 5, timestamp: 102),
        ])
        #expect(try await store.counts() == StoreCounts(ratings: 3, users: 2, items: 2))
    }

    @Test func genericAndHeaderlessCSV() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        _ = try await importBytes(store, Array(Fixtures.genericCSV.utf8))
        #expect(try await allRatings(store) == [Rating(user: 1, item: 10, value: 4), Rating(user: 2, item: 11, value: 0.5)])
        let second = try Store.open(path: dir.file("b.sqlite"))
        _ = try await importBytes(second, Array(Fixtures.headerlessCSV.utf8), .ratingsCSV)
        #expect(try await allRatings(second) == [Rating(user: 1, item: 10, value: 4, timestamp: 100),
                                                 Rating(user: 2, item: 11, value: 3)])
    }

    @Test func moviesCSVWithQuoting() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let report = try await importBytes(store, Array(Fixtures.moviesCSV.utf8))
        #expect(report.rows == 3)
        #expect(try await store.allItems() == [
            ItemRecord(id: 10, title: "Heat, \"the\" (1995)", genres: ["Action", "Crime", "Thriller"]),
            ItemRecord(id: 11, title: "Multi\nline", genres: []),
            ItemRecord(id: 12, title: "Ünïcode (2001)", genres: ["Drama"]),
        ])
    }

    @Test func ml100kFiles() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        _ = try await importBytes(store, Array(Fixtures.uData.utf8))
        #expect(try await store.rating(user: 196, item: 242) == Rating(user: 196, item: 242, value: 3, timestamp: 881250949))
        _ = try await importBytes(store, Fixtures.uItem)
        #expect(try await store.item(1) == ItemRecord(id: 1, title: "Toy Story (1995)", genres: ["Animation", "Children's", "Comedy"],
                                                       attributes: ["release_date": .category("01-Jan-1995"),
                                                                    "imdb_url": .category("http://imdb/x")]))
        #expect(try await store.item(2)?.title == "Café (1995)")
        #expect(try await store.item(2)?.genres == ["Action", "Western"])
        _ = try await importBytes(store, Array(Fixtures.uUser.utf8))
        #expect(try await store.user(2) == UserRecord(id: 2, attributes: [
            "age": .number(53), "gender": .category("F"), "occupation": .category("other"), "zip": .category("94043"),
        ]))
    }

    @Test func latin1FirstLineIsDetected() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let input = Array(Fixtures.uItem.split(separator: 0x0A)[1]) + [0x0A]  // the "Café" row first
        let report = try await store.importData(chunked(input, size: 9))
        #expect(report.format == .ml100kItem)
        #expect(try await store.item(2)?.title == "Café (1995)")
        await #expect(throws: MFStoreError.malformedInput(source: "input", line: 1, message: "invalid UTF-8")) {
            try await store.importData(chunked(Array("user,item,rating,note".utf8) + [0xFF] + Array("\n1,2,3,x\n".utf8), size: 9))
        }
    }

    @Test func ml1mFiles() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let report = try await importBytes(store, Array(Fixtures.ratingsDat.utf8))
        #expect(report.rows == 3)
        #expect(try await store.ratings(ofItem: 1193).map(\.value) == [5, 4])
        _ = try await importBytes(store, Fixtures.moviesDat)
        #expect(try await store.item(1)?.genres == ["Animation", "Children's", "Comedy"])
        #expect(try await store.item(2)?.title == "Cité (1996)")
        _ = try await importBytes(store, Array(Fixtures.usersDat.utf8))
        #expect(try await store.user(2) == UserRecord(id: 2, attributes: [
            "age": .number(56), "gender": .category("M"), "occupation": .category("16"), "zip": .category("70072"),
        ]))
    }

    @Test func userSideInfoCSV() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let report = try await importBytes(store, Array(Fixtures.usersCSV.utf8))
        #expect(report.rows == 3)
        #expect(try await store.allUsers() == [
            UserRecord(id: 1, attributes: ["age": .number(52), "time_spent_per_day": .number(3.951482), "country": .category("FR")]),
            UserRecord(id: 2, attributes: ["age": .number(57), "time_spent_per_day": .number(4.000655)]),
            UserRecord(id: 3, attributes: ["age": .category("x1"), "time_spent_per_day": .number(2), "country": .category("US")]),
        ])
    }

    @Test func importFileAndProgress() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let lines = (0..<5000).map { "\($0 % 100),\($0),\(Double($0 % 10) / 2 + 0.5),\($0)" }
        let path = dir.write("big.csv", "user,item,rating,timestamp\n" + lines.joined(separator: "\n") + "\n")
        let seen = Locked<[ImportProgress]>([])
        var options = ImportOptions()
        options.progressInterval = 1000
        let report = try await store.importFile(path: path, options: options) { p in seen.withLock { $0.append(p) } }
        #expect(report.rows == 5000)
        #expect(seen.withLock { $0.map(\.rows) } == [1000, 2000, 3000, 4000, 5000, 5000])
        #expect(try await store.counts() == StoreCounts(ratings: 5000, users: 100, items: 5000))
        await #expect(throws: MFStoreError.ioError(path: dir.file("missing.csv"), detail: "No such file or directory")) {
            try await store.importFile(path: dir.file("missing.csv"))
        }
        let bad = dir.write("bad.csv", "user,item,rating\n1,1,4\n1,2,x\n")
        await #expect(throws: MFStoreError.malformedInput(source: "bad.csv", line: 3, message: "bad rating \"x\": not a number")) {
            try await store.importFile(path: bad)
        }
    }
}
