import Foundation
import Logging
import MFCore
import MFProtocol
import MFServer
import MFStore
import NIOCore

/// mfd's resolved settings (flag > environment > default).
public struct DaemonSettings {
    public var databasePath: String
    public var socketPath: String
    public var maxBatch: Int
    public var engine: EngineConfiguration
    public var keepModels: Int
    public var server: SocketServerConfiguration
    public var access: AccessPolicy
    /// `--access-group`'s gid: new database files are group-readable for it.
    public var accessGroup: gid_t?
    public var logLevel: Logger.Level
    public var environment: [String: String]
    /// Deprecated spellings this start used, one warning each (mfd logs them).
    public var deprecations: [String] = []

    public init(options o: DaemonOptions, environment env: [String: String]) throws {
        typealias R = OptionResolution
        environment = env
        databasePath = try Self.filePath(R.resolve(flag: o.db, environment: env, name: "MFD_DB", parse: { $0 },
                                                   default: DefaultPaths.databasePath(environment: env)), "--db")
        try Self.checkDatabasePathLength(databasePath)
        socketPath = try Self.filePath(R.resolve(flag: o.socket, environment: env, name: "MFD_SOCKET", parse: { $0 },
                                                 default: SocketPath.daemonDefault(environment: env, uid: getuid())), "--socket")
        maxBatch = try Self.positive(R.resolve(flag: o.maxBatch, environment: env, name: "MFD_MAX_BATCH",
                                               parse: { Int($0) }, default: 100_000), "--max-batch")
        var server = SocketServerConfiguration()
        server.maxLineBytes = try Self.positive(R.resolve(
            flag: o.maxLineBytes, environment: env, name: "MFD_MAX_LINE_BYTES",
            parse: { Int($0) }, default: server.maxLineBytes), "--max-line-bytes")
        server.maxConnections = try Self.positive(R.resolve(
            flag: o.maxConnections, environment: env, name: "MFD_MAX_CONNECTIONS",
            parse: { Int($0) }, default: server.maxConnections), "--max-connections")
        server.maxConnectionsPerUID = try R.resolve(flag: o.maxConnectionsPerUid, environment: env, name: "MFD_MAX_CONNECTIONS_PER_UID",
                                                    parse: { Int($0) }, default: server.maxConnectionsPerUID)
        guard server.maxConnectionsPerUID >= 0 else {
            throw MFServerError.invalidConfiguration(field: "--max-connections-per-uid", message: "must be 0 (no bound) or a positive count")
        }
        server.maxInFlightPerConnection = try Self.positive(R.resolve(
            flag: o.maxInFlight, environment: env, name: "MFD_MAX_IN_FLIGHT",
            parse: { Int($0) }, default: server.maxInFlightPerConnection), "--max-in-flight")
        let partialLine = try Self.partialLineTimeout(o, env, deprecations: &deprecations)
        guard partialLine > 0, partialLine.isFinite else {
            throw MFServerError.invalidConfiguration(field: "--partial-line-timeout", message: "must be a positive number of seconds")
        }
        server.partialLineTimeout = .nanoseconds(Int64(partialLine * 1e9))
        let idleConnection = try R.resolve(flag: o.idleConnectionTimeout, environment: env,
                                           name: "MFD_IDLE_CONNECTION_TIMEOUT", parse: { Double($0) },
                                           default: Double(server.idleConnectionTimeout?.nanoseconds ?? 0) / 1e9)
        guard idleConnection >= 0, idleConnection.isFinite else {
            throw MFServerError.invalidConfiguration(
                field: "--idle-connection-timeout", message: "must be 0 or a positive number of seconds")
        }
        server.idleConnectionTimeout = idleConnection > 0 ? .nanoseconds(Int64(idleConnection * 1e9)) : nil
        let grace = try R.resolve(flag: o.shutdownGrace, environment: env, name: "MFD_SHUTDOWN_GRACE",
                                  parse: { Double($0) }, default: Double(server.shutdownGracePeriod.nanoseconds) / 1e9)
        guard grace >= 0, grace.isFinite else {
            throw MFServerError.invalidConfiguration(field: "--shutdown-grace", message: "must be 0 or a positive number of seconds")
        }
        server.shutdownGracePeriod = .nanoseconds(Int64(grace * 1e9))
        self.server = server

        func list(_ flag: String?, _ name: String) throws -> String? {
            try R.resolve(flag: flag, environment: env, name: name, parse: { $0 })
        }
        let accessConfig = AccessConfiguration(
            readUIDs: try list(o.readUids, "MFD_READ_UIDS"), readGIDs: try list(o.readGids, "MFD_READ_GIDS"),
            writeUIDs: try list(o.writeUids, "MFD_WRITE_UIDS"), writeGIDs: try list(o.writeGids, "MFD_WRITE_GIDS"),
            adminUIDs: try list(o.adminUids, "MFD_ADMIN_UIDS"), adminGIDs: try list(o.adminGids, "MFD_ADMIN_GIDS"),
            group: try list(o.accessGroup, "MFD_ACCESS_GROUP"))
        access = try AccessPolicy(configuration: accessConfig, daemonUID: getuid())
        accessGroup = try accessConfig.resolvedGroup()
        keepModels = try Self.positive(R.resolve(flag: o.keepModels, environment: env, name: "MFD_KEEP_MODELS",
                                                 parse: { Int($0) }, default: 3), "--keep-models")
        engine = try Self.engine(o, env, maxBatch: maxBatch, maxLineBytes: server.maxLineBytes)
        let levelText = try R.resolve(flag: o.logLevel, environment: env, name: "MFD_LOG_LEVEL",
                                      parse: { $0 }, default: "info")
        logLevel = try Logger.Level.parse(levelText, field: "--log-level")
    }

