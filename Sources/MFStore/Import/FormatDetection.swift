import Foundation

/// Recognises a format from the first line and maps CSV header names to columns.
enum FormatDetection {
    static let userNames: Set<String> = ["user", "userid", "user_id"]
    static let itemNames: Set<String> = ["item", "itemid", "item_id", "movie", "movieid", "movie_id"]
    static let ratingNames: Set<String> = ["rating", "score"]
    static let timestampNames: Set<String> = ["timestamp", "ts", "time"]

    /// Lower-cased, trimmed, unquoted CSV header cells.
    static func headerCells(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
        }
    }

    /// The format of a file whose first line is `line`, or nil.
    static func detect(_ line: String) -> ImportFormat? {
        if line.contains("::") {
            return switch line.components(separatedBy: "::").count {
            case 4: .ml1mRatings
            case 3: .ml1mMovies
            case 5: .ml1mUsers
            default: nil
            }
        }
        if line.contains("\t") { return .ml100kData }
        let cells = headerCells(line)
        let hasUser = cells.contains(where: userNames.contains)
        let hasItem = cells.contains(where: itemNames.contains) || cells.contains("id")
        if hasUser && hasItem && cells.contains(where: ratingNames.contains) { return .ratingsCSV }
        if hasItem && cells.contains("title") { return .moviesCSV }
        if hasUser && !hasItem { return .usersCSV }
        if line.contains("|") {
            return switch line.split(separator: "|", omittingEmptySubsequences: false).count {
            case 24: .ml100kItem
            case 5: .ml100kUser
            default: nil
            }
        }
        if (3...4).contains(cells.count), cells.allSatisfy({ Double($0) != nil }) { return .ratingsCSV }
        return nil
    }

    /// Ratings CSV columns from a header line, or nil when the line is data (all numeric).
    static func ratingColumns(_ line: String) throws -> RatingColumns? {
        let cells = headerCells(line)
        if (3...4).contains(cells.count), cells.allSatisfy({ Double($0) != nil }) {
            return RatingColumns(user: 0, item: 1, rating: 2, timestamp: cells.count == 4 ? 3 : nil, fieldCount: cells.count)
        }
        guard let user = cells.firstIndex(where: userNames.contains) else { throw HeaderError("no user column (userId, user_id or user)") }
        guard let item = cells.firstIndex(where: itemNames.contains) else {
            throw HeaderError("no item column (movieId, itemId, item_id or item)")
        }
        guard let rating = cells.firstIndex(where: ratingNames.contains) else { throw HeaderError("no rating column") }
        return RatingColumns(user: user, item: item, rating: rating,
                             timestamp: cells.firstIndex(where: timestampNames.contains), fieldCount: cells.count)
    }

    static func movieLayout(_ line: String) throws -> ItemsHandler.Layout {
        let cells = headerCells(line)
        guard let id = cells.firstIndex(where: { itemNames.contains($0) || $0 == "id" }) else {
            throw HeaderError("no item column (movieId, itemId, item_id, item or id)")
        }
        guard let title = cells.firstIndex(of: "title") else { throw HeaderError("no title column") }
        let genres = cells.firstIndex(of: "genres") ?? cells.firstIndex(of: "genre")
        return .moviesCSV(id: id, title: title, genres: genres, fieldCount: cells.count)
    }

    /// Users side-info columns: every non-ID column becomes an attribute, named as in the header.
    static func userLayout(_ line: String) throws -> UsersHandler.Layout {
        let cells = headerCells(line)
        guard let id = cells.firstIndex(where: userNames.contains) else { throw HeaderError("no user column (userId, user_id or user)") }
        let names = line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        var attributes: [(Int, String)] = []
        for (i, name) in names.enumerated() where i != id {
            guard !name.isEmpty else { throw HeaderError("column \(i + 1) has no name") }
            attributes.append((i, name))
        }
        return .usersCSV(id: id, attributes: attributes, fieldCount: cells.count)
    }
}

/// A header that lacks a required column; becomes `unknown_format`.
struct HeaderError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
