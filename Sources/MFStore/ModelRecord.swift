import Foundation

/// A trained model as stored: metadata, ID ↔ index maps and named Float32 arrays.
///
/// Conventional array names: "user_factors" (users × k, row-major), "item_factors"
/// (items × k), "user_bias", "item_bias"; scalar "global_mean" (μ). Other names are
/// stored as given. Index `i` of a factor/bias array belongs to `userIDs[i]` / `itemIDs[i]`.
public struct ModelRecord: Sendable, Equatable {
    /// Assigned by ``Store/saveModel(_:)``; ignored on save.
    public var id: Int64
    public var createdAt: Date
    public var algorithm: String
    /// JSON text.
    public var hyperparameters: String
    /// JSON text (training and holdout metrics).
    public var metrics: String
    /// JSON text (per-epoch loss and holdout RMSE).
    public var trainingLog: String
    /// The change sequence of the ratings snapshot the model was trained on.
    public var sequence: Int64
    public var k: Int
    public var userIDs: [Int64]
    public var itemIDs: [Int64]
    public var arrays: [String: [Float]]
    public var scalars: [String: Double]

    public init(id: Int64 = 0, createdAt: Date = Date(), algorithm: String, hyperparameters: String = "{}",
                metrics: String = "{}", trainingLog: String = "[]", sequence: Int64, k: Int,
                userIDs: [Int64], itemIDs: [Int64], arrays: [String: [Float]], scalars: [String: Double] = [:]) {
        self.id = id
        self.createdAt = createdAt
        self.algorithm = algorithm
        self.hyperparameters = hyperparameters
        self.metrics = metrics
        self.trainingLog = trainingLog
        self.sequence = sequence
        self.k = k
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.arrays = arrays
        self.scalars = scalars
    }
}

/// Model metadata without the arrays (for listings).
public struct ModelSummary: Sendable, Hashable {
    public var id: Int64
    public var createdAt: Date
    public var algorithm: String
    public var hyperparameters: String
    public var metrics: String
    public var sequence: Int64
    public var k: Int
    public var userCount: Int
    public var itemCount: Int
}

extension ModelRecord {
    /// Expected lengths of the conventional arrays; others are unconstrained.
    func validate() throws {
        func bad(_ field: String, _ message: String) -> MFStoreError { .invalidArgument(field: field, message: message) }
        guard !algorithm.isEmpty else { throw bad("algorithm", "empty algorithm name") }
        guard k >= 1 else { throw bad("k", "k must be at least 1, got \(k)") }
        for (field, text) in [("hyperparameters", hyperparameters), ("metrics", metrics), ("trainingLog", trainingLog)] {
            guard (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil else {
                throw bad(field, "not valid JSON")
            }
        }
        let expected = ["user_factors": userIDs.count * k, "item_factors": itemIDs.count * k,
                        "user_bias": userIDs.count, "item_bias": itemIDs.count]
        for (name, values) in arrays {
            guard !name.isEmpty else { throw bad("arrays", "empty array name") }
            if let n = expected[name], values.count != n {
                throw bad("arrays.\(name)", "has \(values.count) values, expected \(n)")
            }
        }
        for (name, value) in scalars where name.isEmpty || !value.isFinite {
            throw bad("scalars.\(name)", "scalar must have a name and a finite value, got \(value)")
        }
        guard Set(userIDs).count == userIDs.count else { throw bad("userIDs", "duplicate user IDs") }
        guard Set(itemIDs).count == itemIDs.count else { throw bad("itemIDs", "duplicate item IDs") }
    }
}

enum LittleEndianBlob {
    /// The values' bytes, copied once (on little-endian machines no conversion is needed).
    static func encode(_ values: [Float]) -> Data {
        #if _endian(big)
        return encodeBits(values.map(\.bitPattern))
        #else
        return values.withUnsafeBytes { Data($0) }
        #endif
    }

    static func encode(_ values: [Int64]) -> Data {
        #if _endian(big)
        return encodeBits(values.map { UInt64(bitPattern: $0) })
        #else
        return values.withUnsafeBytes { Data($0) }
        #endif
    }

    /// Calls `body` with the values' little-endian bytes (the array's own memory on LE hosts).
    static func withBytes<R>(of values: [Float], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        #if _endian(big)
        return try encode(values).withUnsafeBytes(body)
        #else
        return try values.withUnsafeBytes(body)
        #endif
    }

    private static func encodeBits<T: FixedWidthInteger>(_ bits: [T]) -> Data {
        bits.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }
}
