/// How fields of a record are separated.
enum Separator {
    case byte(UInt8)     // ',', '\t', '|'
    case doubleColon     // ml-1m "::"
}

/// Splits one record into fields, copying them into a reused buffer so that
/// quoted CSV fields can be unescaped (`""` → `"`). No per-row allocation once warm.
struct FieldSplitter {
    let separator: Separator
    /// RFC 4180 quoting (CSV formats only).
    let quoting: Bool
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []

    init(separator: Separator, quoting: Bool) {
        self.separator = separator
        self.quoting = quoting
        bytes.reserveCapacity(4096)
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
    }

    var count: Int { starts.count }

    /// Splits `record`; throws a RowError for malformed quoting.
    mutating func split(_ record: UnsafeBufferPointer<UInt8>) throws {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let n = record.count
        if !quoting || !record.contains(0x22) {
            splitUnquoted(record)
            return
        }
        var i = 0
        while true {
            starts.append(bytes.count)
            if quoting && i < n && record[i] == 0x22 {
                i = try readQuoted(record, from: i + 1)
            } else {
                while i < n && !isSeparator(record, at: i) {
                    bytes.append(record[i])
                    i += 1
                }
            }
            ends.append(bytes.count)
            if i >= n { return }
            i += separatorLength  // at a separator
            if i == n {  // trailing separator: one more, empty field
                starts.append(bytes.count)
                ends.append(bytes.count)
                return
            }
        }
    }

    /// Fast path: one copy of the record, then separator positions.
    private mutating func splitUnquoted(_ record: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: record)
        starts.append(0)
        let n = record.count
        var i = 0
        switch separator {
        case .byte(let sep):
            while i < n {
                if record[i] == sep {
                    ends.append(i)
                    starts.append(i + 1)
                }
                i += 1
            }
        case .doubleColon:
            while i + 1 < n {
                if record[i] == 0x3A && record[i + 1] == 0x3A {
                    ends.append(i)
                    starts.append(i + 2)
                    i += 2
                } else {
                    i += 1
                }
            }
        }
        ends.append(n)
    }

    /// Field `i` as bytes, valid until the next `split`.
    func withField<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { p in
            try body(UnsafeBufferPointer(rebasing: p[starts[i]..<ends[i]]))
        }
    }

    private var separatorLength: Int {
        if case .doubleColon = separator { 2 } else { 1 }
    }

    private func isSeparator(_ r: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        switch separator {
        case .byte(let b): r[i] == b
        case .doubleColon: r[i] == 0x3A && i + 1 < r.count && r[i + 1] == 0x3A
        }
    }

    /// Reads a quoted field body starting after the opening quote; returns the index after the closing quote.
    private mutating func readQuoted(_ r: UnsafeBufferPointer<UInt8>, from start: Int) throws -> Int {
        var i = start
        while i < r.count {
            if r[i] == 0x22 {
                if i + 1 < r.count && r[i + 1] == 0x22 {
                    bytes.append(0x22)
                    i += 2
                    continue
                }
                i += 1
                guard i == r.count || isSeparator(r, at: i) else {
                    throw RowError("unexpected character after closing quote in field \(starts.count)")
                }
                return i
            }
            bytes.append(r[i])
            i += 1
        }
        throw RowError("unterminated quoted field \(starts.count)")
    }
}