    private static func engine(_ o: DaemonOptions, _ env: [String: String], maxBatch: Int, maxLineBytes: Int) throws -> EngineConfiguration {
        typealias R = OptionResolution
        var e = EngineConfiguration()
        e.maxBatch = maxBatch
        e.maxLineBytes = maxLineBytes
        e.ratingMin = try R.resolve(flag: o.ratingMin, environment: env, name: "MFD_RATING_MIN", parse: { Double($0) }, default: 0.5)
        e.ratingMax = try R.resolve(flag: o.ratingMax, environment: env, name: "MFD_RATING_MAX", parse: { Double($0) }, default: 5)
        guard e.ratingMin.isFinite, e.ratingMax.isFinite, e.ratingMin < e.ratingMax else {
            throw MFServerError.invalidConfiguration(field: "--rating-min", message: "need finite --rating-min < --rating-max")
        }
        let cacheMB = try R.resolve(flag: o.recommendCacheMb, environment: env, name: "MFD_RECOMMEND_CACHE_MB",
                                    parse: { Int($0) }, default: e.recommendCacheBytes >> 20)
        guard (0...(1 << 20)).contains(cacheMB) else {
            throw MFServerError.invalidConfiguration(field: "--recommend-cache-mb", message: "must be 0 to 1048576 MiB, got \(cacheMB)")
        }
        e.recommendCacheBytes = cacheMB << 20
        let demoEnv = try R.resolve(flag: nil, environment: env, name: "MFD_DEMO", parse: Self.bool, default: false)
        e.demo = o.demo || demoEnv
        do {
            try KernelPath.checkEnvironment(env)
        } catch MFCoreError.invalidConfig(let field, let reason) {
            throw MFServerError.invalidConfiguration(field: field, message: reason)
        }
        var c = SetConfigRequest()
        c.retrain = try Self.choice(o.retrain, env, "MFD_RETRAIN", field: "--retrain", RetrainMode.self)
        c.retrainAfterChanges = try R.resolve(flag: o.retrainChanges, environment: env, name: "MFD_RETRAIN_CHANGES", parse: { Int($0) })
        c.retrainAfterMinutes = try R.resolve(flag: o.retrainInterval, environment: env, name: "MFD_RETRAIN_INTERVAL", parse: { Double($0) })
        c.holdoutFraction = try R.resolve(flag: o.holdoutFraction, environment: env, name: "MFD_HOLDOUT_FRACTION", parse: { Double($0) })
        c.factors = try R.resolve(flag: o.factors, environment: env, name: "MFD_FACTORS", parse: { Int($0) })
        c.iterations = try R.resolve(flag: o.iterations, environment: env, name: "MFD_ITERATIONS", parse: { Int($0) })
        c.model = try Self.choice(o.model, env, "MFD_MODEL", field: "--model", ModelKind.self)
        c.alpha = try R.resolve(flag: o.alpha, environment: env, name: "MFD_ALPHA", parse: { Double($0) })
        c.userAttrWeight = try R.resolve(flag: o.userAttrWeight, environment: env, name: "MFD_USER_ATTR_WEIGHT", parse: { Double($0) })
        c.itemAttrWeight = try R.resolve(flag: o.itemAttrWeight, environment: env, name: "MFD_ITEM_ATTR_WEIGHT", parse: { Double($0) })
        e.overrides = c
        e.testDelays = try Self.testDelays(env["MFD_TEST_DELAYS"])
        return e
    }

