import GRDB

/// The one error type of MFStore. Every case has a stable snake_case ``code``.
public enum MFStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not a database, or `PRAGMA quick_check` failed. Never repaired automatically.
    case corruptDatabase(path: String, detail: String)
    /// The database was migrated by a newer mfd (it has migrations this code does not know).
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// The database could not be opened (permissions, missing directory, …).
    case openFailed(path: String, detail: String)
    /// An argument was rejected before anything was written; `field` names it.
    case invalidArgument(field: String, message: String)
    /// The rating, user, model or setting does not exist.
    case notFound(what: String)
    /// An import row was malformed: `source:line: message`. Nothing was written.
    case malformedInput(source: String, line: Int, message: String)
    /// `format: auto` could not recognise the input, or the header lacks a required column.
    case unknownFormat(source: String, detail: String)
    /// The import's input stream failed or was cancelled before its end; nothing was written.
    case importAborted(source: String, detail: String)
    /// A local file could not be read or written.
    case ioError(path: String, detail: String)
    /// A backup destination already exists; backups never overwrite.
    case backupDestinationExists(path: String)
    /// The calling task was cancelled; the operation's transaction (if any) was rolled back.
    case cancelled
    /// SQLite reported an error (I/O, disk full, …) on an otherwise valid request.
    case database(detail: String)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .corruptDatabase: "corrupt_database"
        case .schemaTooNew: "schema_too_new"
        case .openFailed: "open_failed"
        case .invalidArgument: "invalid_argument"
        case .notFound: "not_found"
        case .malformedInput: "malformed_input"
        case .unknownFormat: "unknown_format"
        case .importAborted: "import_aborted"
        case .ioError: "io_error"
        case .backupDestinationExists: "backup_destination_exists"
        case .cancelled: "cancelled"
        case .database: "database_error"
        }
    }

    /// The offending field, file or path, when there is one.
    public var field: String? {
        switch self {
        case .corruptDatabase(let path, _), .schemaTooNew(let path, _), .openFailed(let path, _),
             .backupDestinationExists(let path):
            path
        case .invalidArgument(let field, _): field
        case .malformedInput(let source, let line, _): "\(source):\(line)"
        case .unknownFormat(let source, _), .importAborted(let source, _): source
        case .ioError(let path, _): path
        case .notFound, .database, .cancelled: nil
        }
    }

    /// Human-readable message.
    public var message: String {
        switch self {
        case .corruptDatabase(let path, let detail):
            "database \(path) is corrupt (\(detail)); restore it from a backup"
        case .schemaTooNew(let path, let unknown):
            "database \(path) was written by a newer version (unknown migrations: \(unknown.joined(separator: ", ")))"
        case .openFailed(let path, let detail): "cannot open database \(path): \(detail)"
        case .invalidArgument(let field, let message): "\(field): \(message)"
        case .notFound(let what): "\(what) not found"
        case .malformedInput(let source, let line, let message): "\(source):\(line): \(message)"
        case .unknownFormat(let source, let detail): "\(source): \(detail)"
        case .importAborted(let source, let detail): "\(source): import aborted before the end of input (\(detail)); nothing was written"
        case .ioError(let path, let detail): "\(path): \(detail)"
        case .backupDestinationExists(let path): "backup destination \(path) already exists"
        case .cancelled: "cancelled"
        case .database(let detail): "database error: \(detail)"
        }
    }

    public var description: String { "\(code): \(message)" }
}

extension MFStoreError {
    /// MFStoreError passes through; cancellation becomes `.cancelled`; anything else (GRDB/SQLite) `.database`.
    static func map(_ error: any Error) -> MFStoreError {
        switch error {
        case let error as MFStoreError: error
        case is CancellationError: .cancelled
        default: .database(detail: String(describing: error))
        }
    }

    /// Runs `body`, mapping GRDB/SQLite errors to `.database` and passing MFStoreError through.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw map(error) }
    }

    static func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw map(error) }
    }
}
