import Foundation

/// A CSV read error with the file and 1-based line.
struct CSVError: Error, CustomStringConvertible {
    var file: String, line: Int, message: String
    var description: String { "\(file):\(line): \(message)" }
}

/// Ratings read from a CSV whose header names `userId`, `itemId` or `movieId`,
/// and `rating`; other columns are ignored. Rows stay in file order.
struct RatingsCSV {
    var users: [Int64] = [], items: [Int64] = [], ratings: [Float] = []
    var count: Int { ratings.count }

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVError(file: path, line: 0, message: "cannot read file")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
        guard let header = lines.popFirst() else { throw CSVError(file: path, line: 1, message: "empty file") }
        let names = Self.fields(header).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ wanted: [String], _ what: String) throws -> Int {
            guard let c = names.firstIndex(where: wanted.contains) else {
                throw CSVError(file: path, line: 1, message: "header has no \(what) column (want one of \(wanted.joined(separator: ", ")))")
            }
            return c
        }
        let uc = try column(["userid", "user_id", "user"], "user")
        let ic = try column(["itemid", "movieid", "item_id", "item"], "item")
        let rc = try column(["rating"], "rating")
        let need = max(uc, ic, rc)
        for (n, raw) in lines.enumerated() {
            let lineNo = n + 2
            let f = Self.fields(raw)
            if f.count == 1 && f[0].allSatisfy({ $0 == 13 || $0 == 32 }) { continue }  // blank line
            guard f.count > need else { throw CSVError(file: path, line: lineNo, message: "expected at least \(need + 1) fields, got \(f.count)") }
            guard let u = Self.int(f[uc]) else { throw CSVError(file: path, line: lineNo, message: "user id is not an integer") }
            guard let i = Self.int(f[ic]) else { throw CSVError(file: path, line: lineNo, message: "item id is not an integer") }
            guard let r = Float(String(decoding: f[rc], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), r.isFinite else {
                throw CSVError(file: path, line: lineNo, message: "rating is not a finite number")
            }
            users.append(u); items.append(i); ratings.append(r)
        }
        guard !ratings.isEmpty else { throw CSVError(file: path, line: 2, message: "no rating rows") }
    }

    private static func fields(_ line: Data.SubSequence) -> [Data.SubSequence] {
        line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    }

    private static func int(_ s: Data.SubSequence) -> Int64? {
        var v: Int64 = 0, any = false, neg = false
        for b in s {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b - 48))
                if o1 || o2 { return nil }
                v = a; any = true
            case UInt8(ascii: "-") where !any && !neg: neg = true
            case 13, 32: continue
            default: return nil
            }
        }
        return any ? (neg ? -v : v) : nil
    }
}
