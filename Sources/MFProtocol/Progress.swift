import Foundation

/// How far a long request has come: the body of a progress line,
/// `{"id":…,"progress":{"stage":"write","done":…,"total":…}}`, which mfd sends
/// before the reply of a request that asked with `"progress": true`, and of
/// `status.imports[].progress`.
public struct ProgressReport: Codable, Sendable, Equatable {
    /// What runs now: `queued`, `write`, `commit`, `epoch`, `trial`, ….
    public var stage: String
    /// Units of the stage done (bytes, rows, epochs, trials) and their total; 0 when it cannot count.
    public var done: Int64
    public var total: Int64
    /// The import or model-import token the request works on (`import_status` tells its outcome).
    public var `import`: String?
    /// The export token.
    public var export: String?
    /// The `train`/`tune` job (`train_status` tells its outcome).
    public var job: Int64?

    public init(stage: String, done: Int64 = 0, total: Int64 = 0, import token: String? = nil,
                export: String? = nil, job: Int64? = nil) {
        self.stage = stage; self.done = done; self.total = total; self.import = token; self.export = export; self.job = job
    }

    /// done / total in 0…1; nil when the stage cannot count.
    public var fraction: Double? { total > 0 ? min(1, Double(done) / Double(total)) : nil }

    /// The report before a request has started (it waits behind earlier work or the loading phase).
    public static let queued = ProgressReport(stage: "queued")
}

/// The progress interval: mfd sends a progress line this often (seconds) while a
/// request that asked for them runs; the protocol promises at least one a second.
public enum ProgressCadence {
    public static let seconds = 0.5
}

extension ResponseEncoder {
    /// A progress line for request `id` (with its `\n`).
    public func progress(id: RequestID, _ report: ProgressReport) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(contentsOf: #"{"id":"#.utf8)
        id.write(to: &out)
        out.append(contentsOf: #","progress":"#.utf8)
        do { try StreamingJSONEncoder().encode(report, into: &out) } catch {
            out.append(contentsOf: #"{"stage":"unknown","done":0,"total":0}"#.utf8)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }
}

extension ResponseLine {
    /// The request id and report of a progress line, or nil when `line` is a
    /// response (it has `ok`) or not a progress line. Cheap on responses: the
    /// scan stops at their `ok`, which mfd writes second.
    public static func progress(in line: [UInt8]) -> (id: RequestID, report: ProgressReport)? {
        guard LineScan.topLevelValue("ok", in: line) == nil, let range = LineScan.topLevelValue("progress", in: line),
              let report = try? JSONDecoder().decode(ProgressReport.self, from: Data(line[range])) else { return nil }
        let id = LineScan.topLevelValue("id", in: line).flatMap { try? JSONDecoder().decode(RequestID.self, from: Data(line[$0])) }
        return (id ?? .null, report)
    }
}
