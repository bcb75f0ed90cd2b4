/// Input formats understood by ``Store/importData(_:options:progress:)``.
public enum ImportFormat: String, Sendable, CaseIterable, Codable {
    /// Detect from the first line (separator, field count, CSV header names).
    case auto
    /// CSV of ratings with a header naming user/item/rating[/timestamp] columns
    /// (MovieLens `ratings.csv` is one), or headerless `user,item,rating[,timestamp]`.
    case ratingsCSV = "ratings_csv"
    /// MovieLens `movies.csv`: `movieId,title,genres`, RFC 4180 quoting, `|` genres.
    case moviesCSV = "movies_csv"
    /// User side information: a user column plus any columns (numeric values become
    /// numeric attributes, other values categorical).
    case usersCSV = "users_csv"
    /// ml-100k `u.data`: `user \t item \t rating \t timestamp`.
    case ml100kData = "ml100k_data"
    /// ml-100k `u.item`: `|`-separated, Latin-1, 19 genre flag columns.
    case ml100kItem = "ml100k_item"
    /// ml-100k `u.user`: `id|age|gender|occupation|zip`.
    case ml100kUser = "ml100k_user"
    /// ml-1m `ratings.dat`: `UserID::MovieID::Rating::Timestamp`.
    case ml1mRatings = "ml1m_ratings"
    /// ml-1m `movies.dat`: `MovieID::Title::Genres`, Latin-1.
    case ml1mMovies = "ml1m_movies"
    /// ml-1m `users.dat`: `UserID::Gender::Age::Occupation::Zip-code`, Latin-1.
    case ml1mUsers = "ml1m_users"
}

/// Options of one import.
public struct ImportOptions: Sendable {
    public var format: ImportFormat = .auto
    /// The name used in error messages (`name:line: …`); the daemon passes the client's
    /// file name. nil: the file name for ``Store/importFile(path:options:progress:)``, else "input".
    public var sourceName: String? = nil
    /// Skip malformed rows (counting them) instead of failing the whole import.
    public var skipBad: Bool = false
    /// How many skipped rows are described in ``ImportReport/issues``.
    public var maxReportedIssues: Int = 10
    /// Accepted rating values; nil uses the store's ``StoreOptions/ratingScale``.
    public var ratingScale: ClosedRange<Float>? = nil
    /// Rows between progress callbacks.
    public var progressInterval: Int = 100_000
    /// A receipt stored in the import's own transaction, so that whoever lost
    /// the answer (the daemon died after the commit) can ask whether it
    /// committed: `name` and the text `text(report)` makes. See
    /// ``Store/importReceipt(_:)``.
    public var receipt: (name: String, text: @Sendable (ImportReport) -> String)? = nil
    /// Called inside the import's transaction once every row is written, just
    /// before it commits: the daemon reports its `commit` stage from here.
    public var beforeCommit: (@Sendable () -> Void)? = nil

    public init(format: ImportFormat = .auto, sourceName: String? = nil, skipBad: Bool = false) {
        self.format = format
        self.sourceName = sourceName
        self.skipBad = skipBad
    }
}

/// A row that was skipped (with `skipBad`).
public struct ImportIssue: Sendable, Hashable {
    public var line: Int
    public var message: String
}

/// Progress of a running import: data rows processed and input bytes received.
public struct ImportProgress: Sendable, Hashable {
    public var rows: Int
    public var bytes: Int
}

/// Outcome of a committed import.
public struct ImportReport: Sendable, Hashable {
    /// The format used (resolved when `.auto` was requested).
    public var format: ImportFormat
    /// Data rows written.
    public var rows: Int
    /// Malformed rows skipped (only with `skipBad`).
    public var skipped: Int
    /// The first few skipped rows.
    public var issues: [ImportIssue]
    public var bytes: Int
    /// Change sequence of the import transaction, for rating imports.
    public var sequence: Int64?
}

/// A malformed row; becomes `malformed_input` or a skipped-row issue.
struct RowError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
