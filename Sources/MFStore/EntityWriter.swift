import GRDB
import MFCore

/// Prepared upserts for users, items and their attributes (API upserts and imports).
struct EntityWriter {
    private let addUser: Statement
    private let upsertItem: Statement
    private let userAttribute: Statement
    private let itemAttribute: Statement

    init(_ db: Database) throws {
        addUser = try db.makeStatement(sql: "INSERT OR IGNORE INTO users (id) VALUES (?)")
        upsertItem = try db.makeStatement(sql: """
            INSERT INTO items (id, title, genres) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, genres = excluded.genres
            """)
        userAttribute = try db.makeStatement(sql: """
            INSERT INTO user_attributes (user, name, num, text) VALUES (?, ?, ?, ?)
            ON CONFLICT (user, name) DO UPDATE SET num = excluded.num, text = excluded.text
            """)
        itemAttribute = try db.makeStatement(sql: """
            INSERT INTO item_attributes (item, name, num, text) VALUES (?, ?, ?, ?)
            ON CONFLICT (item, name) DO UPDATE SET num = excluded.num, text = excluded.text
            """)
    }

    mutating func upsert(_ user: UserRecord) throws {
        try addUser.execute(arguments: [user.id])
        for (name, value) in user.attributes { try Self.write(userAttribute, user.id, name, value) }
    }

    mutating func upsert(_ item: ItemRecord) throws {
        try upsertItem.execute(arguments: [item.id, item.title, item.genres.joined(separator: "|")])
        for (name, value) in item.attributes { try Self.write(itemAttribute, item.id, name, value) }
    }

    private static func write(_ statement: Statement, _ id: Int64, _ name: String, _ value: AttributeValue) throws {
        switch value {
        case .number(let x): try statement.execute(arguments: [id, name, x, nil])
        case .category(let s): try statement.execute(arguments: [id, name, nil, s])
        }
    }
}
