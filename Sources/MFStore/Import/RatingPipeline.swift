import Foundation

/// Bounded hand-off of parsed rating batches from the parser thread to the writer thread.
final class RatingBatchQueue: @unchecked Sendable {
    /// Thrown into the parser when the writer has stopped.
    struct Closed: Error {}

    private let condition = NSCondition()
    private var batches: [[ParsedRating]] = []
    private var done = false
    private var failure: (any Error)?
    private var closed = false
    private let capacity = 4

    /// Parser side: blocks while full; throws `Closed` once the writer gave up.
    func push(_ batch: [ParsedRating]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !closed { condition.wait() }
        if closed { throw Closed() }
        batches.append(batch)
        condition.broadcast()
    }

    /// Parser side: no more batches (`error` nil) or the parse failed.
    func finish(_ error: (any Error)?) {
        condition.lock()
        done = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Writer side: the next batch, nil after a successful finish, or the parser's error.
    func pop() throws -> [ParsedRating]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !done { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Writer side: stop the parser (its next push throws).
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs the importer's parse loop for a ratings file on its own thread and feeds
/// the batches to `apply` on the calling (writer) thread. The parser thread has
/// ended when `run` returns, so `importer` and `source` can be taken back.
final class ParseJob<Source: ChunkSource>: @unchecked Sendable {
    var importer: Importer
    var source: Source
    private var fields: FieldSplitter
    private let first: (range: Range<Int>, line: Int)?
    private let columns: RatingColumns
    private let format: ImportFormat
    private let queue = RatingBatchQueue()
    private let ended = DispatchSemaphore(value: 0)
    private let abortSource: () -> Void

    init(importer: Importer, source: Source, fields: FieldSplitter, first: (range: Range<Int>, line: Int)?,
         columns: RatingColumns, format: ImportFormat) {
        self.importer = importer
        self.source = source
        abortSource = { [source] in source.abort() }  // a copy: never touches the parser's `source`
        self.fields = fields
        self.first = first
        self.columns = columns
        self.format = format
    }

    func run(_ apply: ([ParsedRating]) throws -> Void) throws {
        let thread = Thread { [self] in
            var collector = RatingsCollector(columns: columns, scale: importer.scale, pipe: queue)
            do {
                try importer.consume(&collector, &fields, first: first, source: &source, format: format)
                queue.finish(nil)
            } catch {
                queue.finish(error)
            }
            ended.signal()
        }
        thread.name = "MFStore.import-parser"
        thread.start()
        defer { ended.wait() }
        do {
            while let batch = try queue.pop() { try apply(batch) }
        } catch {
            queue.close()
            abortSource()  // a parser blocked on a slow upload must not hold the writer
            throw error
        }
    }
}
