import Foundation
import MFCore

/// Attributes per raw id from a CSV such as users.csv (userId,age,…) or
/// movies.csv (movieId,title,genres). The id is the first column named
/// userId/movieId/itemId/id; the other columns (or only `columns`) become
/// attributes: a number when the field parses as a finite number, else a
/// category. Empty fields are missing. Double-quoted fields may hold commas.
struct AttributesCSV {
    var rows: [Int64: [String: AttributeValue]] = [:]

    init(path: String, columns wanted: [String]? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVError(file: path, line: 0, message: "cannot read file")
        }
        let lines = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first else { throw CSVError(file: path, line: 1, message: "empty file") }
        let names = Self.fields(header).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let idc = names.firstIndex(where: { ["userid", "movieid", "itemid", "item_id", "user_id", "id"].contains($0.lowercased()) }) else {
            throw CSVError(file: path, line: 1, message: "header has no id column (userId, movieId, itemId or id)")
        }
        let use = names.indices.filter { $0 != idc && (wanted?.contains(names[$0]) ?? true) }
        if let wanted, let miss = wanted.first(where: { !names.contains($0) }) {
            throw CSVError(file: path, line: 1, message: "header has no column \(miss)")
        }
        for (n, line) in lines.dropFirst().enumerated() where !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let f = Self.fields(line)
            guard f.count == names.count else {
                throw CSVError(file: path, line: n + 2, message: "expected \(names.count) fields, got \(f.count)")
            }
            guard let id = Int64(f[idc].trimmingCharacters(in: .whitespaces)) else {
                throw CSVError(file: path, line: n + 2, message: "id is not an integer")
            }
            var row: [String: AttributeValue] = [:]
            for c in use {
                let v = f[c].trimmingCharacters(in: .whitespacesAndNewlines)
                if v.isEmpty { continue }
                if let x = Double(v), x.isFinite { row[names[c]] = .number(x) } else { row[names[c]] = .category(v) }
            }
            rows[id] = row
        }
    }

    /// Adds `year` (number) and `period` (5-year bin, a category: exposure is not linear in
    /// the year) parsed from a `title` ending in "(YYYY)"; drops `title` unless kept.
    mutating func replaceTitlesByYear(keepTitle: Bool) {
        for (id, var row) in rows {
            if case .category(let t)? = row["title"], t.hasSuffix(")"), let open = t.lastIndex(of: "("),
               let y = Double(t[t.index(after: open)..<t.index(before: t.endIndex)]), (1800...2100).contains(y) {
                row["year"] = .number(y); row["period"] = .category("\(Int(y) / 5 * 5)")
            }
            if !keepTitle { row["title"] = nil }
            rows[id] = row
        }
    }

    /// Splits one line on commas outside double quotes ("" is a quote).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        var it = line.makeIterator()
        while let ch = it.next() {
            switch ch {
            case "\"" where quoted:
                if let nx = it.next() {
                    if nx == "\"" { cur.append("\"") } else { quoted = false; if nx == "," { out.append(cur); cur = "" } else if nx != "\r" { cur.append(nx) } }
                } else { quoted = false }
            case "\"" where cur.isEmpty: quoted = true
            case "," where !quoted: out.append(cur); cur = ""
            case "\r" where !quoted: continue
            default: cur.append(ch)
            }
        }
        out.append(cur)
        return out
    }
}
