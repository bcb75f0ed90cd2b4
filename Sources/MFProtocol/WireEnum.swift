/// A string enum on the wire; an unknown value is `invalid_value` listing the allowed ones.
public protocol WireEnum: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {}

extension WireEnum {
    public init(from decoder: any Decoder) throws {
        let field = WireDecoding.path(decoder.codingPath)
        let raw: String
        do { raw = try decoder.singleValueContainer().decode(String.self) } catch {
            throw WireError(.invalidType, "`\(field)` must be a string", field: field)
        }
        guard let v = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw WireError(.invalidValue, "`\(field)` must be one of: \(allowed); got \"\(raw)\"", field: field)
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Where a recommendation or prediction came from.
public enum Source: String, WireEnum {
    /// The trained model (user factors from training).
    case model
    /// The user's factors were solved by fold-in after the last training.
    case foldedIn = "folded_in"
    /// Unknown user or no model: most-rated items, by a damped mean rating.
    case popular
    /// Bias-only estimate (global mean + known biases) when a factor is missing.
    case baseline
}

public enum ModelKind: String, WireEnum { case explicit, implicit, collective }

/// `auto`: retrain after N changes or T minutes (and on `train`); `manual`: only on `train`;
/// `external`: never trains itself, waits for `import_model`.
public enum RetrainMode: String, WireEnum { case auto, manual, external }

/// `ranker`: the ranker of an imported model, trained after the import (docs/scale-out.md).
public enum JobKind: String, WireEnum { case train, tune, ranker }

public enum JobState: String, WireEnum { case queued, running, succeeded, failed, cancelled }

public enum ImportKind: String, WireEnum { case ratings, items, users }

/// `auto` sniffs the first lines: `::`-separated (ml1m), tab-separated (ml100k `u.data`),
/// `|`-separated (ml100k `u.item`/`u.user`), else CSV with a header (movielens / csv).
public enum ImportFormat: String, WireEnum { case auto, movielens, ml100k, ml1m, csv }

public enum ExportKind: String, WireEnum {
    case ratings, users, items
    case userFactors = "user_factors"
    case itemFactors = "item_factors"
}

public enum FactorSide: String, WireEnum { case users, items }
