import Foundation
import Testing
@testable import MFStore

@Suite struct EntityTests {
    @Test func usersItemsAttributesUpsertAndFetch() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.upsertUsers([UserRecord(id: 1, attributes: ["age": .number(30), "gender": .category("F")]),
                                     UserRecord(id: 2)])
        try await store.upsertUsers([UserRecord(id: 1, attributes: ["age": .number(31)])])
        #expect(try await store.user(1) == UserRecord(id: 1, attributes: ["age": .number(31), "gender": .category("F")]))
        try await store.upsertItems([ItemRecord(id: 5, title: "Heat, \"the\" (1995)", genres: ["Action", "Crime"],
                                                attributes: ["year": .number(1995)]),
                                     ItemRecord(id: 6, title: "Ünïcode", genres: [])])
        try await store.upsertItems([ItemRecord(id: 6, title: "Ünïcode 2", genres: ["Drama"])])
        #expect(try await store.allItems() == [
            ItemRecord(id: 5, title: "Heat, \"the\" (1995)", genres: ["Action", "Crime"], attributes: ["year": .number(1995)]),
            ItemRecord(id: 6, title: "Ünïcode 2", genres: ["Drama"]),
        ])
        #expect(try await store.allUsers().map(\.id) == [1, 2])
        #expect(try await store.item(99) == nil)
        await #expect(throws: MFStoreError.self) { try await store.upsertItems([ItemRecord(id: 7, genres: ["a|b"])]) }
        await #expect(throws: MFStoreError.self) { try await store.upsertUsers([UserRecord(id: 7, attributes: ["x": .number(.nan)])]) }
        #expect(try await store.counts() == StoreCounts(ratings: 0, users: 2, items: 2))
    }

    @Test func settingsRoundTrip() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.setSetting("training", #"{"k":32}"#)
        try await store.setSetting("other", "x")
        try await store.setSetting("other", nil)
        #expect(try await store.setting("training") == #"{"k":32}"#)
        #expect(try await store.allSettings() == ["training": #"{"k":32}"#])
    }

    @Test func onlineBackupIsACompleteStore() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.addRatings((1...100).map { Rating(user: Int64($0 % 5), item: Int64($0), value: 4) })
        let target = dir.file("backup.sqlite")
        try await store.backup(to: target)
        await #expect(throws: MFStoreError.backupDestinationExists(path: target)) { try await store.backup(to: target) }
        let copy = try Store.open(path: target)
        #expect(try await allRatings(copy) == allRatings(store))
        #expect(try await copy.integrityCheck() == ["ok"])
    }
}
