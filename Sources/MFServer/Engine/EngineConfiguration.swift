import MFProtocol

/// Fixed settings of an engine (from mfd's flags and environment).
public struct EngineConfiguration: Sendable {
    /// Accepted rating scale; values outside get `invalid_rating`.
    public var ratingMin: Double = 0.5
    public var ratingMax: Double = 5
    /// Most ratings in one `add_ratings` / `fold_in`.
    public var maxBatch: Int = 100_000
    /// Reported by `hello`.
    public var maxLineBytes: Int = WireProtocol.defaultMaxLineBytes
    /// Load the demo catalogue into an empty database, then train before serving.
    public var demo: Bool = false
    /// Overrides of the stored training configuration / retrain policy (flags win).
    public var overrides: SetConfigRequest = SetConfigRequest()
    /// Item rows re-solved by fold-in at most this often (seconds), unless new items need rows at once.
    public var itemRefreshInterval: Double = 1
    /// Most open import sessions.
    public var maxImportSessions: Int = 4
    /// The engine's private directory for import spool files; nil (the
    /// default) is the database path with `-spool` appended. The engine
    /// creates it mode 0700 at start, or requires an existing one to be its
    /// user's and not writable by others, and deletes every file in it then:
    /// never name a directory that holds anything else.
    public var spoolDirectory: String? = nil
    /// Bytes of encoded `recommend` results kept (`RecommendCache`); 0 = no cache.
    public var recommendCacheBytes: Int = 16 << 20
    /// Server name and version for `hello` and `status`.
    public var serverName: String = "mfd 0.1.0"
    /// Awaited in the loading phase after the stored model serves and before the
    /// ratings load: tests hold an engine there to exercise its loading reads.
    var afterModelStage: (@Sendable () async -> Void)? = nil
    /// Awaited before the background reload after an import (tests, as above).
    var beforeImportReload: (@Sendable () async -> Void)? = nil
    /// Test-only: seconds an operation stalls at a fixed point, longer than a
    /// client's timeout, so tests show the client waiting while progress lines
    /// arrive. `import_commit` stalls inside its transaction just before it
    /// commits; the others (`Engine.delayableOps`) before their work. mfd sets it
    /// from `MFD_TEST_DELAYS` (`import_commit=3,train=2`); empty in production.
    public var testDelays: [Op: Double] = [:]

    public init() {}
}
