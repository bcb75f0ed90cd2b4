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
