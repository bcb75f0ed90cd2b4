import Foundation

/// Turns one split record into database writes. Throws `RowError` for a malformed
/// row (before writing anything for it); any other error aborts the import.
protocol RowHandler {
    mutating func handle(_ fields: FieldSplitter) throws
    /// Writes anything buffered; called once after the last row.
    mutating func finish() throws
}

extension RowHandler {
    mutating func finish() throws {}
}

extension FieldSplitter {
    /// Throws unless the record has exactly `expected` fields.
    func require(_ expected: Int) throws {
        guard count == expected else {
            throw RowError(count < expected ? "missing column: expected \(expected) fields, found \(count)"
                                            : "expected \(expected) fields, found \(count)")
        }
    }

    /// Field `i` for error messages (lossy, shortened).
    func show(_ i: Int) -> String {
        let s = withField(i) { String(decoding: $0.prefix(40), as: UTF8.self) }
        return "\"\(s)\""
    }

    func isEmpty(_ i: Int) -> Bool { withField(i) { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } } }

    func int64(_ i: Int, _ what: String) throws -> Int64 {
        guard let v = withField(i, FieldParsing.int64) else { throw RowError("bad \(what) \(show(i)): not an integer") }
        return v
    }

    func double(_ i: Int, _ what: String) throws -> Double {
        guard let v = withField(i, FieldParsing.double) else { throw RowError("bad \(what) \(show(i)): not a number") }
        return v
    }

    /// Text in the file's encoding; UTF-8 must be valid.
    func text(_ i: Int, latin1: Bool, _ what: String) throws -> String {
        if latin1 { return withField(i, FieldParsing.latin1) }
        guard let s = withField(i, FieldParsing.utf8) else { throw RowError("invalid UTF-8 in \(what)") }
        return s
    }
}

/// Column positions of a ratings file.
struct RatingColumns {
    var user = 0, item = 1, rating = 2
    var timestamp: Int? = 3
    var fieldCount = 4
}
