import Foundation
import MFCore

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
