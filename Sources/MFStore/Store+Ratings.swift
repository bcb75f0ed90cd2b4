import GRDB

extension Store {
    /// Adds or replaces one rating through group commit; returns after the commit
    /// that holds it, with that transaction's change sequence number.
    ///
    /// A re-rating replaces the value and keeps the newest timestamp. The user and
    /// item rows are created on first sight. Throws `invalid_argument` (field
    /// `rating`) for a NaN/infinite value or one outside `options.ratingScale`.
    @discardableResult
    public func addRating(_ rating: Rating) async throws -> Int64 {
        try validate(rating)
        return try await committer.submit([rating])
    }

    /// Adds or replaces many ratings atomically (all or none, one transaction,
    /// possibly shared with concurrent `addRating` callers); returns its sequence number.
    @discardableResult
    public func addRatings(_ ratings: [Rating]) async throws -> Int64 {
        for rating in ratings { try validate(rating) }
        if ratings.isEmpty { return try await currentSequence() }
        return try await committer.submit(ratings)
    }

    /// Deletes one rating in its own transaction; returns the new sequence number.
    /// Throws `not_found` when the pair has no rating.
    @discardableResult
    public func deleteRating(user: Int64, item: Int64) async throws -> Int64 {
        try await MFStoreError.wrap {
            try await pool.write { db in
                let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ratings WHERE user = ? AND item = ?)",
                                               arguments: [user, item]) ?? false
                guard exists else { throw MFStoreError.notFound(what: "rating of user \(user) for item \(item)") }
                let sequence = try ChangeSequence.next(db)
                try db.execute(sql: "DELETE FROM ratings WHERE user = ? AND item = ?", arguments: [user, item])
                try db.execute(sql: "INSERT OR REPLACE INTO rating_tombstones (user, item, seq) VALUES (?, ?, ?)",
                               arguments: [user, item, sequence])
                return sequence
            }
        }
    }

    /// Deletes a user with all their ratings and attributes in one transaction;
    /// returns the new sequence number. Throws `not_found` for an unknown user.
    @discardableResult
    public func deleteUser(_ user: Int64) async throws -> Int64 {
        try await MFStoreError.wrap {
            try await pool.write { db in
                let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)", arguments: [user]) ?? false
                guard exists else { throw MFStoreError.notFound(what: "user \(user)") }
                let sequence = try ChangeSequence.next(db)
                try db.execute(sql: """
                    INSERT OR REPLACE INTO rating_tombstones (user, item, seq) SELECT user, item, ? FROM ratings WHERE user = ?
                    """, arguments: [sequence, user])
                try db.execute(sql: "DELETE FROM ratings WHERE user = ?", arguments: [user])
                try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [user])  // cascades to attributes
                try db.execute(sql: "INSERT OR REPLACE INTO user_tombstones (user, seq) VALUES (?, ?)", arguments: [user, sequence])
                return sequence
            }
        }
    }

    /// The rating of `user` for `item`, if any.
    public func rating(user: Int64, item: Int64) async throws -> Rating? {
        try await MFStoreError.wrap {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT rating, ts FROM ratings WHERE user = ? AND item = ?", arguments: [user, item])
                    .map { Rating(user: user, item: item, value: Float($0[0] as Double), timestamp: $0[1]) }
            }
        }
    }

    /// All ratings of one user, by item ID (for fold-in).
    public func ratings(ofUser user: Int64) async throws -> [Rating] {
        try await fetchRatings(sql: "SELECT user, item, rating, ts FROM ratings WHERE user = ? ORDER BY item", user)
    }

    /// One user's ratings by item ID with the newest change sequence that touched
    /// them: their ratings, deleted ratings and a deletion of the user. Three
    /// primary-key range reads; the daemon serves a user this way while it loads.
    public func userRatings(_ user: Int64) async throws -> UserRatings {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let rows = try RawStatement(db, "SELECT item, rating, seq FROM ratings WHERE user = ?1 ORDER BY item", cached: true)
                defer { rows.reset() }
                rows.bind(1, user)
                var out = UserRatings()
                while try rows.step() {
                    out.items.append(rows.int64(0))
                    out.values.append(Float(rows.double(1)))
                    out.lastSequence = max(out.lastSequence, rows.int64(2))
                }
                for sql in ["SELECT max(seq) FROM rating_tombstones WHERE user = ?1", "SELECT seq FROM user_tombstones WHERE user = ?1"] {
                    let s = try RawStatement(db, sql, cached: true)
                    defer { s.reset() }
                    s.bind(1, user)
                    if try s.step(), let seq = s.optionalInt64(0) { out.lastSequence = max(out.lastSequence, seq) }
                }
                return out
            }
        }
    }

    /// All ratings of one item, by user ID (for item updates).
    public func ratings(ofItem item: Int64) async throws -> [Rating] {
        try await fetchRatings(sql: "SELECT user, item, rating, ts FROM ratings WHERE item = ? ORDER BY user", item)
    }

    /// Row counts of ratings, users and items.
    public func counts() async throws -> StoreCounts {
        try await MFStoreError.wrap {
            try await pool.read { db in
                StoreCounts(ratings: try Int.fetchOne(db, sql: "SELECT count(*) FROM ratings") ?? 0,
                            users: try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0,
                            items: try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0)
            }
        }
    }

    private func fetchRatings(sql: String, _ key: Int64) async throws -> [Rating] {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let statement = try RawStatement(db, sql)
                statement.bind(1, key)
                var result: [Rating] = []
                while try statement.step() {
                    result.append(Rating(user: statement.int64(0), item: statement.int64(1),
                                         value: Float(statement.double(2)), timestamp: statement.optionalInt64(3)))
                }
                return result
            }
        }
    }

    func validate(_ rating: Rating) throws {
        guard rating.value.isFinite else {
            throw MFStoreError.invalidArgument(field: "rating", message: "rating \(rating.value) is not a finite number")
        }
        guard options.ratingScale.contains(rating.value) else {
            throw MFStoreError.invalidArgument(
                field: "rating",
                message: "rating \(rating.value) is outside the scale \(options.ratingScale.lowerBound)...\(options.ratingScale.upperBound)")
        }
    }
}
