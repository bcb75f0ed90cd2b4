import Foundation
import MFProtocol

/// One side of a model in the `.npy` interchange layout (docs/scale-out.md):
/// `BASE.npy` float32 (n, k), `BASE_ids.npy` int64 (n,), `BASE_biases.npy` float32 (n,),
/// read in blocks of rows straight into `FactorColumns` (the bytes are never parsed).
struct NPYFactorFiles {
    let factorsPath: String
    let idsPath: String
    let biasesPath: String
    let rows: Int
    let k: Int
    private let factors: FileHandle, ids: FileHandle, biases: FileHandle
    private(set) var next = 0

    /// Opens `factorsPath` (ending in `.npy`) and its two companions; checks dtype, shape and size against the manifest.
    init(factorsPath: String, rows: Int, k: Int) throws(MFClientError) {
        let base = String(factorsPath.dropLast(4))
        self.factorsPath = factorsPath; idsPath = base + "_ids.npy"; biasesPath = base + "_biases.npy"
        self.rows = rows; self.k = k
        factors = try Self.open(factorsPath, descr: "<f4", shape: [rows, k])
        ids = try Self.open(idsPath, descr: "<i8", shape: [rows])
        biases = try Self.open(biasesPath, descr: "<f4", shape: [rows])
    }

    /// The next block of at most `maxRows` rows, or nil after the last.
    mutating func nextBlock(maxRows: Int) throws(MFClientError) -> FactorColumns? {
        let n = min(maxRows, rows - next)
        guard n > 0 else { return nil }
        let idBytes = try Self.read(ids, idsPath, n * 8), biasBytes = try Self.read(biases, biasesPath, n * 4)
        let factorBytes = try Self.read(factors, factorsPath, n * k * 4)
        let block: FactorColumns
        do throws(WireError) {
            block = try FactorColumns(ids: idBytes, biases: biasBytes, factors: factorBytes)
        } catch { throw .localFile(path: factorsPath, reason: error.message) }
        next += n
        return block
    }

    /// The file and row that row `n` of the block starting at `start` came from, for daemon errors.
    func describe(row n: Int, blockStart start: Int) -> String { "\(PathText.lastComponent(of: factorsPath)) row \(start + n)" }

    func close() { for h in [factors, ids, biases] { try? h.close() } }

    /// Opens `path`, checks its header is `descr` with `shape`, that its size is exactly header + data,
    /// and leaves the handle at the first data byte.
    static func open(_ path: String, descr: String, shape: [Int]) throws(MFClientError) -> FileHandle {
        guard let h = FileHandle(forReadingAtPath: path) else { throw .localFile(path: path, reason: String(cString: strerror(errno))) }
        do {
            let head = try h.read(upToCount: 4096) ?? Data()
            guard let (d, s, offset) = NPY.parseHeader([UInt8](head)) else {
                throw MFClientError.localFile(path: path, reason: "not a NumPy .npy v1.0 file in C order")
            }
            guard d == descr else { throw MFClientError.localFile(path: path, reason: "dtype \(d); expected \(descr) (little-endian)") }
            guard s == shape else {
                throw MFClientError.localFile(path: path, reason: "shape \(s); the manifest's counts and k say \(shape)")
            }
            let itemSize = descr.hasSuffix("8") ? 8 : 4
            let size = try h.seekToEnd()
            let want = UInt64(offset + shape.reduce(1, *) * itemSize)
            guard size == want else { throw MFClientError.localFile(path: path, reason: "\(size) bytes; header and shape need \(want)") }
            try h.seek(toOffset: UInt64(offset))
            return h
        } catch let e as MFClientError {
            try? h.close(); throw e
        } catch {
            try? h.close(); throw .localFile(path: path, reason: "\(error)")
        }
    }

    static func read(_ h: FileHandle, _ path: String, _ count: Int) throws(MFClientError) -> [UInt8] {
        let data: Data
        do { data = try h.read(upToCount: count) ?? Data() } catch { throw .localFile(path: path, reason: "\(error)") }
        guard data.count == count else { throw .localFile(path: path, reason: "ends early (read \(data.count) of \(count) bytes)") }
        return [UInt8](data)
    }
}
