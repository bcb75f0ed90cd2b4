/// Splits a byte stream into `\n`-terminated lines with a maximum length.
///
/// Pure state machine (no I/O) over byte arrays, for the blocking clients and
/// test servers; lines come back as slices of its buffer (no copy). The
/// daemon frames NIO buffers with its own `ByteBufferLineFramer`.
public struct LineFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        /// One complete line, newline stripped.
        case line(ArraySlice<UInt8>)
        /// A line exceeded `maxLineBytes`; the connection should answer `line_too_long` and close.
        case tooLong
    }

    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// First byte not yet returned.
    private var start = 0
    /// Bytes from `start` already known to hold no newline.
    private var scanned = 0
    private var failed = false

    /// `maxLineBytes`: longest line, newline excluded (clients reading replies pass `.max`).
    public init(maxLineBytes: Int = 1 << 20) { self.maxLineBytes = maxLineBytes }

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Drops the bytes already returned (before more arrive, so a line handed out stays valid until then).
    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count { buffer.removeAll(keepingCapacity: true) } else { buffer.removeFirst(start) }
        start = 0
    }

    /// The next complete line, `.tooLong` once, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        if failed { return nil }
        if let nl = buffer[(start + scanned)...].firstIndex(of: 10) {
            guard nl - start <= maxLineBytes else { failed = true; return .tooLong }
            let line = buffer[start..<nl]
            start = nl + 1
            scanned = 0
            return .line(line)
        }
        scanned = buffer.count - start
        if scanned > maxLineBytes { failed = true; return .tooLong }
        return nil
    }

    /// Bytes buffered but not yet returned.
    public var pending: Int { buffer.count - start }
}
