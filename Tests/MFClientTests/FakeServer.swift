import Foundation
import MFLineClient
import MFProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A Bool behind a lock (the fake server's threads read what a test sets).
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Bool
    init(_ value: Bool) { stored = value }
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A small blocking POSIX server that answers per docs/protocol.md with canned data,
/// for testing MFClient without the real daemon. One thread per connection.
final class FakeServer: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var imported: [UInt8] = []
    private var modelUsers = 0
    private var modelItems = 0
    private var modelFactors: [Float] = []
    /// Hang up on `import_commit` instead of answering, as a daemon killed
    /// mid-commit would; `import_status` then says whether it `commitLands`.
    let dropCommit = LockedFlag(false), commitLands = LockedFlag(false)
    /// Before answering an `import_commit` that asked for progress: 20 progress
    /// lines 0.1 s apart (`slowCommit`), or 3 and then silence (`silentCommit`).
    let slowCommit = LockedFlag(false), silentCommit = LockedFlag(false)

    /// Listens on `path` (default: a unique name in /tmp).
    init(path: String? = nil) throws {
        self.path = path ?? "/tmp/mfc-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        unlink(self.path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let ok = SocketPath.withAddress(self.path) { bind(fd, $0, $1) }
        guard ok == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    /// Wakes the accept loop (its `accept` fails after `shutdown`); the loop
    /// closes the descriptor itself, so it never calls `accept` on a number
    /// that another test has been given since.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        unlink(path)
    }

    var importedBytes: [UInt8] { lock.withLock { imported } }
    /// Every factor received by `import_model_rows`, in arrival order (either form).
    var receivedFactors: [Float] { lock.withLock { modelFactors } }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { close(fd); return }
            Thread { [self] in serve(c) }.start()
        }
    }

    private func serve(_ c: Int32) {
        let connection = LineClient(descriptor: c)  // closes `c` when done
        let decoder = RequestDecoder()
        while let line = try? connection.readLine() {
            guard let d = decoder.decode(Array(line)) else { continue }
            if case .success(.importCommit) = d.request, dropCommit.value { return }
            if case .success(.importCommit(let r)) = d.request, d.progress, slowCommit.value || silentCommit.value {
                for n in 0..<(silentCommit.value ? 3 : 20) {
                    let line = ResponseEncoder().progress(id: d.id, ProgressReport(stage: "write", done: Int64(n), total: 20, import: r.token))
                    guard (try? connection.send(Array(line))) != nil else { return }
                    usleep(100_000)  // mfd's cadence, sped up: far below the client's timeout
                }
                if silentCommit.value { while (try? connection.readLine()) != nil {}; return }  // silent until the client hangs up
            }
            guard let reply = answer(d) else { continue }  // no reply: lets the client time out
            guard (try? connection.send(reply)) != nil else { return }
        }
    }

    private func answer(_ d: DecodedRequest) -> [UInt8]? {
        let enc = ResponseEncoder()
        switch d.request {
        case .failure(let e): return enc.failure(id: d.id, e)
        case .success(let r):
            switch r {
            case .ping: return enc.success(id: d.id, PingResult())
            case .recommend(let q):
                if q.user == 404 { return enc.failure(id: d.id, WireError(.unknownUser, "no such user", field: "user")) }
                let items = (0..<q.n).map { ScoredItem(item: Int64($0 + 1), score: 5 - Float($0) / 10, title: "Movie \(q.user)-\($0)") }
                return enc.success(id: d.id, RecommendResult(user: q.user, items: items, source: .model))
            case .train: return nil
            case .importBegin: return enc.success(id: d.id, ImportBeginResult(import: "imp-1", maxChunkBytes: 4096))
            case .importChunk(let ch):
                let bytes = try! ch.bytes()
                let total = lock.withLock { imported += bytes; return imported.count }
                if ch.offset != Int64(total - bytes.count) { return enc.failure(id: d.id, WireError(.invalidValue, "offset", field: "offset")) }
                return enc.success(id: d.id, ImportChunkResult(bytes: Int64(total), lines: 0))
            case .importCommit:
                let lines = importedBytes.filter { $0 == 10 }.count
                var reply = enc.success(id: d.id, ImportCommitResult(kind: .ratings, format: .csv, lines: Int64(lines),
                                                                     imported: Int64(lines), skipped: 0, issues: [], durationSeconds: 0))
                // A field this client does not know, as a newer daemon might send: before the result's closing brace.
                reply.insert(contentsOf: #","future_field":[1,2]"#.utf8, at: reply.count - 3)
                return reply
            case .importModelBegin: return enc.success(id: d.id, ImportBeginResult(import: "mod-1", maxChunkBytes: 4096))
            case .importModelRows(let q):
                let (u, i) = lock.withLock { () -> (Int, Int) in
                    if q.side == .users { modelUsers += q.rowCount } else { modelItems += q.rowCount }
                    if let c = q.columns { c.appendFactors(to: &modelFactors) } else { modelFactors += q.rows.flatMap(\.factors) }
                    return (modelUsers, modelItems)
                }
                return enc.success(id: d.id, ImportModelRowsResult(users: u, items: i))
            case .importModelCommit:
                let (u, i) = lock.withLock { (modelUsers, modelItems) }
                return enc.success(id: d.id, ImportModelResult(modelID: 9, users: u, items: i, factors: 2, replayed: 0))
            case .importAbort: return enc.success(id: d.id, CloseResult())
            case .importStatus(let q):
                guard commitLands.value else { return enc.failure(id: d.id, WireError(.notFound, "no import", field: "import")) }
                let lines = importedBytes.filter { $0 == 10 }.count
                return enc.success(id: d.id, ImportStatus(import: q.token, kind: .ratings, state: .committed,
                                                          result: ImportCommitResult(kind: .ratings, format: .csv, lines: Int64(lines),
                                                                                     imported: Int64(lines), skipped: 0, issues: [], durationSeconds: 0)))
            default: return enc.failure(id: d.id, WireError(.internalError, "fake server does not do \(r.op.rawValue)"))
            }
        }
    }
}
