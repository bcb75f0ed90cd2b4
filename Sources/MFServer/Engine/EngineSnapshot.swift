import Foundation
import MFCore
import MFProtocol

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
    /// Changes when any item's catalogue entry (title, genres) is created or
    /// changed; with `base` and a user's entry it determines a model answer's bytes.
    let catalogueVersion: Int

    init(base: ModelBase?, users: ShardedMap<UserEntry>, items: ShardedMap<ItemEntry>,
         ratingCount: Int, sequence: Int64, pendingChanges: Int, catalogueVersion: Int = 0) {
        self.base = base
        self.users = users
        self.items = items
        self.ratingCount = ratingCount
        self.sequence = sequence
        self.pendingChanges = pendingChanges
        self.catalogueVersion = catalogueVersion
    }

    static let empty = EngineSnapshot(base: nil, users: ShardedMap(), items: ShardedMap(),
                                      ratingCount: 0, sequence: 0, pendingChanges: 0)

    /// The serving model's description, if any.
    public var modelInfo: ModelInfo? { base?.info() }
    /// The serving model's stored id, if any.
    public var modelID: Int64? { base?.id }
}
