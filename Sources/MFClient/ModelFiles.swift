import Foundation
import MFCore
import MFProtocol

/// `MODEL/manifest.json` of the model interchange format (docs/scale-out.md),
/// as written by `contrib/spark/train_als.py` and `mfctl export factors --format csv`.
public struct ModelFiles: Codable, Sendable, Equatable {
    public struct Counts: Codable, Sendable, Equatable {
        public var ratings: Int?
        public var users: Int
        public var items: Int
    }
    public struct Files: Codable, Sendable, Equatable {
        public var users: String
        public var items: String
        public init(users: String, items: String) { self.users = users; self.items = items }
    }
    public var format: String
    public var formatVersion: Int
    public var algorithm: String
    public var k: Int
    public var globalMean: Double
    /// Numbers, strings, booleans or null (train_als.py writes e.g. `"regScaledByCount": true`).
    public var hyperparameters: [String: JSONScalar]?
    public var counts: Counts
    public var files: Files?
    /// The store sequence of the ratings export trained on (`DIR/_mfd_export.json`), when known.
    public var exportSequence: Int64?

    public init(algorithm: String, k: Int, globalMean: Double, users: Int, items: Int, exportSequence: Int64? = nil) {
        format = "mfd-model"; formatVersion = 1; self.algorithm = algorithm; self.k = k; self.globalMean = globalMean
        counts = Counts(ratings: nil, users: users, items: items)
        files = Files(users: "users.csv", items: "items.csv"); self.exportSequence = exportSequence
    }

    /// Reads and checks `dir/manifest.json`.
    public static func read(_ dir: String) throws(MFClientError) -> ModelFiles {
        let path = PathText.appending("manifest.json", to: dir)
        guard let data = FileManager.default.contents(atPath: path) else { throw .localFile(path: path, reason: "cannot read") }
        let m: ModelFiles
        do { m = try JSONDecoder().decode(ModelFiles.self, from: data) } catch {
            throw .localFile(path: path, reason: "not a model manifest (docs/scale-out.md): \(error)")
        }
        guard m.format == "mfd-model" else { throw .localFile(path: path + ": format", reason: "expected \"mfd-model\", got \"\(m.format)\"") }
        guard m.formatVersion == 1 else { throw .localFile(path: path + ": formatVersion", reason: "unsupported version \(m.formatVersion); expected 1") }
        guard (1...1024).contains(m.k) else { throw .localFile(path: path + ": k", reason: "must be in 1...1024, got \(m.k)") }
        guard m.globalMean.isFinite else { throw .localFile(path: path + ": globalMean", reason: "must be finite") }
        if let f = m.files, f.users.hasSuffix(".npy") != f.items.hasSuffix(".npy") {
            throw .localFile(path: path + ": files", reason: "users and items must both be .npy or both CSV")
        }
        return m
    }

    /// The wire manifest (`import_model_begin`).
    public var wire: ModelManifest {
        var params: [String: AttributeValue] = [:]
        for (key, v) in hyperparameters ?? [:] {
            switch v {
            case .int(let n): params[key] = .number(Double(n))
            case .double(let d): params[key] = .number(d)
            case .number(let text): params[key] = Double(text).map { .number($0) } ?? .category(text)
            case .bool(let b): params[key] = .number(b ? 1 : 0)
            case .string(let t): params[key] = .category(t)
            case .null: break
            }
        }
        return ModelManifest(algorithm: algorithm, implicit: algorithm.contains("implicit"), k: k, globalMean: globalMean,
                             users: counts.users, items: counts.items, params: params, sequence: exportSequence)
    }

    /// True when the factor files are the `.npy` layout (`files.users` names `BASE.npy`).
    public var isNPY: Bool { (files?.users ?? "").hasSuffix(".npy") }

    /// Paths of the user and item factor files (CSVs, or the `BASE.npy` factor matrices).
    public func paths(in dir: String) -> (users: String, items: String) {
        let f = files ?? Files(users: "users.csv", items: "items.csv")
        return (PathText.appending(f.users, to: dir), PathText.appending(f.items, to: dir))
    }
}

/// `DIR/_mfd_export.json` beside a ratings export: where the Spark job finds the export's sequence.
public struct ExportInfo: Codable, Sendable, Equatable {
    public var rows: Int64
    public var sequence: Int64?
    public init(rows: Int64, sequence: Int64?) { self.rows = rows; self.sequence = sequence }
    public static let fileName = "_mfd_export.json"
}
