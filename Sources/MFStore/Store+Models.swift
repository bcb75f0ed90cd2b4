import Foundation
import GRDB

extension Store {
    /// Saves a model atomically (one transaction) and deletes all but the newest
    /// `options.keepModels`; returns the new model id once the transaction is committed.
    ///
    /// Model rows are derivable from the ratings, so their commit is `synchronous=NORMAL`:
    /// it reaches the WAL without an fsync of its own. The next commit at the store's
    /// `synchronous=FULL` (a rating write, `checkpoint()`) fsyncs the WAL up to and past it,
    /// so ratings acknowledged before or after keep their durability; a power loss before
    /// that can only lose the model, and a restart then serves the model before it and
    /// replays the newer ratings by fold-in. A process crash loses nothing (the WAL is written).
    ///
    /// A model's pages fill the WAL past `wal_autocheckpoint`; the save turns that off for
    /// its own commit, and the caller runs `checkpoint()` after serving the model (a rating
    /// commit would otherwise copy the model into the database file inside its own latency).
    @discardableResult
    ///
    /// With `receipt`, `receipt.text(id)` is stored in the same transaction as
    /// the receipt `receipt.name` (``importReceipt(_:)``): the model and the
    /// record that it was saved commit together.
    public func saveModel(_ model: ModelRecord,
                          receipt: (name: String, text: @Sendable (Int64) -> String)? = nil) async throws -> Int64 {
        try model.validate()
        let keep = options.keepModels, autocheckpoint = max(1, options.walCheckpointPages), cacheKiB = options.writerCacheKiB
        let userBlob = LittleEndianBlob.encode(model.userIDs)
        let itemBlob = LittleEndianBlob.encode(model.itemIDs)
        return try await modelWrite(autocheckpoint: autocheckpoint) { db in
            let id = try Self.insertModel(db, model, userBlob: userBlob, itemBlob: itemBlob, keep: keep, cacheKiB: cacheKiB)
            if let receipt { try Self.storeReceipt(db, name: receipt.name, text: receipt.text(id)) }
            return id
        }
    }

    /// Adds (or replaces) arrays and scalars of the stored model `id` and removes its scalars
    /// named in `removing`, in one transaction written as `saveModel` writes (`synchronous=NORMAL`);
    /// false when the model is no longer stored (pruned by newer ones).
    @discardableResult
    public func addModelParts(_ id: Int64, arrays: [String: [Float]], scalars: [String: Double],
                              removing: [String] = []) async throws -> Bool {
        let autocheckpoint = max(1, options.walCheckpointPages)
        return try await modelWrite(autocheckpoint: autocheckpoint) { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM models WHERE id = ?", arguments: [id]) != nil else { return false }
            try Self.insertArrays(db, id, arrays, replacing: true)
            for (name, value) in scalars {
                try db.execute(sql: "INSERT OR REPLACE INTO model_scalars (model, name, value) VALUES (?, ?, ?)",
                               arguments: [id, name, value])
            }
            for name in removing {
                try db.execute(sql: "DELETE FROM model_scalars WHERE model = ? AND name = ?", arguments: [id, name])
            }
            return true
        }
    }

    /// Copies the WAL into the database file (passive: readers are not waited for) and
    /// makes it durable, as an automatic checkpoint would; run after a model save, off
    /// the path that serves the model. Best effort: the next open checkpoints what is left.
    public func checkpoint() async throws {
        try await MFStoreError.wrap {
            try await pool.writeWithoutTransaction { db in _ = try? db.checkpoint(.passive) }
        }
    }

    /// One transaction of model rows at `synchronous=NORMAL` without an automatic
    /// checkpoint; the writer connection's `synchronous=FULL` is restored after it.
    private func modelWrite<T: Sendable>(autocheckpoint: Int, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await MFStoreError.wrap {
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0; PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = \(autocheckpoint)") }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// The rows of one model save, inside the caller's transaction; returns the new id.
    private static func insertModel(_ db: Database, _ model: ModelRecord, userBlob: Data, itemBlob: Data,
                                    keep: Int, cacheKiB: Int) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO models (created_at, algorithm, hyperparameters, metrics, training_log, seq, k, user_ids, item_ids)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [model.createdAt.timeIntervalSince1970, model.algorithm, model.hyperparameters,
                             model.metrics, model.trainingLog, model.sequence, model.k, userBlob, itemBlob])
        let id = db.lastInsertedRowID
        // Each array's bytes go to SQLite as they are (no encoded copy, no copy
        // in the statement), and a small page cache spills the model's pages to
        // the WAL as they fill: encoding every array first, GRDB's copy of each
        // bound BLOB and a 64 MiB cache of dirty pages held the model four times.
        try db.execute(sql: "PRAGMA cache_size = -16384")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(-max(2048, cacheKiB))") }
        try insertArrays(db, id, model.arrays, replacing: false)
        for (name, value) in model.scalars {
            try db.execute(sql: "INSERT INTO model_scalars (model, name, value) VALUES (?, ?, ?)", arguments: [id, name, value])
        }
        try db.execute(sql: "DELETE FROM models WHERE id NOT IN (SELECT id FROM models ORDER BY id DESC LIMIT ?)",
                       arguments: [keep])
        return id
    }

