/// Splits a byte stream into `\n`-terminated lines with a maximum length.
/// Pure state machine (no I/O) for POSIX clients and tests; the NIO server has its own decoder.
public struct LineFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        case line([UInt8])
        /// A line exceeded `maxLineBytes`; the connection should answer `line_too_long` and close.
        case tooLong
    }

    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var scanned = 0
    private var failed = false

    public init(maxLineBytes: Int = WireProtocol.defaultMaxLineBytes) { self.maxLineBytes = maxLineBytes }

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line (without `\n`), `.tooLong` once, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        if failed { return nil }
        if let nl = buffer[scanned...].firstIndex(of: 10) {
            guard nl <= maxLineBytes else { failed = true; return .tooLong }
            let line = Array(buffer[..<nl])
            buffer.removeFirst(nl + 1)
            scanned = 0
            return .line(line)
        }
        scanned = buffer.count
        if buffer.count > maxLineBytes { failed = true; return .tooLong }
        return nil
    }

    /// Bytes buffered but not yet returned.
    public var pending: Int { buffer.count }
}
