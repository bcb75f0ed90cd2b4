/// Attributes for training collective MF: row `u` of `users` holds user u's
/// attributes (rows past the end, or empty dictionaries, have none); the same
/// for `items`. Either side may be empty.
public struct SideInfo: Sendable {
    public var users: [[String: AttributeValue]]
    public var items: [[String: AttributeValue]]
    /// Multi-valued category separator passed to both encoders ("|" for genres).
    public var separator: String?

    public init(users: [[String: AttributeValue]] = [], items: [[String: AttributeValue]] = [], separator: String? = "|") {
        self.users = users; self.items = items; self.separator = separator
    }
}

/// A trained attribute block of collective MF: the fitted encoder, the
/// attribute factors (C for users, D for items; `encoder.width × k`, row-major)
/// and the block weight used by fold-in.
public struct AttributeBlock: Sendable, Equatable {
    public var encoder: SideInfoEncoder
    public var factors: [Float]
    public var weight: Float
    /// Cold-start prior for rows with attributes and no ratings (nil: models stored before it; zero prior).
    public var prior: AttributePrior? = nil
}

/// The side-information part of a model trained with `SideInfo`.
public struct SideInfoModel: Sendable, Equatable {
    public var users: AttributeBlock?
    public var items: AttributeBlock?
}

extension SideInfoModel {
    /// Reads `user_attr_*` / `item_attr_*` parts; nil when neither is present.
    /// - Throws: `invalid_model_parts` naming the malformed part.
    init?(parts p: ModelParts, factors k: Int) throws {
        func block(_ prefix: String) throws -> AttributeBlock? {
            guard let enc = p.arrays[prefix + "_encoder"] else { return nil }
            let e = try SideInfoEncoder(serialized: enc, field: prefix + "_encoder")
            guard let f = p.arrays[prefix + "_factors"] else { throw MFCoreError.invalidModelParts(field: prefix + "_factors", reason: "missing array") }
            guard f.count == e.width * k, f.allSatisfy(\.isFinite) else {
                throw MFCoreError.invalidModelParts(field: prefix + "_factors", reason: "has \(f.count) values, expected \(e.width * k) finite values")
            }
            guard let w = p.scalars[prefix + "_weight"], w.isFinite, w >= 0 else {
                throw MFCoreError.invalidModelParts(field: prefix + "_weight", reason: "missing, negative or not finite")
            }
            var prior: AttributePrior?
            if let m = p.arrays[prefix + "_prior"], let b = p.arrays[prefix + "_bias"] {
                guard m.count == k, b.count == e.width + 1, (m + b).allSatisfy(\.isFinite) else {
                    throw MFCoreError.invalidModelParts(field: prefix + "_prior", reason: "expected \(k) prior factors and \(e.width + 1) bias coefficients, all finite")
                }
                let y = p.arrays[prefix + "_implicit"] ?? []
                guard y.isEmpty || (y.count == b.count * k && y.allSatisfy(\.isFinite)) else {
                    throw MFCoreError.invalidModelParts(field: prefix + "_implicit", reason: "expected \(b.count * k) finite values")
                }
                prior = AttributePrior(meanFactors: m, biasCoefficients: b, implicitCoefficients: y)
            }
            return AttributeBlock(encoder: e, factors: f, weight: Float(w), prior: prior)
        }
        let u = try block("user_attr"), i = try block("item_attr")
        if u == nil && i == nil { return nil }
        self.init(users: u, items: i)
    }
}

extension MFModel {
    /// Parts beyond format 1's explicit model: implicit-ALS scalars and side-information blocks.
    /// Older readers ignore them; `init(parts:)` treats their absence as "none".
    func addExtensionParts(arrays a: inout [String: [Float]], scalars s: inout [String: Double]) {
        if let f = solver.implicitALS {
            s["implicit_als"] = 1; s["implicit_als_alpha"] = Double(f.alpha); s["implicit_als_lambda"] = Double(f.lambda)
            s["implicit_als_threshold"] = Double(f.threshold); s["implicit_als_binary"] = f.binary ? 1 : 0
        }
        for (prefix, b) in [("user_attr", sideInfo?.users), ("item_attr", sideInfo?.items)] {
            guard let b else { continue }
            a[prefix + "_encoder"] = b.encoder.serialized(); a[prefix + "_factors"] = b.factors
            s[prefix + "_weight"] = Double(b.weight)
            if let p = b.prior {
                a[prefix + "_prior"] = p.meanFactors; a[prefix + "_bias"] = p.biasCoefficients
                if !p.implicitCoefficients.isEmpty { a[prefix + "_implicit"] = p.implicitCoefficients }
            }
        }
    }

    /// The implicit-ALS settings stored by `addExtensionParts`, or nil.
    static func implicitALS(from p: ModelParts) throws -> ImplicitFeedback? {
        guard let flag = p.scalars["implicit_als"], flag != 0 else { return nil }
        func s(_ n: String) throws -> Float {
            guard let v = p.scalars[n], v.isFinite else { throw MFCoreError.invalidModelParts(field: n, reason: "missing or not finite") }
            return Float(v)
        }
        let f = ImplicitFeedback(alpha: try s("implicit_als_alpha"), lambda: try s("implicit_als_lambda"),
                                 threshold: try s("implicit_als_threshold"), binary: try s("implicit_als_binary") != 0)
        do { try f.validate() } catch { throw MFCoreError.invalidModelParts(field: "implicit_als_lambda", reason: "invalid implicit-ALS settings") }
        return f
    }
}
