import MFCore

/// The manifest of an externally trained model (e.g. Spark ALS); see docs/protocol.md.
public struct ModelManifest: Codable, Sendable, Equatable {
    /// Always `"mfd-model-1"`.
    public var format: String
    /// Free text, e.g. `"spark-als"`.
    public var algorithm: String
    public var implicit: Bool
    public var k: Int
    public var globalMean: Double
    public var users: Int
    public var items: Int
    /// Hyperparameters, recorded with the model.
    public var params: [String: AttributeValue]
    /// Store change sequence of the ratings export the model was trained on
    /// (`export_begin`'s `sequence`); ratings changed after it are folded in on commit.
    public var sequence: Int64?

    public static let currentFormat = "mfd-model-1"

    public init(algorithm: String, implicit: Bool = false, k: Int, globalMean: Double, users: Int, items: Int,
                params: [String: AttributeValue] = [:], sequence: Int64? = nil) {
        format = Self.currentFormat
        self.algorithm = algorithm; self.implicit = implicit; self.k = k; self.globalMean = globalMean
        self.users = users; self.items = items; self.params = params
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, algorithm, implicit, k, users, items, params, sequence
        case globalMean = "global_mean"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self, envelope: false)
        format = try r.required(.format)
        algorithm = try r.required(.algorithm)
        implicit = try r.optional(.implicit, default: false)
        k = try r.required(.k)
        globalMean = try r.required(.globalMean)
        users = try r.required(.users)
        items = try r.required(.items)
        params = try r.optional(.params, default: [:])
        sequence = try r.optional(.sequence)
        let p = WireDecoding.path(decoder.codingPath)
        guard format == Self.currentFormat else {
            throw WireError(.invalidModel, "unsupported manifest format \"\(format)\"; expected \"\(Self.currentFormat)\"", field: p + ".format")
        }
        guard (1...1024).contains(k) else { throw WireError(.invalidModel, "k must be in 1...1024, got \(k)", field: p + ".k") }
        guard users >= 0, items >= 0 else { throw WireError(.invalidModel, "users and items must be ≥ 0", field: p + ".users") }
        guard globalMean.isFinite else { throw WireError(.invalidModel, "global_mean must be finite", field: p + ".global_mean") }
    }
}

/// One row of a factor table: `[id, bias, f0, …, f(k-1)]`.
public struct FactorRow: Codable, Sendable, Equatable {
    public var id: Int64
    public var bias: Float
    public var factors: [Float]

    public init(id: Int64, bias: Float, factors: [Float]) { self.id = id; self.bias = bias; self.factors = factors }

    public init(from decoder: any Decoder) throws {
        let field = WireDecoding.path(decoder.codingPath)
        guard var c = try? decoder.unkeyedContainer(), let n = c.count, n >= 3 else {
            throw WireError(.invalidType, "`\(field)` must be an array [id, bias, f0, …]", field: field)
        }
        id = try WireDecoding.element(&c, decoder, Int64.self)
        var values: [Float] = []
        values.reserveCapacity(n - 1)
        while !c.isAtEnd {
            let v = try WireDecoding.element(&c, decoder, Float.self)
            guard v.isFinite else {
                throw WireError(.invalidModel, "non-finite value in factor row", field: field + "[\(c.currentIndex - 1)]")
            }
            values.append(v)
        }
        bias = values[0]
        factors = Array(values.dropFirst())
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(id); try c.encode(bias)
        for f in factors { try c.encode(f) }
    }
}

/// `import_model_begin {manifest}`: open a model import session.
public struct ImportModelBeginRequest: WireOperation {
    public typealias Result = ImportBeginResult
    public static let op = Op.importModelBegin
    public var manifest: ModelManifest

    public init(manifest: ModelManifest) { self.manifest = manifest }

    enum CodingKeys: String, CodingKey, CaseIterable { case manifest }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        manifest = try r.required(.manifest)
    }
}

