#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tuning knobs for ``Store/open(path:options:)``.
public struct StoreOptions: Sendable, Equatable {
    /// How long a connection waits on a lock held by another process, in seconds.
    public var busyTimeout: Double = 5
    /// How many trained models ``Store/saveModel(_:)`` keeps (older ones are deleted in the same transaction).
    public var keepModels: Int = 3
    /// Accepted rating values (inclusive) for `addRating` and imports.
    public var ratingScale: ClosedRange<Float> = 0.5...5.0
    /// Upper bound on ratings per group-commit transaction (bounds the latency of one commit).
    public var maxGroupCommitBatch: Int = 8192
    /// Maximum concurrent reader connections.
    public var maxReaders: Int = 4
    /// Writer page cache, in KiB (`PRAGMA cache_size = -N`); large imports touch many pages.
    public var writerCacheKiB: Int = 65536
    /// WAL pages after which a commit checkpoints (`PRAGMA wal_autocheckpoint`).
    /// Rating writes dirty a page per user, so a checkpoint copies nearly every
    /// page of the ratings table; with SQLite's 1,000 that was about 40 % of the
    /// writer's I/O calls once the table outgrew the WAL. 8,192 pages is a 32 MiB WAL.
    public var walCheckpointPages: Int = 8192
    /// Run `PRAGMA quick_check` inside ``Store/open(path:options:)``. It reads every
    /// page (0.86 s at 5M ratings, a 160 MB file), so a daemon that must answer at
    /// once turns it off and calls ``Store/quickCheck()`` before its first write.
    /// A database that needs a migration is checked at open either way.
    public var quickCheckAtOpen = true
    /// A group that may read the database files this store creates (the
    /// database at open, a backup): with it a new file is 0640 when it belongs
    /// to that group, else, and without it, 0600. SQLite gives `-wal` and `-shm`
    /// the database file's mode. An existing file keeps its mode.
    public var sharedGroup: gid_t? = nil

    public init() {}
}
