import ArgumentParser
import Foundation
import MFClient
import MFCtlKit
import MFProtocol

struct Export: AsyncParsableCommand {
    enum What: String, ExpressibleByArgument, CaseIterable { case ratings, factors }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, npy }

    static let configuration = CommandConfiguration(
        abstract: "Write ratings or factors into DIR (streamed; mfctl writes the files).",
        discussion: "Files are written as NAME.partial and renamed to NAME once the whole export has arrived; an export that fails "
            + "(a lost connection, a daemon error) removes its .partial files and leaves what DIR held before. "
            + "With --json, prints the daemon's export_begin result of each exported table unchanged, one JSON object per line "
            + "(ratings: one line; factors: user_factors, then item_factors).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ratings or factors.") var what: What
    @Argument(help: "Directory to write into (created if missing).", completion: .directory) var dir: String
    @Option(help: "csv, or npy (factors only).") var format: Format = .csv
    @Option(help: "Ratings per part-NNNNN.csv file.") var rowsPerPart: Int = 1_000_000

    func validate() throws {
        if what == .ratings, format == .npy { throw ValidationError("ratings export is CSV only") }
    }

    func run() async throws {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw ValidationError("cannot create \(dir): \(error.localizedDescription)")
        }
        let staged = StagedFiles()
        if what == .ratings { return try await staged.committing { try await exportRatings(staged) } }
        var headers: [ExportKind: ExportBeginResult] = [:]
        // Both tables under temporary names, then renamed together: users.csv never pairs with an old items.csv.
        let lines = try await staged.committing { () -> [[UInt8]] in
            var lines: [[UInt8]] = []
            for kind in [ExportKind.userFactors, .itemFactors] {
                let name = format == .npy ? kind.rawValue : kind == .userFactors ? "users" : "items"
                let base = PathText.appending(name, to: dir)
                let sink: any ExportSink = format == .csv ? try CSVSink(path: base + ".csv", staged: staged) : NPYSink(base: base, staged: staged)
                let reply = try await global.withClient { client throws(MFClientError) in
                    try await client.export(kind) { header, rows throws(MFClientError) in try sink.rows(rows, header: header) }
                }
                try sink.finish(header: reply.value)
                headers[kind] = reply.value
                lines.append(global.json ? reply.json : Array("wrote \(reply.rows) rows of \(kind.rawValue) to \(sink.description)".utf8))
            }
            return lines
        }
        for line in lines { printJSON(line) }  // each line as it is, then a newline
        // A manifest in the interchange format (docs/scale-out.md): the files import back with `mfctl import-model DIR`.
        if let u = headers[.userFactors], let i = headers[.itemFactors] {
            var m = ModelFiles(algorithm: "mfd-export", k: max(0, u.columns.count - 2), globalMean: u.globalMean ?? 0,
                               users: Int(u.rows), items: Int(i.rows))
            if format == .npy { m.files = .init(users: "user_factors.npy", items: "item_factors.npy") }
            m.hyperparameters = ["modelId": u.modelID.map { .int($0) } ?? .null]
            try writeJSON(m, "manifest.json")
        }
    }

    /// `DIR/part-NNNNN.csv` with `userId,itemId,rating,timestamp` (the layout contrib/spark reads)
    /// plus `DIR/_mfd_export.json` with the store sequence the export reflects, written last.
    /// The parts are staged; once all arrived, the old `_mfd_export.json` and
    /// parts numbered beyond the new ones (an earlier, longer export's) go first.
    func exportRatings(_ staged: StagedFiles) async throws {
        let sink = PartSink(dir: dir, rowsPerPart: rowsPerPart, staged: staged)
        let reply = try await global.withClient { client throws(MFClientError) in
            try await client.export(.ratings) { _, rows throws(MFClientError) in try sink.rows(rows) }
        }
        try sink.finish()
        unlink(PathText.appending(ExportInfo.fileName, to: dir))
        try staged.commit()
        sink.removeLaterParts()
        try writeJSON(ExportInfo(rows: sink.total, sequence: reply.sequence), ExportInfo.fileName)
        if global.json { printJSON(reply.json) } else { print("wrote \(sink.total) ratings to \(sink.parts) part files in \(dir)") }
    }

    /// A small JSON file, written whole or not at all (a temporary file renamed).
    func writeJSON<T: Encodable>(_ value: T, _ name: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try e.encode(value).write(to: URL(fileURLWithPath: PathText.appending(name, to: dir)), options: .atomic)
    }
}

/// Ratings into numbered CSV parts, each with the header line, staged.
final class PartSink {
    let dir: String
    let rowsPerPart: Int
    let staged: StagedFiles
    var parts = 0
    var total: Int64 = 0
    var inPart = 0
    var handle: FileHandle?

