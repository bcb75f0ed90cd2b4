import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pull source of input bytes for the importer (runs on the writer thread).
protocol ChunkSource: SendableMetatype {
    /// The next chunk, or nil at the end of input.
    mutating func next() throws -> [UInt8]?
    /// Called from another thread when the consumer gives up: a blocked `next()` must return or throw soon.
    func abort()
}

extension ChunkSource {
    func abort() {}
}

/// Reads a local file in 1 MiB chunks (constant memory).
struct FileChunkSource: ChunkSource {
    private let fd: Int32
    private let path: String
    private let chunkSize = 1 << 20

    init(path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MFStoreError.ioError(path: path, detail: String(cString: strerror(errno))) }
        self.path = path
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    mutating func next() throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var n = 0
        repeat {
            n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
        } while n < 0 && errno == EINTR
        guard n >= 0 else { throw MFStoreError.ioError(path: path, detail: String(cString: strerror(errno))) }
        if n == 0 { return nil }
        chunk.removeSubrange(n...)
        return chunk
    }
}
