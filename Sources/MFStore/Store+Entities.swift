import GRDB
import MFCore

extension Store {
    /// Creates users or merges their attributes (given attributes replace same-named
    /// ones; others are kept). One transaction.
    public func upsertUsers(_ users: [UserRecord]) async throws {
        for user in users { try Self.validate(user.attributes, owner: "user \(user.id)") }
        try await MFStoreError.wrap {
            try await pool.write { db in
                var writer = try EntityWriter(db)
                for user in users { try writer.upsert(user) }
            }
        }
    }

    /// Creates items or replaces their title and genres and merges their attributes. One transaction.
    public func upsertItems(_ items: [ItemRecord]) async throws {
        for item in items {
            try Self.validate(item.attributes, owner: "item \(item.id)")
            for genre in item.genres where genre.isEmpty || genre.contains("|") {
                throw MFStoreError.invalidArgument(field: "genres", message: "item \(item.id): genre \"\(genre)\" is empty or contains '|'")
            }
        }
        try await MFStoreError.wrap {
            try await pool.write { db in
                var writer = try EntityWriter(db)
                for item in items { try writer.upsert(item) }
            }
        }
    }

    /// One user with attributes, or nil.
    public func user(_ id: Int64) async throws -> UserRecord? {
        try await MFStoreError.wrap {
            try await pool.read { db in
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)", arguments: [id]) == true
                else { return nil }
                let attrs = try Self.attributes(db, table: "user_attributes", owner: "user", id: id)
                return UserRecord(id: id, attributes: attrs[id] ?? [:])
            }
        }
    }

    /// One item with title, genres and attributes, or nil.
    public func item(_ id: Int64) async throws -> ItemRecord? {
        try await MFStoreError.wrap {
            try await pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT title, genres FROM items WHERE id = ?", arguments: [id])
                else { return nil }
                let attrs = try Self.attributes(db, table: "item_attributes", owner: "item", id: id)
                return ItemRecord(id: id, title: row[0], genres: Self.splitGenres(row[1]), attributes: attrs[id] ?? [:])
            }
        }
    }

    /// All users, by ID (one read transaction).
    public func allUsers() async throws -> [UserRecord] {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let attrs = try Self.attributes(db, table: "user_attributes", owner: "user", id: nil)
                return try Int64.fetchAll(db, sql: "SELECT id FROM users ORDER BY id").map {
                    UserRecord(id: $0, attributes: attrs[$0] ?? [:])
                }
            }
        }
    }

    /// All items, by ID (one read transaction).
    public func allItems() async throws -> [ItemRecord] {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let attrs = try Self.attributes(db, table: "item_attributes", owner: "item", id: nil)
                return try Row.fetchAll(db, sql: "SELECT id, title, genres FROM items ORDER BY id").map { row in
                    let id: Int64 = row[0]
                    return ItemRecord(id: id, title: row[1], genres: Self.splitGenres(row[2]), attributes: attrs[id] ?? [:])
                }
            }
        }
    }

    static func splitGenres(_ joined: String?) -> [String] {
        guard let joined, !joined.isEmpty else { return [] }
        return joined.split(separator: "|").map(String.init)
    }

    private static func attributes(_ db: Database, table: String, owner: String,
                                   id: Int64?) throws -> [Int64: [String: AttributeValue]] {
        var result: [Int64: [String: AttributeValue]] = [:]
        let filter = id == nil ? "" : " WHERE \(owner) = ?"
        let rows = try Row.fetchCursor(db, sql: "SELECT \(owner), name, num, text FROM \(table)\(filter)",
                                       arguments: id.map { [$0] } ?? [])
        while let row = try rows.next() {
            let value: AttributeValue = if let num = row[2] as Double? { .number(num) } else { .category(row[3]) }
            result[row[0], default: [:]][row[1]] = value
        }
        return result
    }

    static func validate(_ attributes: [String: AttributeValue], owner: String) throws {
        for (name, value) in attributes {
            guard !name.isEmpty else {
                throw MFStoreError.invalidArgument(field: "attributes", message: "\(owner): empty attribute name")
            }
            if case .number(let x) = value, !x.isFinite {
                throw MFStoreError.invalidArgument(field: "attributes.\(name)", message: "\(owner): \(x) is not finite")
            }
        }
    }
}
