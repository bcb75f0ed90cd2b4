public struct EvaluateResult: Codable, Sendable, Equatable {
    public var rmse: Double
    public var mae: Double
    public var ndcgAt10: Double
    public var precisionAt10: Double
    public var trainRatings: Int
    public var testRatings: Int
    public var testFraction: Double
    public var seed: Int64
    public var durationSeconds: Double
    /// What the search chose on the training part, as a retrain would (nil: no search, e.g. `search` off).
    public var search: SearchedValues?

    public init(rmse: Double, mae: Double, ndcgAt10: Double, precisionAt10: Double, trainRatings: Int,
                testRatings: Int, testFraction: Double, seed: Int64, durationSeconds: Double, search: SearchedValues? = nil) {
        self.rmse = rmse; self.mae = mae; self.ndcgAt10 = ndcgAt10; self.precisionAt10 = precisionAt10
        self.trainRatings = trainRatings; self.testRatings = testRatings; self.testFraction = testFraction
        self.seed = seed; self.durationSeconds = durationSeconds; self.search = search
    }

    enum CodingKeys: String, CodingKey {
        case rmse, mae, seed, search
        case ndcgAt10 = "ndcg_at_10"
        case precisionAt10 = "precision_at_10"
        case trainRatings = "train_ratings"
        case testRatings = "test_ratings"
        case testFraction = "test_fraction"
        case durationSeconds = "duration_s"
    }
}

public struct ImportBeginResult: Codable, Sendable, Equatable {
    public var `import`: String
    /// Largest decoded chunk the daemon accepts in one `import_chunk`.
    public var maxChunkBytes: Int

    public init(import token: String, maxChunkBytes: Int) { self.import = token; self.maxChunkBytes = maxChunkBytes }

    enum CodingKeys: String, CodingKey {
        case `import`
        case maxChunkBytes = "max_chunk_bytes"
    }
}

public struct ImportChunkResult: Codable, Sendable, Equatable {
    /// Bytes received so far.
    public var bytes: Int64
    /// Complete lines received so far.
    public var lines: Int64
    public init(bytes: Int64, lines: Int64) { self.bytes = bytes; self.lines = lines }
}

/// A skipped or failing line of an import.
public struct ImportIssue: Codable, Sendable, Equatable {
    public var line: Int64
    public var code: ErrorCode
    public var message: String
    public init(line: Int64, code: ErrorCode, message: String) { self.line = line; self.code = code; self.message = message }
}

public struct ImportCommitResult: Codable, Sendable, Equatable {
    public var kind: ImportKind
    /// The format used (detected when `auto`).
    public var format: ImportFormat
    public var lines: Int64
    public var imported: Int64
    public var skipped: Int64
    /// The first few skipped lines (at most 20).
    public var issues: [ImportIssue]
    public var durationSeconds: Double

    public init(kind: ImportKind, format: ImportFormat, lines: Int64, imported: Int64, skipped: Int64,
                issues: [ImportIssue], durationSeconds: Double) {
        self.kind = kind; self.format = format; self.lines = lines; self.imported = imported
        self.skipped = skipped; self.issues = issues; self.durationSeconds = durationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case kind, format, lines, imported, skipped, issues
        case durationSeconds = "duration_s"
    }
}

public struct CloseResult: Codable, Sendable, Equatable {
    public var closed: Bool
    public init(closed: Bool = true) { self.closed = closed }
}

public struct ImportModelRowsResult: Codable, Sendable, Equatable {
    public var users: Int
    public var items: Int
    public init(users: Int, items: Int) { self.users = users; self.items = items }
}

public struct ImportModelResult: Codable, Sendable, Equatable {
    public var modelID: Int64
    public var users: Int
    public var items: Int
    public var factors: Int
    /// Ratings newer than the model folded in after the swap.
    public var replayed: Int
    /// The background job training the model's ranker (`train_status`), or nil when none runs
    /// (no stored ratings).
    public var rankerJob: Int64?

    public init(modelID: Int64, users: Int, items: Int, factors: Int, replayed: Int, rankerJob: Int64? = nil) {
        self.modelID = modelID; self.users = users; self.items = items; self.factors = factors; self.replayed = replayed
        self.rankerJob = rankerJob
    }

    enum CodingKeys: String, CodingKey {
        case users, items, factors, replayed
        case modelID = "model_id"
        case rankerJob = "ranker_job"
    }
}

public struct ExportBeginResult: Codable, Sendable, Equatable {
    public var export: String
    public var what: ExportKind
    public var rows: Int64
    /// Column names of each row, e.g. `["user","item","rating","timestamp"]` or `["id","bias","f0",…]`.
    public var columns: [String]
    /// Factor exports: the model they come from.
    public var modelID: Int64?
    public var globalMean: Double?
    /// Ratings exports: every change up to this store sequence is included
    /// (pass it on as the imported model's manifest `sequence`).
    public var sequence: Int64?

    public init(export: String, what: ExportKind, rows: Int64, columns: [String], modelID: Int64? = nil, globalMean: Double? = nil,
                sequence: Int64? = nil) {
        self.export = export; self.what = what; self.rows = rows; self.columns = columns
        self.modelID = modelID; self.globalMean = globalMean; self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey {
        case export, what, rows, columns, sequence
        case modelID = "model_id"
        case globalMean = "global_mean"
    }
}

public struct ExportPage: Codable, Sendable, Equatable {
    public var rows: [[JSONScalar]]
    /// True on the last page; the session is then closed by the daemon.
    public var done: Bool
    public init(rows: [[JSONScalar]], done: Bool) { self.rows = rows; self.done = done }
}
