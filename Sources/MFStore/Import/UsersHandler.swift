import MFCore

/// Users rows (side-info CSV, u.user, users.dat) → users + attributes.
struct UsersHandler: RowHandler {
    enum Layout {
        /// `attributes`: (column, name) of every non-ID column.
        case usersCSV(id: Int, attributes: [(Int, String)], fieldCount: Int)
        case ml100kUser
        case ml1mUsers
    }

    var writer: EntityWriter
    let layout: Layout

    mutating func handle(_ f: FieldSplitter) throws {
        var user: UserRecord
        switch layout {
        case .usersCSV(let id, let attributes, let fieldCount):
            try f.require(fieldCount)
            user = UserRecord(id: try f.int64(id, "user id"))
            for (column, name) in attributes where !f.isEmpty(column) {
                // Per value: a finite number is numeric, anything else categorical.
                if let x = f.withField(column, FieldParsing.double), x.isFinite {
                    user.attributes[name] = .number(x)
                } else {
                    user.attributes[name] = .category(try f.text(column, latin1: false, name))
                }
            }
        case .ml100kUser:  // id|age|gender|occupation|zip
            try f.require(5)
            user = UserRecord(id: try f.int64(0, "user id"))
            user.attributes["age"] = .number(Double(try f.int64(1, "age")))
            try categories(f, [(2, "gender"), (3, "occupation"), (4, "zip")], into: &user)
        case .ml1mUsers:  // UserID::Gender::Age::Occupation::Zip-code
            try f.require(5)
            user = UserRecord(id: try f.int64(0, "user id"))
            user.attributes["age"] = .number(Double(try f.int64(2, "age")))
            try categories(f, [(1, "gender"), (3, "occupation"), (4, "zip")], into: &user)
        }
        try writer.upsert(user)
    }

    private func categories(_ f: FieldSplitter, _ columns: [(Int, String)], into user: inout UserRecord) throws {
        for (column, name) in columns where !f.isEmpty(column) {
            user.attributes[name] = .category(try f.text(column, latin1: true, name))
        }
    }
}
