import Foundation
import Logging
import MFServer
import NIOCore

/// mfd's resolved settings (flag > environment > default).
struct DaemonSettings {
    var databasePath: String
    var socketPath: String
    var maxBatch: Int
    var server: ServerConfiguration
    var access: AccessPolicy
    var logLevel: Logger.Level
    var environment: [String: String]

    init(options o: DaemonOptions, environment env: [String: String]) throws {
        typealias R = OptionResolution
        environment = env
        databasePath = try R.resolve(flag: o.db, environment: env, name: "MFD_DB", parse: { $0 },
                                     default: DefaultPaths.databasePath(environment: env))
        socketPath = try R.resolve(flag: o.socket, environment: env, name: "MFD_SOCKET", parse: { $0 },
                                   default: DefaultPaths.socketPath(environment: env, uid: getuid()))
        maxBatch = try Self.positive(R.resolve(flag: o.maxBatch, environment: env, name: "MFD_MAX_BATCH",
                                               parse: { Int($0) }, default: 100_000), "--max-batch")
        var server = ServerConfiguration()
        server.maxLineBytes = try Self.positive(R.resolve(
            flag: o.maxLineBytes, environment: env, name: "MFD_MAX_LINE_BYTES",
            parse: { Int($0) }, default: server.maxLineBytes), "--max-line-bytes")
        server.maxConnections = try Self.positive(R.resolve(
            flag: o.maxConnections, environment: env, name: "MFD_MAX_CONNECTIONS",
            parse: { Int($0) }, default: server.maxConnections), "--max-connections")
        server.maxInFlightPerConnection = try Self.positive(R.resolve(
            flag: o.maxInFlight, environment: env, name: "MFD_MAX_IN_FLIGHT",
            parse: { Int($0) }, default: server.maxInFlightPerConnection), "--max-in-flight")
        let idle = try R.resolve(flag: o.idleTimeout, environment: env, name: "MFD_IDLE_TIMEOUT",
                                 parse: { Double($0) }, default: 30)
        guard idle > 0, idle.isFinite else {
            throw MFServerError.invalidConfiguration(field: "--idle-timeout", message: "must be a positive number of seconds")
        }
        server.partialLineTimeout = .nanoseconds(Int64(idle * 1e9))
        let idleConnection = try R.resolve(flag: o.idleConnectionTimeout, environment: env,
                                           name: "MFD_IDLE_CONNECTION_TIMEOUT", parse: { Double($0) }, default: 0)
        guard idleConnection >= 0, idleConnection.isFinite else {
            throw MFServerError.invalidConfiguration(
                field: "--idle-connection-timeout", message: "must be 0 or a positive number of seconds")
        }
        server.idleConnectionTimeout = idleConnection > 0 ? .nanoseconds(Int64(idleConnection * 1e9)) : nil
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
        let levelText = try R.resolve(flag: o.logLevel, environment: env, name: "MFD_LOG_LEVEL",
                                      parse: { $0 }, default: "info")
        logLevel = try Logger.Level.parse(levelText, field: "--log-level")
    }

    private static func positive(_ value: Int, _ field: String) throws -> Int {
        guard value > 0 else {
            throw MFServerError.invalidConfiguration(field: field, message: "must be positive, got \(value)")
        }
        return value
    }
}

/// The process environment, read once at startup.
func environmentSnapshot() -> [String: String] { ProcessInfo.processInfo.environment }
