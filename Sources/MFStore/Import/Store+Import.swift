import Foundation
import GRDB

extension Store {
    /// Imports a byte stream (e.g. a file a client sends over the socket, in chunks)
    /// in one transaction: all rows or none. Memory stays bounded (a few chunks in
    /// flight), whatever the input size.
    ///
    /// The sequence ending normally means end of input and the import commits;
    /// throwing from it (or cancelling the calling task) aborts with
    /// `import_aborted` and writes nothing. The import holds the single writer
    /// while it runs: other writes (including group commit) wait for it.
    ///
    /// Malformed rows throw `malformed_input` (`sourceName:line: what`) unless
    /// `options.skipBad`, which counts them in the report instead.
    public func importData<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, options: ImportOptions = ImportOptions(),
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) async throws -> ImportReport where Chunks.Element == [UInt8] {
        let channel = ChunkChannel(capacity: 8)
        let scale = self.options.ratingScale
        let name = options.sourceName ?? "input"
        return try await withThrowingTaskGroup(of: ImportReport?.self) { group in
            group.addTask {
                defer { channel.close() }
                return try await self.write { db in
                    var source = ChannelSource(channel: channel)
                    var importer = Importer(options: options, storeScale: scale, progress: progress)
                    let report = try importer.run(db, source: &source)
                    if let receipt = options.receipt { try Self.storeReceipt(db, name: receipt.name, text: receipt.text(report)) }
                    options.beforeCommit?()
                    return report
                }
            }
            group.addTask {
                do {
                    for try await chunk in chunks {
                        try Task.checkCancellation()
                        if await !channel.send(chunk) { return nil }
                    }
                    try Task.checkCancellation()
                    channel.finish()
                } catch is CancellationError {
                    channel.fail(MFStoreError.importAborted(source: name, detail: "cancelled"))
                } catch {
                    channel.fail(MFStoreError.importAborted(source: name, detail: "\(error)"))
                }
                return nil
            }
            defer { group.cancelAll() }
            do {
                while let result = try await group.next() {
                    if let report = result { return report }
                }
            } catch MFStoreError.cancelled {
                // GRDB interrupted the statement on cancellation, before the producer's abort arrived.
                throw MFStoreError.importAborted(source: name, detail: "cancelled")
            }
            throw MFStoreError.importAborted(source: name, detail: "importer ended without a report")
        }
    }

    /// Imports a local file (for tools running beside the database; the daemon
    /// must use ``importData(_:options:progress:)`` and never open client-named paths).
    public func importFile(path: String, options: ImportOptions = ImportOptions(),
                           progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws -> ImportReport {
        let source = try FileChunkSource(path: path)
        var options = options
        if options.sourceName == nil { options.sourceName = (path as NSString).lastPathComponent }
        let scale = self.options.ratingScale
        defer { source.close() }
        return try await write { [source, options] db in
            var source = source
            var importer = Importer(options: options, storeScale: scale, progress: progress)
            return try importer.run(db, source: &source)
        }
    }

    /// `pool.write` with errors mapped to MFStoreError.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await MFStoreError.wrap { try await pool.write(body) }
    }
}
