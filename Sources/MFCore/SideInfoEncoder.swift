/// A row's encoded attributes: observed columns (ascending) and their values.
/// Columns not listed are missing and contribute nothing to the loss.
public struct EncodedAttributes: Sendable, Equatable {
    public var columns: [Int32]
    public var values: [Float]
    public init(columns: [Int32] = [], values: [Float] = []) { self.columns = columns; self.values = values }
}

/// Turns named attributes into the numeric columns collective MF factorizes,
/// with statistics fitted once on the training rows and kept in the model, so
/// a user folded in later is encoded exactly as the training users were.
///
/// - numeric attribute → one column (x − mean) / sd (sd 0 → 1);
/// - categorical attribute → one column per category seen in training:
///   1 if the row has it, else 0, minus the category's frequency among rows
///   that have the attribute (cmfrec's `center_U` centres every column).
///   Unseen categories at encode time contribute nothing beyond the zeros.
/// An absent attribute leaves all its columns missing. An attribute is
/// numeric when every training value is a number.
public struct SideInfoEncoder: Sendable, Equatable {
    public enum Kind: Int, Sendable { case numeric = 0, categorical = 1 }

    public struct Column: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        public var mean: Float, scale: Float
        /// Categorical: sorted category names and their training frequencies.
        public var categories: [String], frequencies: [Float]
        /// First encoded column.
        public var offset: Int
        var width: Int { kind == .numeric ? 1 : categories.count }
    }

    /// Attributes sorted by name.
    public private(set) var columns: [Column]
    /// Splits categorical values into sets ("|" for MovieLens genres); nil = no splitting.
    public private(set) var separator: String?
    /// Number of encoded columns.
    public var width: Int { columns.last.map { $0.offset + $0.width } ?? 0 }

    /// Fits the statistics on training rows.
    /// - Throws: `invalid_attribute` for a non-finite number (field `attributes[row].name`).
    public init(fitting rows: [[String: AttributeValue]], separator: String? = "|") throws {
        self.separator = separator
        var names = Set<String>()
        for r in rows { names.formUnion(r.keys) }
        columns = []
        var offset = 0
        for name in names.sorted() {
            var nums: [Double] = [], counts: [String: Int] = [:], present = 0, numeric = true
            for (j, r) in rows.enumerated() {
                guard let v = r[name] else { continue }
                present += 1
                if case .number(let x) = v {
                    guard x.isFinite else { throw MFCoreError.invalidAttribute(field: "attributes[\(j)].\(name)", reason: "is NaN or infinite") }
                    nums.append(x)
                } else { numeric = false }
            }
            var col = Column(name: name, kind: numeric ? .numeric : .categorical, mean: 0, scale: 1,
                             categories: [], frequencies: [], offset: offset)
            if numeric {
                let m = nums.reduce(0, +) / Double(max(nums.count, 1))
                let v = nums.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(nums.count, 1))
                col.mean = Float(m); col.scale = v > 0 ? Float(v.squareRoot()) : 1
            } else {
                for r in rows { if let v = r[name] { for c in Set(split(v)) { counts[c, default: 0] += 1 } } }
                col.categories = counts.keys.sorted()
                col.frequencies = col.categories.map { Float(Double(counts[$0]!) / Double(present)) }
            }
            offset += col.width
            columns.append(col)
        }
    }

    init(columns: [Column], separator: String?) { self.columns = columns; self.separator = separator }

    /// The categories of a value (numbers spelled like integers when integral).
    func split(_ v: AttributeValue) -> [String] {
        let s: String
        switch v {
        case .category(let c): s = c
        case .number(let x): s = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        }
        guard let sep = separator, !sep.isEmpty else { return [s] }
        return s.split(separator: sep, omittingEmptySubsequences: true).map(String.init)
    }

    /// Encodes one row; attributes the encoder does not know are ignored.
    /// - Throws: `invalid_attribute` when a numeric attribute gets a category or a non-finite number.
    public func encode(_ row: [String: AttributeValue]) throws -> EncodedAttributes {
        var out = EncodedAttributes()
        for col in columns {
            guard let v = row[col.name] else { continue }
            switch col.kind {
            case .numeric:
                guard case .number(let x) = v else { throw MFCoreError.invalidAttribute(field: col.name, reason: "must be a number") }
                guard x.isFinite else { throw MFCoreError.invalidAttribute(field: col.name, reason: "is NaN or infinite") }
                out.columns.append(Int32(col.offset)); out.values.append((Float(x) - col.mean) / col.scale)
            case .categorical:
                let has = Set(split(v))
                for (c, name) in col.categories.enumerated() {
                    out.columns.append(Int32(col.offset + c))
                    out.values.append((has.contains(name) ? 1 : 0) - col.frequencies[c])
                }
            }
        }
        return out
    }
}