    /// `MFD_TEST_DELAYS` (test-only, environment only): `op=seconds,…` for the
    /// operations `Engine.delayableOps` names (`EngineConfiguration.testDelays`).
    static func testDelays(_ text: String?) throws -> [Op: Double] {
        guard let text, !text.isEmpty else { return [:] }
        var delays: [Op: Double] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let op = Op(rawValue: kv[0]), Engine.delayableOps.contains(op),
                  let seconds = Double(kv[1]), seconds.isFinite, seconds >= 0 else {
                let ops = Engine.delayableOps.map(\.rawValue).sorted().joined(separator: ", ")
                throw MFServerError.invalidConfiguration(
                    field: "MFD_TEST_DELAYS", message: "\"\(part)\" is not op=seconds with op one of \(ops)")
            }
            delays[op] = seconds
        }
        return delays
    }

    /// `--partial-line-timeout` / `MFD_PARTIAL_LINE_TIMEOUT`, else their old names
    /// `--idle-timeout` / `MFD_IDLE_TIMEOUT` (noted in `deprecations`), else 30 s.
    private static func partialLineTimeout(_ o: DaemonOptions, _ env: [String: String],
                                           deprecations: inout [String]) throws -> Double {
        typealias R = OptionResolution
        if o.partialLineTimeout == nil, o.deprecatedIdleTimeout != nil {
            deprecations.append("--idle-timeout is deprecated; use --partial-line-timeout")
        }
        let flag = o.partialLineTimeout ?? o.deprecatedIdleTimeout
        if flag == nil, env["MFD_PARTIAL_LINE_TIMEOUT"].map(\.isEmpty) ?? true, !(env["MFD_IDLE_TIMEOUT"] ?? "").isEmpty {
            deprecations.append("MFD_IDLE_TIMEOUT is deprecated; use MFD_PARTIAL_LINE_TIMEOUT")
            return try R.resolve(flag: nil, environment: env, name: "MFD_IDLE_TIMEOUT", parse: { Double($0) }, default: 30)
        }
        return try R.resolve(flag: flag, environment: env, name: "MFD_PARTIAL_LINE_TIMEOUT", parse: { Double($0) }, default: 30)
    }

    /// One of an enum's raw values from the flag or the environment; anything else names the choices.
    private static func choice<E: RawRepresentable & CaseIterable>(_ flag: String?, _ env: [String: String], _ name: String,
                                                                  field: String, _: E.Type) throws -> E? where E.RawValue == String {
        try OptionResolution.resolve(flag: flag, environment: env, name: name, parse: { $0 }).map { text in
            guard let v = E(rawValue: text) else {
                let all = E.allCases.map(\.rawValue)
                throw MFServerError.invalidConfiguration(field: field, message: "must be \(all.dropLast().joined(separator: ", ")) or \(all.last!), got '\(text)'")
            }
            return v
        }
    }

    private static func bool(_ s: String) -> Bool? {
        ["1", "true", "yes"].contains(s) ? true : ["0", "false", "no"].contains(s) ? false : nil
    }

    /// A file's path: not empty, not one that can only name a directory, and
    /// within the kernel's limits (`PATH_MAX` in all, `NAME_MAX` a component).
    private static func filePath(_ path: String, _ field: String) throws -> String {
        func invalid(_ message: String) -> MFServerError { .invalidConfiguration(field: field, message: message) }
        guard !path.isEmpty else { throw invalid("must not be empty") }
        guard !PathText.namesDirectory(path) else { throw invalid("'\(path)' names a directory, not a file") }
        guard path.utf8.count < Int(PATH_MAX) else {
            throw invalid("is \(path.utf8.count) bytes long; a path may have at most \(PATH_MAX - 1)")
        }
        if let long = path.utf8.split(separator: UInt8(ascii: "/")).first(where: { $0.count > Int(NAME_MAX) }) {
            throw invalid("has a \(long.count)-byte component; a file or directory name may have at most \(NAME_MAX)")
        }
        return path
    }

    /// SQLite refuses a longer path only at open, after mfd made its directories.
    private static func checkDatabasePathLength(_ path: String) throws {
        let absolute = path.hasPrefix("/") ? path : PathText.appending(path, to: FileManager.default.currentDirectoryPath)
        guard absolute.utf8.count <= Store.maxPathBytes else {
            throw MFServerError.invalidConfiguration(
                field: "--db", message: "is \(absolute.utf8.count) bytes long as an absolute path; SQLite opens at most \(Store.maxPathBytes)")
        }
    }

    private static func positive(_ value: Int, _ field: String) throws -> Int {
        guard value > 0 else {
            throw MFServerError.invalidConfiguration(field: field, message: "must be positive, got \(value)")
        }
        return value
    }
}

/// The process environment, read once at startup.
public func environmentSnapshot() -> [String: String] { ProcessInfo.processInfo.environment }
