/// `import_begin {kind, format=auto, skip_bad=false, name?, size?}`: open an import session.
/// The client then streams the file's bytes with `import_chunk` and ends with
/// `import_commit` (atomic) or `import_abort`. The daemon never opens a client-named path.
public struct ImportBeginRequest: WireOperation {
    public typealias Result = ImportBeginResult
    public static let op = Op.importBegin
    public var kind: ImportKind
    public var format: ImportFormat
    /// Skip (and report) bad lines instead of failing the whole import.
    public var skipBad: Bool
    /// File name for error messages (`name:line`); never opened.
    public var name: String?
    /// Total size in bytes when known, for progress.
    public var size: Int64?

    public init(kind: ImportKind, format: ImportFormat = .auto, skipBad: Bool = false, name: String? = nil, size: Int64? = nil) {
        self.kind = kind; self.format = format; self.skipBad = skipBad; self.name = name; self.size = size
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, format, name, size
        case skipBad = "skip_bad"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        kind = try r.required(.kind)
        format = try r.optional(.format, default: .auto)
        skipBad = try r.optional(.skipBad, default: false)
        name = try r.optional(.name)
        size = try r.optional(.size)
    }
}

/// `import_chunk {import, offset?, data | data_base64}`: the next bytes of the file.
/// `data` carries UTF-8 text; `data_base64` carries raw bytes (Latin-1 files, binary-unsafe text).
public struct ImportChunkRequest: WireOperation {
    public typealias Result = ImportChunkResult
    public static let op = Op.importChunk
    public var `import`: String
    /// Byte offset of this chunk in the file; checked by the daemon when present.
    public var offset: Int64?
    public var data: String?
    public var dataBase64: String?

    public init(import token: String, offset: Int64? = nil, data: String? = nil, dataBase64: String? = nil) {
        self.import = token; self.offset = offset; self.data = data; self.dataBase64 = dataBase64
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case `import`, offset, data
        case dataBase64 = "data_base64"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        self.import = try r.required(.import)
        offset = try r.optional(.offset)
        data = try r.optional(.data)
        dataBase64 = try r.optional(.dataBase64)
        guard (data == nil) != (dataBase64 == nil) else {
            throw WireError(data == nil ? .missingField : .invalidRequest,
                            "exactly one of `data` and `data_base64` is required", field: "data")
        }
    }

    /// The chunk's raw bytes, decoding base64 when needed.
    public func bytes() throws -> [UInt8] {
        if let data { return Array(data.utf8) }
        guard let decoded = Base64.decode(dataBase64 ?? "") else {
            throw WireError(.invalidValue, "`data_base64` is not valid base64", field: "data_base64")
        }
        return decoded
    }
}

/// A request that names only an open session (`import_commit`, `import_abort`, …).
public protocol SessionOperation: WireOperation {
    static var tokenKey: String { get }
    var token: String { get }
    init(token: String)
}

extension SessionOperation {
    public init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys where key.stringValue != Self.tokenKey && !Envelope.keys.contains(key.stringValue) {
            throw WireError(.unknownField, "unknown field `\(key.stringValue)`; allowed: `\(Self.tokenKey)`", field: key.stringValue)
        }
        let key = AnyKey(stringValue: Self.tokenKey)
        guard all.contains(key), (try? all.decodeNil(forKey: key)) != true else {
            throw WireError(.missingField, "missing field `\(Self.tokenKey)`", field: Self.tokenKey)
        }
        guard let t = try? all.decode(String.self, forKey: key) else {
            throw WireError(.invalidType, "`\(Self.tokenKey)` must be a string", field: Self.tokenKey)
        }
        self.init(token: t)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.encode(token, forKey: AnyKey(stringValue: Self.tokenKey))
    }
}

/// `import_commit {import}`: parse and store everything atomically.
public struct ImportCommitRequest: SessionOperation {
    public typealias Result = ImportCommitResult
    public static let op = Op.importCommit
    public static let tokenKey = "import"
    public var token: String
    public init(token: String) { self.token = token }
}

/// `import_receipt {import}`: the `import_commit` result of a committed import, from
/// any connection; `not_found` when it did not commit (or is older than the newest 16).
public struct ImportReceiptRequest: SessionOperation {
    public typealias Result = ImportCommitResult
    public static let op = Op.importReceipt
    public static let tokenKey = "import"
    public var token: String
    public init(token: String) { self.token = token }
}

/// `import_abort {import}`: drop an import or model-import session; nothing is stored.
public struct ImportAbortRequest: SessionOperation {
    public typealias Result = CloseResult
    public static let op = Op.importAbort
    public static let tokenKey = "import"
    public var token: String
    public init(token: String) { self.token = token }
}

/// `import_status {import}`: where an import or model import is (receiving,
/// committing with its progress) or how it ended, from any connection: what a
/// client that lost its connection or gave up waiting asks.
public struct ImportStatusRequest: SessionOperation {
    public typealias Result = ImportStatus
    public static let op = Op.importStatus
    public static let tokenKey = "import"
    public var token: String
    public init(token: String) { self.token = token }
}