    init(dir: String, rowsPerPart: Int, staged: StagedFiles) {
        self.dir = dir; self.rowsPerPart = max(1, rowsPerPart); self.staged = staged
    }

    func partPath(_ n: Int) -> String { PathText.appending(String(format: "part-%05d.csv", n), to: dir) }

    /// Removes `part-NNNNN.csv` files numbered from `parts` on: an earlier export's, which would read as this one's.
    func removeLaterParts() {
        var n = parts
        while unlink(partPath(n)) == 0 { n += 1 }
    }

    func rows(_ rows: [[JSONScalar]]) throws(MFClientError) {
        var text = ""
        for row in rows {
            if handle == nil || inPart == rowsPerPart {
                try write(&text)
                try? handle?.close()
                let path = staged.stage(partPath(parts))
                guard FileManager.default.createFile(atPath: path, contents: Data("userId,itemId,rating,timestamp\n".utf8)),
                      let h = FileHandle(forWritingAtPath: path) else { throw .localFile(path: path, reason: "cannot create") }
                h.seekToEndOfFile()
                handle = h; parts += 1; inPart = 0
            }
            text += row.map { if case .null = $0 { "" } else { $0.description } }.joined(separator: ",") + "\n"
            inPart += 1; total += 1
        }
        try write(&text)
    }

    private func write(_ text: inout String) throws(MFClientError) {
        guard !text.isEmpty, let handle else { return }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw .localFile(path: dir, reason: "\(error)") }
        text = ""
    }

    func finish() throws { try handle?.close() }
}

/// Receives export pages and writes files.
protocol ExportSink: CustomStringConvertible {
    func rows(_ rows: [[JSONScalar]], header: ExportBeginResult) throws(MFClientError)
    func finish(header: ExportBeginResult) throws
}

final class CSVSink: ExportSink {
    let path: String
    let handle: FileHandle
    var wroteHeader = false
    var description: String { path }

    init(path: String, staged: StagedFiles) throws {
        self.path = path
        let temporary = staged.stage(path)
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let h = FileHandle(forWritingAtPath: temporary) else {
            throw ValidationError("cannot write \(temporary)")
        }
        handle = h
    }

    func rows(_ rows: [[JSONScalar]], header: ExportBeginResult) throws(MFClientError) {
        var text = ""
        if !wroteHeader { text = header.columns.joined(separator: ",") + "\n"; wroteHeader = true }
        for row in rows {
            text += row.map { cell -> String in
                if case .string(let s) = cell { return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
                if case .null = cell { return "" }
                return cell.description
            }.joined(separator: ",") + "\n"
        }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw .localFile(path: path + StagedFiles.suffix, reason: "\(error)") }
    }

    func finish(header: ExportBeginResult) throws {
        if !wroteHeader { try handle.write(contentsOf: Data((header.columns.joined(separator: ",") + "\n").utf8)) }
        try handle.close()
    }
}

/// `<base>.npy` (float32 rows × k factors), `<base>_ids.npy` (int64), `<base>_biases.npy` (float32).
final class NPYSink: ExportSink {
    let base: String
    let staged: StagedFiles
    var ids: [UInt8] = []
    var biases: [UInt8] = []
    var factors: [UInt8] = []
    var count = 0
    var k: Int?
    var description: String { base + ".npy" }

    init(base: String, staged: StagedFiles) { self.base = base; self.staged = staged }

    func rows(_ rows: [[JSONScalar]], header: ExportBeginResult) throws(MFClientError) {
        for row in rows {
            guard row.count >= 2, case .int(let id) = row[0] else { throw .badResponse("factor row without an integer id") }
            let values = row.dropFirst().map { cell -> Float in
                switch cell { case .int(let i): return Float(i); case .double(let d): return Float(d); default: return .nan }
            }
            if k == nil { k = values.count - 1 }
            guard values.count - 1 == k, !values.contains(where: { $0.isNaN }) else { throw .badResponse("ragged or non-numeric factor row for id \(id)") }
            NPY.append(id, to: &ids)
            NPY.append([values[0]], to: &biases)
            NPY.append(Array(values.dropFirst()), to: &factors)
            count += 1
        }
    }

    func finish(header: ExportBeginResult) throws {
        let k = self.k ?? max(0, header.columns.count - 2)
        for (suffix, bytes) in [(".npy", NPY.header(dtype: .float32, shape: [count, k]) + factors),
                                ("_ids.npy", NPY.header(dtype: .int64, shape: [count]) + ids),
                                ("_biases.npy", NPY.header(dtype: .float32, shape: [count]) + biases)] {
            try Data(bytes).write(to: URL(fileURLWithPath: staged.stage(base + suffix)))
        }
    }
}
