import NIOCore

/// Splits a byte stream into `\n`-terminated lines with a hard length limit.
///
/// Pure state machine (no I/O): the connection handler appends what it reads
/// and pulls lines. It never holds more than `maxLineBytes` of an unfinished
/// line plus whatever complete lines the last read delivered, because the
/// handler stops reading while lines are queued. It frames NIO `ByteBuffer`s
/// and hands out slices of them (no copy); the blocking clients' `LineFramer`
/// frames byte arrays.
struct ByteBufferLineFramer {
    enum Next: Equatable {
        /// One complete line, newline stripped.
        case line(ByteBuffer)
        /// No complete line buffered.
        case needMoreData
        /// The current line is longer than the limit: reply with an error and close.
        case tooLong
    }

    let maxLineBytes: Int
    private var buffer: ByteBuffer?
    /// Bytes from the reader index already known to hold no newline.
    private var scanned = 0

    init(maxLineBytes: Int) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes held (complete lines not yet pulled plus a partial line).
    var bufferedBytes: Int { buffer?.readableBytes ?? 0 }

    mutating func append(_ bytes: ByteBuffer) {
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = bytes  // zero-copy when nothing is pending
            scanned = 0
        } else {
            var more = bytes
            buffer!.writeBuffer(&more)
        }
    }

    /// At end of input: the unterminated last line, if any (nil when empty).
    /// Call only after `next()` returned `.needMoreData`, so it is within the limit.
    mutating func finish() -> ByteBuffer? {
        defer {
            buffer = nil
            scanned = 0
        }
        guard let buf = buffer, buf.readableBytes > 0 else { return nil }
        return buf
    }

    mutating func next() -> Next {
        guard var buf = buffer, buf.readableBytes > scanned else {
            if let buf = buffer, buf.readableBytes > maxLineBytes { return .tooLong }
            return .needMoreData
        }
        let view = buf.readableBytesView
        let searchStart = view.index(view.startIndex, offsetBy: scanned)
        guard let nl = view[searchStart...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            return view.count > maxLineBytes ? .tooLong : .needMoreData
        }
        let length = nl - view.startIndex
        if length > maxLineBytes { return .tooLong }
        buffer = nil  // drop our reference so slicing does not force a copy
        let line = buf.readSlice(length: length)!
        buf.moveReaderIndex(forwardBy: 1)
        scanned = 0
        if buf.readableBytes > 0 { buffer = buf }
        return .line(line)
    }
}
