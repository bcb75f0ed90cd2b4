import ArgumentParser
import MFCore

/// `--user-info users.csv --item-info movies.csv`: train collective MF with
/// these attributes (rows keyed by the split's raw ids).
struct SideInfoOptions: ParsableArguments {
    @Option(help: "User attributes CSV (userId + columns), e.g. users.csv.")
    var userInfo: String?
    @Option(help: "Item attributes CSV (movieId + columns), e.g. movies.csv.")
    var itemInfo: String?
    @Option(help: "Comma-separated columns of --item-info to use.")
    var itemColumns = "genres"

    @Flag(help: "Also give items `year` (number) and `period` (5-year category) from a title ending in (YYYY) (MovieLens movies.csv).")
    var titleYear = false

    var userAttributes: AttributesCSV? { get throws { try userInfo.map { try AttributesCSV(path: $0) } } }
    var itemAttributes: AttributesCSV? {
        get throws {
            let cols = itemColumns.split(separator: ",").map(String.init)
            guard var a = try itemInfo.map({ try AttributesCSV(path: $0, columns: titleYear ? cols + ["title"] : cols) }) else { return nil }
            if titleYear { a.replaceTitlesByYear(keepTitle: cols.contains("title")) }
            return a
        }
    }

    /// Side info aligned with dense indices, or nil without either file.
    func load(users: IDMap, items: IDMap) throws -> SideInfo? {
        let u = try userAttributes, i = try itemAttributes
        guard u != nil || i != nil else { return nil }
        return Self.align(users: u, items: i, userMap: users, itemMap: items)
    }

    static func align(users u: AttributesCSV?, items i: AttributesCSV?, userMap: IDMap, itemMap: IDMap) -> SideInfo {
        SideInfo(users: u.map { a in (0..<userMap.count).map { a.rows[userMap.id(at: Int32($0))] ?? [:] } } ?? [],
                 items: i.map { a in (0..<itemMap.count).map { a.rows[itemMap.id(at: Int32($0))] ?? [:] } } ?? [])
    }
}
