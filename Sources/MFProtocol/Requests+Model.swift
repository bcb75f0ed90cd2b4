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

/// `import_model_rows {import, side, rows}`: the next factor rows of one side.
public struct ImportModelRowsRequest: WireOperation {
    public typealias Result = ImportModelRowsResult
    public static let op = Op.importModelRows
    public var `import`: String
    public var side: FactorSide
    public var rows: [FactorRow]

    public init(import token: String, side: FactorSide, rows: [FactorRow]) {
        self.import = token; self.side = side; self.rows = rows
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case `import`, side, rows }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        self.import = try r.required(.import)
        side = try r.required(.side)
        rows = try r.required(.rows)
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
