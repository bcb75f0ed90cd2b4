import MFCore
import MFProtocol

/// One user's or item's ratings as parallel arrays (other side's external IDs).
struct RatingList: Sendable, Equatable {
    var ids: [Int64] = []
    var values: [Float] = []

    var count: Int { ids.count }

    init() {}

    init(ids: [Int64], values: [Float]) { self.ids = ids; self.values = values }

    /// An empty list with room for `capacity` ratings.
    init(capacity: Int) {
        ids.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// Appends a rating of an id the list does not hold (the caller knows it is new).
    mutating func appendNew(_ id: Int64, _ value: Float) {
        ids.append(id); values.append(value)
    }

    /// Appends ratings of ids the list does not hold, growing it to exactly its new size.
    mutating func append(ids newIDs: ArraySlice<Int64>, values newValues: ArraySlice<Float>) {
        ids.reserveCapacity(ids.count + newIDs.count)
        values.reserveCapacity(values.count + newValues.count)
        ids.append(contentsOf: newIDs); values.append(contentsOf: newValues)
    }
    var mean: Double? { ids.isEmpty ? nil : Double(values.reduce(0, +)) / Double(ids.count) }

    /// Sets `id`'s rating; returns the replaced value (nil when new).
    @discardableResult
    mutating func set(_ id: Int64, _ value: Float) -> Float? {
        if let j = ids.firstIndex(of: id) { defer { values[j] = value }; return values[j] }
        ids.append(id); values.append(value)
        return nil
    }

    /// Removes `id`'s rating; returns its value (nil when there was none).
    @discardableResult
    mutating func remove(_ id: Int64) -> Float? {
        guard let j = ids.firstIndex(of: id) else { return nil }
        let old = values[j]
        ids.swapAt(j, ids.count - 1); values.swapAt(j, values.count - 1)
        ids.removeLast(); values.removeLast()
        return old
    }
}

/// Every user's ratings as the store holds them, users ascending (the load's input).
struct UserRatingLists: Sendable {
    var users: [(id: Int64, ratings: RatingList)] = []
    var count = 0
    var sequence: Int64 = 0
}

/// What readers know about a user.
struct UserEntry: Sendable {
    var ratings = RatingList()
    /// The user's rated items as model indices, ascending (for `exclude_seen`).
    var seen: [Int32] = []
    /// Factors solved by fold-in since the model was trained; nil = the model's row (if any).
    var foldedIn: UserVector?
    /// Ratings changed after `foldedIn` was solved: readers solve the row from
    /// `ratings` themselves until the writer's next fold-in pass (see `EngineWriter+FoldPass`).
    var staleFoldIn = false
    /// Whether the user's factors come from fold-in rather than the model.
    var hasFoldIn: Bool { foldedIn != nil || staleFoldIn }
    var attributes: [String: AttributeValue] = [:]
    /// Store change sequence of the user's last rating change (replay after a retrain).
    var lastSequence: Int64 = 0
}

extension [Int32] {
    /// Inserts `x` into this ascending array unless present.
    mutating func insertSorted(_ x: Int32) {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        if lo == count || self[lo] != x { insert(x, at: lo) }
    }
}

/// What readers know about an item.
struct ItemEntry: Sendable {
    /// The catalogue fields, immutable in one shared box: every rating write copies
    /// its item's map shard (≈ items/256 entries), and a box costs one retain per
    /// copied entry where the three fields cost several.
    private final class Catalogue: Sendable {
        static let empty = Catalogue(title: nil, genres: [], attributes: [:])
        let title: String?
        let genres: [String]
        let attributes: [String: AttributeValue]
        /// Title and genres as they end the item's object in a recommend reply.
        let json: [UInt8]
        init(title: String?, genres: [String], attributes: [String: AttributeValue]) {
            self.title = title; self.genres = genres; self.attributes = attributes
            json = ScoredItem.catalogueJSON(title: title, genres: genres)
        }
    }
    private var catalogue = Catalogue.empty

    /// `ScoredItem.catalogueJSON(title:genres:)` of this entry, encoded once per catalogue change.
    var catalogueJSON: [UInt8] { catalogue.json }
    var title: String? { catalogue.title }
    var genres: [String] { catalogue.genres }
    var attributes: [String: AttributeValue] { catalogue.attributes }

    /// Replaces the catalogue fields together: one box and one JSON encoding.
    mutating func setCatalogue(title: String?, genres: [String], attributes: [String: AttributeValue]) {
        catalogue = Catalogue(title: title, genres: genres, attributes: attributes)
    }

    /// Takes `other`'s catalogue fields as they are (the same box).
    mutating func copyCatalogue(from other: ItemEntry) { catalogue = other.catalogue }

    var ratingCount = 0
    var ratingSum: Double = 0
    var lastSequence: Int64 = 0

    var mean: Double? { ratingCount == 0 ? nil : ratingSum / Double(ratingCount) }
}


import MFStore
