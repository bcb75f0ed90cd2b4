#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream fed in arbitrary chunks into records (lines), tracking
/// line numbers. In quote-aware mode (CSV) a newline inside `"…"` does not end
/// the record. Only the unfinished tail is kept between chunks.
struct RecordSplitter {
    private(set) var buffer: [UInt8] = []
    private var recordStart = 0
    private var scanPos = 0
    private var inQuotes = false
    private var newlinesInRecord = 0
    private var nextLine = 1
    private var sawEOF = false
    private var bomChecked = false
    var quoteAware = false

    /// Appends input, dropping already-returned records first.
    mutating func append(_ chunk: [UInt8]) {
        if recordStart > 0 {
            buffer.removeSubrange(0..<recordStart)
            scanPos -= recordStart
            recordStart = 0
        }
        buffer.append(contentsOf: chunk)
        if !bomChecked && buffer.count >= 3 {
            bomChecked = true
            if buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { buffer.removeFirst(3) }
        }
    }

    mutating func markEOF() {
        sawEOF = true
        bomChecked = true
    }

    /// The next complete record (terminator and trailing CR removed) and its first
    /// line number, or nil when more input is needed (or the input is exhausted).
    mutating func next() -> (range: Range<Int>, line: Int)? {
        let count = buffer.count
        let (end, quotes, newlines, scanned) = buffer.withUnsafeBufferPointer { p in
            findEnd(p, from: scanPos, count: count, inQuotes: inQuotes)
        }
        inQuotes = quotes
        newlinesInRecord += newlines
        var stop: Int
        if let end {
            stop = end
            scanPos = end + 1
        } else {
            scanPos = scanned
            guard sawEOF, recordStart < count else { return nil }
            stop = count
            scanPos = count
        }
        let start = recordStart
        recordStart = scanPos
        if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
        let line = nextLine
        nextLine += 1 + newlinesInRecord
        newlinesInRecord = 0
        return (start..<stop, line)
    }

    /// Returns the index of the terminating LF (or nil), the quote state, LFs inside quotes, and how far it scanned.
    private func findEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int, count: Int,
                         inQuotes: Bool) -> (Int?, Bool, Int, Int) {
        guard from < count, let base = p.baseAddress else { return (nil, inQuotes, 0, from) }
        let lf = memchr(base + from, 0x0A, count - from).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base }
        if !quoteAware { return (lf, false, 0, count) }
        // Fast path: no quote between here and the LF.
        if !inQuotes, let lf, memchr(base + from, 0x22, lf - from) == nil { return (lf, false, 0, lf + 1) }
        var quoted = inQuotes
        var newlines = 0
        var i = from
        while i < count {
            let b = p[i]
            if b == 0x22 {
                quoted.toggle()
            } else if b == 0x0A {
                if !quoted { return (i, false, newlines, i + 1) }
                newlines += 1
            }
            i += 1
        }
        return (nil, quoted, newlines, count)
    }
}
