import ArgumentParser
import Foundation
import MFClient
import MFProtocol

struct Export: AsyncParsableCommand {
    enum What: String, ExpressibleByArgument, CaseIterable { case ratings, factors }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, npy }

    static let configuration = CommandConfiguration(
        abstract: "Write ratings or factors into DIR (streamed; mfctl writes the files).",
        discussion: "With --json, prints the daemon's export_begin result of each exported table unchanged, one JSON object per line "
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
        if what == .ratings { return try await exportRatings() }
        var headers: [ExportKind: ExportBeginResult] = [:]
        for kind in [ExportKind.userFactors, .itemFactors] {
            let name = format == .npy ? kind.rawValue : kind == .userFactors ? "users" : "items"
            let base = PathText.appending(name, to: dir)
            let sink: any ExportSink = format == .csv ? try CSVSink(path: base + ".csv") : try NPYSink(base: base)
            let reply = try await global.withClient { client throws(MFClientError) in
                try await client.export(kind) { header, rows throws(MFClientError) in try sink.rows(rows, header: header) }
            }
            try sink.finish(header: reply.value)
            headers[kind] = reply.value
            if global.json { printJSON(reply.json) } else { print("wrote \(reply.rows) rows of \(kind.rawValue) to \(sink.description)") }
        }
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
    /// plus `DIR/_mfd_export.json` with the store sequence the export reflects.
    func exportRatings() async throws {
        let sink = PartSink(dir: dir, rowsPerPart: rowsPerPart)
        let reply = try await global.withClient { client throws(MFClientError) in
            try await client.export(.ratings) { _, rows throws(MFClientError) in try sink.rows(rows) }
        }
        try sink.finish()
        try writeJSON(ExportInfo(rows: sink.total, sequence: reply.sequence), ExportInfo.fileName)
        if global.json { printJSON(reply.json) } else { print("wrote \(sink.total) ratings to \(sink.parts) part files in \(dir)") }
    }

    func writeJSON<T: Encodable>(_ value: T, _ name: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try e.encode(value).write(to: URL(fileURLWithPath: PathText.appending(name, to: dir)))
    }
}

/// Ratings into numbered CSV parts, each with the header line.
final class PartSink {
    let dir: String
    let rowsPerPart: Int
    var parts = 0
    var total: Int64 = 0
    var inPart = 0
    var handle: FileHandle?

    init(dir: String, rowsPerPart: Int) { self.dir = dir; self.rowsPerPart = max(1, rowsPerPart) }

    func rows(_ rows: [[JSONScalar]]) throws(MFClientError) {
        var text = ""
        for row in rows {
            if handle == nil || inPart == rowsPerPart {
                try write(&text)
                try? handle?.close()
                let path = PathText.appending(String(format: "part-%05d.csv", parts), to: dir)
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

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write \(path)")
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
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw .localFile(path: path, reason: "\(error)") }
    }

    func finish(header: ExportBeginResult) throws {
        if !wroteHeader { try handle.write(contentsOf: Data((header.columns.joined(separator: ",") + "\n").utf8)) }
        try handle.close()
    }
}

/// `<base>.npy` (float32 rows × k factors), `<base>_ids.npy` (int64), `<base>_biases.npy` (float32).
final class NPYSink: ExportSink {
    let base: String
    var ids: [UInt8] = []
    var biases: [UInt8] = []
    var factors: [UInt8] = []
    var count = 0
    var k: Int?
    var description: String { base + ".npy" }

    init(base: String) throws { self.base = base }

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
        try Data(NPY.header(dtype: .float32, shape: [count, k]) + factors).write(to: URL(fileURLWithPath: base + ".npy"))
        try Data(NPY.header(dtype: .int64, shape: [count]) + ids).write(to: URL(fileURLWithPath: base + "_ids.npy"))
        try Data(NPY.header(dtype: .float32, shape: [count]) + biases).write(to: URL(fileURLWithPath: base + "_biases.npy"))
    }
}
