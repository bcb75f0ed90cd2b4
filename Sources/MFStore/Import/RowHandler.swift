import Foundation

/// Turns one split record into database writes. Throws `RowError` for a malformed
/// row (before writing anything for it); any other error aborts the import.
protocol RowHandler {
    mutating func handle(_ fields: FieldSplitter) throws
    /// Writes anything buffered; called once after the last row.
    mutating func finish() throws
}

extension RowHandler {
    mutating func finish() throws {}
}

extension FieldSplitter {
    /// Throws unless the record has exactly `expected` fields.
    func require(_ expected: Int) throws {
        guard count == expected else {
            throw RowError(count < expected ? "missing column: expected \(expected) fields, found \(count)"
                                            : "expected \(expected) fields, found \(count)")
        }
    }

    /// Field `i` for error messages (lossy, shortened).
    func show(_ i: Int) -> String {
        let s = withField(i) { String(decoding: $0.prefix(40), as: UTF8.self) }
        return "\"\(s)\""
    }

    func isEmpty(_ i: Int) -> Bool { withField(i) { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } } }

    func int64(_ i: Int, _ what: String) throws -> Int64 {
        guard let v = withField(i, FieldParsing.int64) else { throw RowError("bad \(what) \(show(i)): not an integer") }
        return v
    }

    func double(_ i: Int, _ what: String) throws -> Double {
        guard let v = withField(i, FieldParsing.double) else { throw RowError("bad \(what) \(show(i)): not a number") }
        return v
    }

    /// Text in the file's encoding; UTF-8 must be valid.
    func text(_ i: Int, latin1: Bool, _ what: String) throws -> String {
        if latin1 { return withField(i, FieldParsing.latin1) }
        guard let s = withField(i, FieldParsing.utf8) else { throw RowError("invalid UTF-8 in \(what)") }
        return s
    }
}

/// Column positions of a ratings file.
struct RatingColumns {
    var user = 0, item = 1, rating = 2
    var timestamp: Int? = 3
    var fieldCount = 4
}

/// One parsed rating row.
struct ParsedRating {
    var user: Int64
    var item: Int64
    var value: Double
    var timestamp: Int64?
}

/// Ratings rows → batches of `ParsedRating` for the writer thread (see `RatingPipeline`).
struct RatingsCollector: RowHandler {
    static let batchSize = 8192
    let columns: RatingColumns
    let scale: ClosedRange<Double>
    let pipe: RatingBatchQueue
    private var batch: [ParsedRating] = []

    init(columns: RatingColumns, scale: ClosedRange<Double>, pipe: RatingBatchQueue) {
        self.columns = columns
        self.scale = scale
        self.pipe = pipe
        batch.reserveCapacity(Self.batchSize)
    }

    mutating func handle(_ f: FieldSplitter) throws {
        try f.require(columns.fieldCount)
        let user = try f.int64(columns.user, "user id")
        let item = try f.int64(columns.item, "item id")
        let rating = try f.double(columns.rating, "rating")
        guard rating.isFinite else { throw RowError("rating \(f.show(columns.rating)) is not a finite number") }
        guard scale.contains(rating) else {
            throw RowError("rating \(rating) is outside the scale \(scale.lowerBound)...\(scale.upperBound)")
        }
        var timestamp: Int64?
        if let t = columns.timestamp, !f.isEmpty(t) { timestamp = try f.int64(t, "timestamp") }
        batch.append(ParsedRating(user: user, item: item, value: rating, timestamp: timestamp))
        if batch.count == Self.batchSize { try send() }
    }

    mutating func finish() throws { if !batch.isEmpty { try send() } }

    private mutating func send() throws {
        try pipe.push(batch)
        batch = []
        batch.reserveCapacity(Self.batchSize)
    }
}

/// Items rows (movies.csv, u.item, movies.dat) → items + attributes.
struct ItemsHandler: RowHandler {
    enum Layout {
        case moviesCSV(id: Int, title: Int, genres: Int?, fieldCount: Int)
        case ml100kItem
        case ml1mMovies
    }

    var writer: EntityWriter
    let layout: Layout

    /// ml-100k `u.item` genre flag columns 5…23, in order.
    static let ml100kGenres = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
                               "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
                               "Romance", "Sci-Fi", "Thriller", "War", "Western"]

    mutating func handle(_ f: FieldSplitter) throws {
        var item: ItemRecord
        switch layout {
        case .moviesCSV(let id, let title, let genres, let fieldCount):
            try f.require(fieldCount)
            item = ItemRecord(id: try f.int64(id, "item id"), title: try f.text(title, latin1: false, "title"))
            if let genres { item.genres = Self.genreList(try f.text(genres, latin1: false, "genres")) }
        case .ml100kItem:
            try f.require(5 + Self.ml100kGenres.count)
            item = ItemRecord(id: try f.int64(0, "item id"), title: try f.text(1, latin1: true, "title"))
            for (i, genre) in Self.ml100kGenres.enumerated() {
                let flag = try f.int64(5 + i, "genre flag")
                guard flag == 0 || flag == 1 else { throw RowError("genre flag \(f.show(5 + i)) must be 0 or 1") }
                if flag == 1 { item.genres.append(genre) }
            }
            for (column, name) in [(2, "release_date"), (3, "video_release_date"), (4, "imdb_url")] where !f.isEmpty(column) {
                item.attributes[name] = .category(try f.text(column, latin1: true, name))
            }
        case .ml1mMovies:
            try f.require(3)
            item = ItemRecord(id: try f.int64(0, "item id"), title: try f.text(1, latin1: true, "title"),
                              genres: Self.genreList(try f.text(2, latin1: true, "genres")))
        }
        try writer.upsert(item)
    }

    /// `A|B|C`; MovieLens's "(no genres listed)" means none.
    static func genreList(_ s: String) -> [String] {
        if s == "(no genres listed)" { return [] }
        return s.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

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
