import GRDB

/// Runs one import inside the caller's write transaction: pulls chunks, detects
/// the format, and feeds every record to the format's `RowHandler`. Memory is
/// bounded by the chunk size plus the set of IDs seen (not by the row count).
struct Importer {
    let options: ImportOptions
    let sourceName: String
    let scale: ClosedRange<Double>
    let progress: (@Sendable (ImportProgress) -> Void)?
    private var splitter = RecordSplitter()
    private var bytes = 0
    private var rows = 0
    private var skipped = 0
    private var issues: [ImportIssue] = []

    init(options: ImportOptions, storeScale: ClosedRange<Float>, progress: (@Sendable (ImportProgress) -> Void)?) {
        self.options = options
        sourceName = options.sourceName ?? "input"
        let s = options.ratingScale ?? storeScale
        scale = Double(s.lowerBound)...Double(s.upperBound)
        self.progress = progress
    }

    mutating func run<Source: ChunkSource>(_ db: Database, source: inout Source) throws -> ImportReport {
        guard let first = try nextRecord(&source) else {
            throw MFStoreError.unknownFormat(source: sourceName, detail: "the input is empty")
        }
        let line = splitter.buffer[first.range]
        let utf8 = String(validating: line, as: UTF8.self)
        // Latin-1 formats may start with a non-UTF-8 line; detection only needs ASCII.
        let header = utf8 ?? FieldParsing.latin1Line(line)
        let format = options.format == .auto ? FormatDetection.detect(header) : options.format
        guard let format, format != .auto else {
            throw MFStoreError.unknownFormat(source: sourceName,
                                             detail: "cannot recognise the format from the first line \"\(header.prefix(80))\"")
        }
        if utf8 == nil && [.ratingsCSV, .moviesCSV, .usersCSV].contains(format) {
            throw MFStoreError.malformedInput(source: sourceName, line: first.line, message: "invalid UTF-8")
        }
        do {
            return try dispatch(db, format: format, header: header, first: first, source: &source)
        } catch let error as HeaderError {
            throw MFStoreError.unknownFormat(source: sourceName, detail: "\(format.rawValue) header: \(error.message)")
        }
    }

    private mutating func dispatch<Source: ChunkSource>(_ db: Database, format: ImportFormat, header: String,
                                                        first: (range: Range<Int>, line: Int),
                                                        source: inout Source) throws -> ImportReport {
        let csv = FieldSplitter(separator: .byte(0x2C), quoting: true)
        let pipe = FieldSplitter(separator: .byte(0x7C), quoting: false)
        let colons = FieldSplitter(separator: .doubleColon, quoting: false)
        switch format {
        case .auto:
            preconditionFailure("resolved by run()")
        case .ratingsCSV, .ml100kData, .ml1mRatings:
            let sequence = try ChangeSequence.next(db)
            var upserter = try RatingUpserter(db, sequence: sequence)
            let fields = format == .ratingsCSV ? csv : format == .ml100kData ? FieldSplitter(separator: .byte(0x09), quoting: false) : colons
            let columns = format == .ratingsCSV ? try FormatDetection.ratingColumns(header) : RatingColumns()
            let headerless = format != .ratingsCSV || columns?.user == 0 && Double(FormatDetection.headerCells(header)[0]) != nil
            // Parse on a helper thread while this (writer) thread runs SQLite: uses both cores.
            let job = ParseJob(importer: self, source: source, fields: fields, first: headerless ? first : nil,
                               columns: columns ?? RatingColumns(), format: format)
            try job.run { batch in
                for r in batch { try upserter.apply(user: r.user, item: r.item, value: r.value, timestamp: r.timestamp) }
            }
            try upserter.flush()
            self = job.importer
            source = job.source
            return report(format, sequence: sequence)
        case .moviesCSV, .ml100kItem, .ml1mMovies:
            let layout: ItemsHandler.Layout = switch format {
            case .moviesCSV: try FormatDetection.movieLayout(header)
            case .ml100kItem: .ml100kItem
            default: .ml1mMovies
            }
            var fields = format == .moviesCSV ? csv : format == .ml100kItem ? pipe : colons
            var handler = ItemsHandler(writer: try EntityWriter(db), layout: layout)
            try consume(&handler, &fields, first: format == .moviesCSV ? nil : first, source: &source, format: format)
            return report(format, sequence: nil)
        case .usersCSV, .ml100kUser, .ml1mUsers:
            let layout: UsersHandler.Layout = switch format {
            case .usersCSV: try FormatDetection.userLayout(header)
            case .ml100kUser: .ml100kUser
            default: .ml1mUsers
            }
            var fields = format == .usersCSV ? csv : format == .ml100kUser ? pipe : colons
            var handler = UsersHandler(writer: try EntityWriter(db), layout: layout)
            try consume(&handler, &fields, first: format == .usersCSV ? nil : first, source: &source, format: format)
            return report(format, sequence: nil)
        }
    }

    /// Feeds `first` (when it is data, not a header) and every following record to `handler`.
    mutating func consume<H: RowHandler, Source: ChunkSource>(
        _ handler: inout H, _ fields: inout FieldSplitter, first: (range: Range<Int>, line: Int)?,
        source: inout Source, format: ImportFormat
    ) throws {
        splitter.quoteAware = fields.quoting
        if let first { try process(first, &handler, &fields) }
        while let record = try nextRecord(&source) {
            try process(record, &handler, &fields)
        }
        try handler.finish()
        progress?(ImportProgress(rows: rows, bytes: bytes))
    }

    private mutating func process<H: RowHandler>(_ record: (range: Range<Int>, line: Int), _ handler: inout H,
                                                 _ fields: inout FieldSplitter) throws {
        let blank = splitter.buffer[record.range].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        if blank { return }
        do {
            try splitter.buffer.withUnsafeBufferPointer { p in
                try fields.split(UnsafeBufferPointer(rebasing: p[record.range]))
            }
            try handler.handle(fields)
            rows += 1
            if rows % max(1, options.progressInterval) == 0 { progress?(ImportProgress(rows: rows, bytes: bytes)) }
        } catch let error as RowError {
            guard options.skipBad else {
                throw MFStoreError.malformedInput(source: sourceName, line: record.line, message: error.message)
            }
            skipped += 1
            if issues.count < options.maxReportedIssues { issues.append(ImportIssue(line: record.line, message: error.message)) }
        }
    }

    /// The next record, pulling chunks as needed; nil at the end of input.
    private mutating func nextRecord<Source: ChunkSource>(_ source: inout Source) throws -> (range: Range<Int>, line: Int)? {
        while true {
            if let record = splitter.next() { return record }
            guard let chunk = try source.next() else {
                splitter.markEOF()
                return splitter.next()
            }
            bytes += chunk.count
            splitter.append(chunk)
        }
    }

    private func report(_ format: ImportFormat, sequence: Int64?) -> ImportReport {
        ImportReport(format: format, rows: rows, skipped: skipped, issues: issues, bytes: bytes, sequence: sequence)
    }
}

extension FieldParsing {
    static func latin1Line(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { latin1($0) }
    }
}
