import Foundation
import MFCore
import MFProtocol
import Synchronization

/// Everything a read needs, immutable. The writer publishes a new one after
/// every applied write; readers take the current one without waiting.
public final class EngineSnapshot: Sendable {
    let base: ModelBase?
    let users: ShardedMap<UserEntry>
    let items: ShardedMap<ItemEntry>
    /// Total ratings held.
    public let ratingCount: Int
    /// Store change sequence this snapshot reflects.
    let sequence: Int64
    /// Rating changes since the serving model's training snapshot.
    let pendingChanges: Int
    /// Changes when an item's title or genres change, or an item with a model
    /// row gets its first catalogue entry; with `base` and a user's entry it
    /// determines a model answer's bytes.
    let catalogueVersion: Int
    /// Increases with every snapshot made; the writer makes them in publish
    /// order, so a larger value is a later snapshot (the cache never goes back).
    let publishOrder: UInt64
    /// Published while the engine loads: the model and the catalogue only, no
    /// user entries and no rating counts (reads read a user's ratings from the store).
    let partial: Bool

    init(base: ModelBase?, users: ShardedMap<UserEntry>, items: ShardedMap<ItemEntry>,
         ratingCount: Int, sequence: Int64, pendingChanges: Int, catalogueVersion: Int = 0, partial: Bool = false) {
        self.partial = partial
        self.base = base
        self.users = users
        self.items = items
        self.ratingCount = ratingCount
        self.sequence = sequence
        self.pendingChanges = pendingChanges
        self.catalogueVersion = catalogueVersion
        publishOrder = snapshotsMade.add(1, ordering: .relaxed).newValue
    }

    static let empty = EngineSnapshot(base: nil, users: ShardedMap(), items: ShardedMap(),
                                      ratingCount: 0, sequence: 0, pendingChanges: 0)

    /// The serving model's description, if any.
    public var modelInfo: ModelInfo? { base?.info() }
    /// The serving model's stored id, if any.
    public var modelID: Int64? { base?.id }
}

/// Source of `EngineSnapshot.publishOrder`.
private let snapshotsMade = Atomic<UInt64>(0)