    /// One row of `model_arrays` per array of model `id`, each BLOB bound from the array's own memory.
    private static func insertArrays(_ db: Database, _ id: Int64, _ arrays: [String: [Float]], replacing: Bool) throws {
        let insert = try RawStatement(db, "INSERT \(replacing ? "OR REPLACE " : "")INTO model_arrays (model, name, data) VALUES (?1, ?2, ?3)")
        for (name, values) in arrays.sorted(by: { $0.key < $1.key }) {
            try LittleEndianBlob.withBytes(of: values) { bytes in
                insert.bind(1, id)
                insert.bind(2, name)
                insert.bindStatic(3, blob: bytes)
                defer { insert.clearBindings() }
                try insert.execute()
            }
        }
    }

    /// The newest saved model, or nil when none was saved.
    public func loadLatestModel() async throws -> ModelRecord? {
        try await loadModel(where: "ORDER BY id DESC LIMIT 1", nil)
    }

    /// The model with `id`, or nil (older models are pruned).
    public func loadModel(id: Int64) async throws -> ModelRecord? {
        try await loadModel(where: "WHERE id = ?1", id)
    }

    /// Saved models, newest first, without their arrays.
    public func listModels() async throws -> [ModelSummary] {
        try await MFStoreError.wrap {
            try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, created_at, algorithm, hyperparameters, metrics, seq, k,
                           length(user_ids) / 8, length(item_ids) / 8 FROM models ORDER BY id DESC
                    """).map {
                    ModelSummary(id: $0[0], createdAt: Date(timeIntervalSince1970: $0[1]), algorithm: $0[2],
                                 hyperparameters: $0[3], metrics: $0[4], sequence: $0[5], k: $0[6],
                                 userCount: $0[7], itemCount: $0[8])
                }
            }
        }
    }

    private func loadModel(where clause: String, _ id: Int64?) async throws -> ModelRecord? {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let header = try RawStatement(db, """
                    SELECT id, created_at, seq, k, user_ids, item_ids FROM models \(clause)
                    """)
                if let id { header.bind(1, id) }
                guard try header.step() else { return nil }
                let id = header.int64(0)
                guard let users = header.int64s(4), let items = header.int64s(5) else {
                    throw MFStoreError.corruptDatabase(path: self.path, detail: "model \(id): ID map BLOB length is not a multiple of 8")
                }
                let row = try Row.fetchOne(db, sql: "SELECT algorithm, hyperparameters, metrics, training_log FROM models WHERE id = ?",
                                           arguments: [id])!
                var model = ModelRecord(id: id, createdAt: Date(timeIntervalSince1970: header.double(1)), algorithm: row[0],
                                        hyperparameters: row[1], metrics: row[2], trainingLog: row[3],
                                        sequence: header.int64(2), k: Int(header.int64(3)),
                                        userIDs: users, itemIDs: items, arrays: [:], scalars: [:])
                header.reset()
                let arrays = try RawStatement(db, "SELECT name, data FROM model_arrays WHERE model = ?1")
                arrays.bind(1, id)
                while try arrays.step() {
                    let name = arrays.text(0)
                    guard let values = arrays.floats(1) else {
                        throw MFStoreError.corruptDatabase(path: self.path, detail: "model \(id): array \(name) length is not a multiple of 4")
                    }
                    model.arrays[name] = values
                }
                for row in try Row.fetchAll(db, sql: "SELECT name, value FROM model_scalars WHERE model = ?", arguments: [id]) {
                    model.scalars[row[0]] = row[1]
                }
                return model
            }
        }
    }
}
