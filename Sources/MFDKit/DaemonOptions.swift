import ArgumentParser

/// Command-line flags of mfd; each is optional so the environment can fill it.
public struct DaemonOptions: ParsableArguments {
    public init() {}

    @Option(help: "SQLite database file; import spool files go in a private directory beside it, its path with -spool appended [MFD_DB; default $STATE_DIRECTORY/mfd.sqlite, else ~/.local/share/mfd/mfd.sqlite].")
    var db: String?

    @Option(help: "Unix socket path [MFD_SOCKET; default $RUNTIME_DIRECTORY/mfd.sock, else $XDG_RUNTIME_DIR/mfd/mfd.sock, else /tmp/mfd-$UID/mfd.sock].")
    var socket: String?

    @Option(help: "Longest request line in bytes [MFD_MAX_LINE_BYTES; default 1048576].")
    var maxLineBytes: Int?

    @Option(help: "Most simultaneous connections; 8 of them (a quarter when fewer than 32) are kept for root, mfd's user and peers allowed writes [MFD_MAX_CONNECTIONS; default 256].")
    var maxConnections: Int?

    @Option(help: "Most connections one uid may hold, root, mfd's user and peers allowed writes excepted; 0 = no bound [MFD_MAX_CONNECTIONS_PER_UID; default 64].")
    var maxConnectionsPerUid: Int?

    @Option(help: "Most pipelined requests awaiting a reply per connection [MFD_MAX_IN_FLIGHT; default 64].")
    var maxInFlight: Int?

    @Option(help: "Most ratings in one add_ratings/import batch [MFD_MAX_BATCH; default 100000].")
    var maxBatch: Int?

    @Option(help: "Seconds a half-written request line may wait before the connection gets `timeout` and closes [MFD_PARTIAL_LINE_TIMEOUT; default 30].")
    var partialLineTimeout: Double?

    /// The old name of --partial-line-timeout (it never timed out idle connections:
    /// that is --idle-connection-timeout). Still read, with a warning.
    @Option(name: .customLong("idle-timeout"), help: .hidden)
    var deprecatedIdleTimeout: Double?

    @Option(help: "Seconds an idle connection (no request) stays open; 0 keeps it forever [MFD_IDLE_CONNECTION_TIMEOUT; default 600].")
    var idleConnectionTimeout: Double?

    @Option(help: "Seconds SIGTERM waits for connections to finish their in-flight requests before closing them [MFD_SHUTDOWN_GRACE; default 2].")
    var shutdownGrace: Double?

    @Option(help: "Users (ids or names, comma-separated) allowed read ops; setting this or --read-gids closes read to everyone else [MFD_READ_UIDS].")
    var readUids: String?

    @Option(help: "Groups allowed read ops [MFD_READ_GIDS].")
    var readGids: String?

    @Option(help: "Users allowed write ops, besides root and the daemon's user [MFD_WRITE_UIDS].")
    var writeUids: String?

    @Option(help: "Groups allowed write ops [MFD_WRITE_GIDS].")
    var writeGids: String?

    @Option(help: "Users allowed admin ops (train, import, evaluate), besides root and the daemon's user [MFD_ADMIN_UIDS].")
    var adminUids: String?

    @Option(help: "Groups allowed admin ops [MFD_ADMIN_GIDS].")
    var adminGids: String?

    @Option(help: "Group (name or gid) granted write and admin; a database file mfd creates is group-readable (0640) when it belongs to this group, else 0600 [MFD_ACCESS_GROUP].")
    var accessGroup: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical [MFD_LOG_LEVEL; default info].")
    var logLevel: String?

    @Option(help: "MiB of encoded recommend results kept for the current model and data (an answer is dropped when its user, the model or the catalogue changes); 0 = no cache [MFD_RECOMMEND_CACHE_MB; default 16].")
    var recommendCacheMb: Int?

    @Option(help: "Lowest accepted rating [MFD_RATING_MIN; default 0.5].")
    var ratingMin: Double?

    @Option(help: "Highest accepted rating [MFD_RATING_MAX; default 5].")
    var ratingMax: Double?

    @Option(help: "Retrain policy: auto, manual (only on train) or external (never; import models) [MFD_RETRAIN; default: stored config, else auto].")
    var retrain: String?

    @Option(help: "With --retrain auto: retrain after this many rating changes, 0 = never by count [MFD_RETRAIN_CHANGES; default 10000].")
    var retrainChanges: Int?

    @Option(help: "With --retrain auto: retrain this many minutes after the first pending change, 0 = never by time [MFD_RETRAIN_INTERVAL; default 60].")
    var retrainInterval: Double?

    @Option(help: "Fraction of ratings a retrain holds out to score each epoch (the holdout curve), then folds in; 0 = none [MFD_HOLDOUT_FRACTION; default: stored config, else 0.05].")
    var holdoutFraction: Double?

    @Option(help: "Latent factors k for training [MFD_FACTORS; default: stored config, else 64].")
    var factors: Int?

    @Option(help: "Training iterations [MFD_ITERATIONS; default: stored config, else 15].")
    var iterations: Int?

    @Option(help: "Model trained: explicit (ratings), implicit (interactions, confidence 1 + alpha·value) or collective (ratings + user attributes + item genres/attributes) [MFD_MODEL; default: stored config, else explicit].")
    var model: String?

    @Option(help: "Confidence weight alpha of the implicit ALS that ranks (the implicit model, or the ranker); pins it, else the search chooses it [MFD_ALPHA; default: stored config, else 1].")
    var alpha: Double?

    @Option(help: "Collective model: weight of the user-attribute block [MFD_USER_ATTR_WEIGHT; default: stored config, else 1].")
    var userAttrWeight: Double?

    @Option(help: "Collective model: weight of the item genres/attributes block [MFD_ITEM_ATTR_WEIGHT; default: stored config, else 1].")
    var itemAttrWeight: Double?

    @Option(help: "Trained models kept in the database [MFD_KEEP_MODELS; default 3].")
    var keepModels: Int?

    @Flag(help: "Load the built-in demo catalogue into an empty database and train before serving [MFD_DEMO=1].")
    var demo = false
}
