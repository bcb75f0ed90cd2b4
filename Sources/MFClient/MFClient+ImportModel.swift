import Foundation
import MFProtocol

extension MFClient {
    /// Imports an externally trained model from `dir` in the interchange format of
    /// docs/scale-out.md: `manifest.json` (a `ModelFiles`) and, per side, either a CSV
    /// (`id,bias,f0,…`; a header line is skipped) or the three `.npy` files.
    /// Rows are read and streamed in batches (CSV: `batch` rows; `.npy`: as many as fit the
    /// daemon's `max_chunk_bytes`), never the whole file in memory; the session is aborted on any error.
    /// Daemon errors naming a row (`rows[i]`) are reported as `file:line` (CSV) or `file row N` (`.npy`).
    /// `commitProgress` gets the commit's progress lines; a connection lost during it is `.unsettled` (see `sendLong`).
    public func importModel(dir: String, batch: Int = 1000,
                            progress: (Int, Int) -> Void = { _, _ in },
                            commitProgress: @escaping @Sendable (ProgressReport) -> Void = { _ in }) async throws(MFClientError) -> RawResult<ImportModelResult> {
        let files = try ModelFiles.read(dir)
        let manifest = files.wire
        let paths = files.paths(in: dir)
        var npy: [NPYFactorFiles] = []
        if files.isNPY {
            // Opened (headers, shapes, sizes checked) before the daemon is asked for a session.
            npy.append(try NPYFactorFiles(factorsPath: paths.users, rows: manifest.users, k: manifest.k))
            npy.append(try NPYFactorFiles(factorsPath: paths.items, rows: manifest.items, k: manifest.k))
        }
        defer { npy.forEach { $0.close() } }
        let begin = try await send(ImportModelBeginRequest(manifest: manifest))
        do throws(MFClientError) {
            var sent = 0
            if !npy.isEmpty {
                // Whole rows per request, up to the daemon's max_chunk_bytes of raw column bytes;
                // `importChunksInFlight` requests on the wire at once, so reading and encoding the
                // next blocks overlaps the daemon's decoding of the earlier ones (it takes them in order).
                let maxRows = max(1, begin.maxChunkBytes / (12 + 4 * manifest.k))
                for (side, var source) in zip([FactorSide.users, .items], npy) {
                    var start = 0
                    var inFlight: [(pending: Pending<ImportModelRowsRequest>, start: Int, rows: Int)] = []
                    func settle(_ done: (pending: Pending<ImportModelRowsRequest>, start: Int, rows: Int)) async throws(MFClientError) {
                        do throws(MFClientError) {
                            _ = try await done.pending.value()
                        } catch .daemon(var e) {
                            if let f = e.field, f.hasPrefix("rows["), let n = Int(f.dropFirst(5).dropLast()) {
                                e.field = source.describe(row: n, blockStart: done.start)
                            }
                            throw .daemon(e)
                        }
                        sent += done.rows
                        progress(sent, manifest.users + manifest.items)
                    }
                    while let block = try source.nextBlock(maxRows: maxRows) {
                        inFlight.append((try submit(ImportModelRowsRequest(import: begin.import, side: side, columns: block)), start, block.count))
                        start += block.count
                        if inFlight.count == Self.importChunksInFlight { try await settle(inFlight.removeFirst()) }
                    }
                    for done in inFlight { try await settle(done) }
                }
                return try await sendKeepingJSON(ImportModelCommitRequest(token: begin.import))
            }
            for side in [FactorSide.users, .items] {
                let path = side == .users ? paths.users : paths.items
                var rows: [FactorRow] = []
                var lines: [Int] = []
                func flush() async throws(MFClientError) {
                    guard !rows.isEmpty else { return }
                    do throws(MFClientError) {
                        _ = try await send(ImportModelRowsRequest(import: begin.import, side: side, rows: rows))
                    } catch .daemon(var e) {
                        // `rows[n]` of this batch → the file line it came from.
                        if let f = e.field, f.hasPrefix("rows["), let n = Int(f.dropFirst(5).dropLast()), lines.indices.contains(n) {
                            e.field = "\(PathText.lastComponent(of: path)):\(lines[n])"
                        }
                        throw .daemon(e)
                    }
                    sent += rows.count
                    rows.removeAll(keepingCapacity: true)
                    lines.removeAll(keepingCapacity: true)
                    progress(sent, manifest.users + manifest.items)
                }
                try await forEachLine(path) { number, line async throws(MFClientError) in
                    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                    guard let id = Int64(fields.first ?? "") else {
                        if number == 1 { return }  // header
                        throw .localFile(path: "\(path):\(number)", reason: "first field is not an integer id")
                    }
                    let floats = fields.dropFirst().compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
                    guard fields.count == manifest.k + 2, floats.count == manifest.k + 1, floats.allSatisfy(\.isFinite) else {
                        throw .localFile(path: "\(path):\(number)", reason: "expected id, bias and \(manifest.k) finite factors")
                    }
                    rows.append(FactorRow(id: id, bias: floats[0], factors: Array(floats.dropFirst())))
                    lines.append(number)
                    if rows.count >= batch { try await flush() }
                }
                try await flush()
            }
            return try await sendLong(ImportModelCommitRequest(token: begin.import), job: begin.import, progress: commitProgress)
        } catch {
            _ = try? await send(ImportAbortRequest(token: begin.import))
            throw error
        }
    }

    /// Calls `body(lineNumber, line)` for each non-empty line, reading 1 MiB at a time.
    func forEachLine(_ path: String, _ body: (Int, Substring) async throws(MFClientError) -> Void) async throws(MFClientError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .localFile(path: path, reason: String(cString: strerror(errno))) }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        var number = 0
        while true {
            let data: Data
            do { data = try handle.read(upToCount: 1 << 20) ?? Data() } catch { throw .localFile(path: path, reason: "\(error)") }
            var bytes = carry + data
            carry = []
            if !data.isEmpty {
                guard let nl = bytes.lastIndex(of: 10) else { carry = bytes; continue }
                carry = Array(bytes[(nl + 1)...])
                bytes.removeSubrange((nl + 1)...)
            }
            // Split bytes, not Characters: "\r\n" is one Character in Swift.
            var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
            if bytes.last == 10 { lines.removeLast() }  // the chunk ends a line; no extra empty line
            for raw in lines {
                number += 1
                let line = raw.last == 13 ? raw.dropLast() : raw
                if !line.isEmpty { try await body(number, Substring(String(decoding: line, as: UTF8.self))) }
            }
            if data.isEmpty { return }
        }
    }
}