/// `import_model_rows {import, side, rows | ids_base64 + biases_base64 + factors_base64}`:
/// the next factor rows of one side, as JSON arrays or as binary columns.
public struct ImportModelRowsRequest: WireOperation {
    public typealias Result = ImportModelRowsResult
    public static let op = Op.importModelRows
    public var `import`: String
    public var side: FactorSide
    /// The rows as JSON arrays; empty when `columns` carries them.
    public var rows: [FactorRow]
    /// The rows as little-endian columns (`*_base64`); nil when `rows` carries them.
    public var columns: FactorColumns?

    public init(import token: String, side: FactorSide, rows: [FactorRow]) {
        self.import = token; self.side = side; self.rows = rows; columns = nil
    }

    public init(import token: String, side: FactorSide, columns: FactorColumns) {
        self.import = token; self.side = side; rows = []; self.columns = columns
    }

    /// Rows in this request, in either form.
    public var rowCount: Int { columns?.count ?? rows.count }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case `import`, side, rows
        case ids = "ids_base64", biases = "biases_base64", factors = "factors_base64"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        self.import = try r.required(.import)
        side = try r.required(.side)
        let ids: String? = try r.optional(.ids), biases: String? = try r.optional(.biases), factors: String? = try r.optional(.factors)
        if ids == nil && biases == nil && factors == nil {
            rows = try r.required(.rows)
            columns = nil
            return
        }
        guard try r.optional(.rows, [FactorRow].self) == nil else {
            throw WireError(.invalidRequest, "send `rows` or the three `*_base64` columns, not both", field: "rows")
        }
        func bytes(_ text: String?, _ key: CodingKeys) throws(WireError) -> [UInt8] {
            guard let text else { throw WireError(.missingField, "missing field `\(key.stringValue)` (the columns come as a set of three)", field: key.stringValue) }
            guard let b = Base64.decode(text) else { throw WireError(.invalidValue, "`\(key.stringValue)` is not valid base64", field: key.stringValue) }
            return b
        }
        rows = []
        columns = try FactorColumns(ids: bytes(ids, .ids), biases: bytes(biases, .biases), factors: bytes(factors, .factors))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.import, forKey: .import)
        try c.encode(side, forKey: .side)
        if let columns {
            try c.encode(Base64.encode(columns.ids), forKey: .ids)
            try c.encode(Base64.encode(columns.biases), forKey: .biases)
            try c.encode(Base64.encode(columns.factors), forKey: .factors)
        } else {
            try c.encode(rows, forKey: .rows)
        }
    }
}

/// `import_model_commit {import}`: validate counts, save and swap in the model, replay newer ratings.
public struct ImportModelCommitRequest: SessionOperation {
    public typealias Result = ImportModelResult
    public static let op = Op.importModelCommit
    public static let tokenKey = "import"
    public var token: String
    public init(token: String) { self.token = token }
}

/// `export_begin {what}`: open an export over a consistent snapshot.
public struct ExportBeginRequest: WireOperation {
    public typealias Result = ExportBeginResult
    public static let op = Op.exportBegin
    public var what: ExportKind

    public init(what: ExportKind) { self.what = what }

    enum CodingKeys: String, CodingKey, CaseIterable { case what }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        what = try r.required(.what)
    }
}

/// `export_next {export, max_rows=10000}`: the next page of rows.
public struct ExportNextRequest: WireOperation {
    public typealias Result = ExportPage
    public static let op = Op.exportNext
    public var export: String
    public var maxRows: Int

    public init(export: String, maxRows: Int = 10_000) { self.export = export; self.maxRows = maxRows }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case export
        case maxRows = "max_rows"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        export = try r.required(.export)
        maxRows = try r.count(.maxRows, default: 10_000, max: 100_000)
    }
}

/// `export_end {export}`: close an export session early or after the last page.
public struct ExportEndRequest: SessionOperation {
    public typealias Result = CloseResult
    public static let op = Op.exportEnd
    public static let tokenKey = "export"
    public var token: String
    public init(token: String) { self.token = token }
}
