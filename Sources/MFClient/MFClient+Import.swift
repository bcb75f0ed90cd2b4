import Foundation
import MFProtocol

extension MFClient {
    /// Bytes of file per `import_chunk` (base64 of it stays well under the 1 MiB line limit).
    public static let importChunkBytes = 256 << 10
    /// `import_chunk` requests sent before the first of them is answered.
    public static let importChunksInFlight = 4

    /// Streams a local file to the daemon: `import_begin`, `import_chunk`…, `import_commit`.
    /// Reads `importChunkBytes` at a time (a 2 GB file is never in memory); on a daemon
    /// error the session is aborted. `progress` gets stage `upload` (bytes sent of the
    /// file's size) after each chunk, then the commit's progress lines (`write`, `commit`),
    /// then the reload's (`reload: …`): it returns once reads see the imported rows.
    ///
    /// Once `import_commit` is sent the import is mfd's: if the connection closes during
    /// it, this asks mfd (`import_status`, once it answers again) how it ended, and
    /// waits while it still commits; if mfd stays silent past the timeout, it throws
    /// `.unsettled` with the import's token.
    public func importFile(_ path: String, kind: ImportKind, format: ImportFormat = .auto, skipBad: Bool = false,
                           progress: @escaping @Sendable (ProgressReport) -> Void = { _ in }) async throws(MFClientError) -> RawResult<ImportCommitResult> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .localFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        let begin = try await send(ImportBeginRequest(kind: kind, format: format, skipBad: skipBad,
                                                      name: PathText.lastComponent(of: path), size: total))
        let chunkSize = min(Self.importChunkBytes, max(1024, begin.maxChunkBytes))
        var offset: Int64 = 0
        var carry: [UInt8] = []
        // Chunks in flight: each waited for a reply before the next was read, encoded and
        // sent, which made the upload of 76 MB take 1.7 s; the daemon spools them in order.
        var inFlight: [(pending: Pending<ImportChunkRequest>, end: Int64)] = []
        do throws(MFClientError) {
            while true {
                let data: Data
                // carry + data must stay within the daemon's max_chunk_bytes.
                do { data = try handle.read(upToCount: max(1, chunkSize - carry.count)) ?? Data() } catch {
                    throw .localFile(path: path, reason: "\(error)")
                }
                let eof = data.isEmpty
                var bytes = carry + data
                carry = []
                // Cut at the last newline so text chunks stay valid UTF-8; the rest goes with the next chunk.
                if !eof, let nl = bytes.lastIndex(of: 10), nl + 1 < bytes.count {
                    carry = Array(bytes[(nl + 1)...])
                    bytes.removeSubrange((nl + 1)...)
                }
                if bytes.isEmpty { if eof { break } else { continue } }
                let chunk: ImportChunkRequest
                if let text = String(validating: bytes, as: UTF8.self) {
                    chunk = ImportChunkRequest(import: begin.import, offset: offset, data: text)
                } else {
                    chunk = ImportChunkRequest(import: begin.import, offset: offset, dataBase64: Base64.encode(bytes))
                }
                offset += Int64(bytes.count)
                inFlight.append((try submit(chunk), offset))
                if inFlight.count == Self.importChunksInFlight {
                    let done = inFlight.removeFirst()
                    _ = try await done.pending.value()
                    progress(ProgressReport(stage: "upload", done: done.end, total: total ?? done.end, import: begin.import))
                }
                if eof { break }
            }
            for done in inFlight {
                _ = try await done.pending.value()
                progress(ProgressReport(stage: "upload", done: done.end, total: total ?? done.end, import: begin.import))
            }
            inFlight = []
        } catch {
            if case .daemon = error { _ = try? await send(ImportAbortRequest(token: begin.import)) }
            throw error
        }
        do throws(MFClientError) {
            let committed = try await sendLong(ImportCommitRequest(token: begin.import), job: begin.import, progress: progress)
            await reloaded(progress: progress)
            return committed
        } catch .unsettled(_, cause: .connectionClosed) {
            return try await Self.outcome(of: begin.import, socket: self.path, timeout: timeout, progress: progress)
        } catch {
            if case .daemon = error { _ = try? await send(ImportAbortRequest(token: begin.import)) }
            throw error
        }
    }

    /// Returns once mfd has reloaded its lists after an import (`status` shows
    /// no `loading`): until then reads answer from the data before the import,
    /// so a caller that reads next sees what it imported. Reports the reload's
    /// stage (`reload: fold-in`) meanwhile; each poll answers at once, so the
    /// timeout's silence never runs out.
    /// The import has committed: a failed poll ends the wait, never the import.
    func reloaded(progress: @escaping @Sendable (ProgressReport) -> Void) async {
        while let l = try? await send(StatusRequest()).loading {
            progress(ProgressReport(stage: "reload: " + l.stage, done: Int64(l.done), total: Int64(l.total)))
            try? await Task.sleep(for: .seconds(ProgressCadence.seconds))
        }
    }

    /// Pages through an export, handing the header and each page's rows to `body`; returns the
    /// header (the `export_begin` result).
    public func export(_ what: ExportKind, pageRows: Int = 10_000,
                       _ body: (ExportBeginResult, [[JSONScalar]]) throws(MFClientError) -> Void) async throws(MFClientError) -> RawResult<ExportBeginResult> {
        // Progress lines keep a slow begin or page from looking like silence.
        let reply = try await sendKeepingJSON(ExportBeginRequest(what: what), progress: { _ in })
        let begin = reply.value
        while true {
            let page = try await sendKeepingJSON(ExportNextRequest(export: begin.export, maxRows: pageRows), progress: { _ in }).value
            do throws(MFClientError) { try body(begin, page.rows) } catch {
                _ = try? await send(ExportEndRequest(token: begin.export))
                throw error
            }
            if page.done { return reply }
        }
    }
}
