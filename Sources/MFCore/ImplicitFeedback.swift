/// Settings of implicit-feedback ALS (Hu, Koren, Volinsky 2008), used when
/// `TrainingConfig.algorithm == .implicit` and kept in the model's
/// `SolverParams` so fold-in reads events exactly as training did.
///
/// A stored value v is an interaction when v ≥ `threshold` (and v > 0);
/// its strength is 1 when `binary`, else v. Confidence c = 1 + α·strength,
/// preference p = 1; every other (user, item) cell has c = 1, p = 0.
public struct ImplicitFeedback: Codable, Sendable, Equatable {
    /// Confidence slope α.
    public var alpha: Float = 1
    /// L2 penalty λ on user and item factors (not count-scaled, as in `implicit`).
    public var lambda: Float = 0.05
    /// Values below this are not interactions (star ratings: 4 keeps "liked").
    public var threshold: Float = 4
    /// Count every interaction as strength 1 (star ratings); false uses the value (plays, clicks).
    public var binary: Bool = true

    public init(alpha: Float = 1, lambda: Float = 0.05, threshold: Float = 4, binary: Bool = true) {
        self.alpha = alpha; self.lambda = lambda; self.threshold = threshold; self.binary = binary
    }

    /// The strength of a stored value, or nil when it is not an interaction.
    @inline(__always) public func strength(_ v: Float) -> Float? {
        guard v >= threshold && v > 0 else { return nil }
        return binary ? 1 : v
    }

    func validate() throws {
        func bad(_ f: String, _ r: String) -> MFCoreError { .invalidConfig(field: "implicit_als." + f, reason: r) }
        guard alpha.isFinite && alpha >= 0 else { throw bad("alpha", "must be a finite number >= 0") }
        guard lambda.isFinite && lambda > 0 else { throw bad("lambda", "must be a finite number > 0") }
        guard threshold.isFinite else { throw bad("threshold", "must be finite") }
    }

    enum CodingKeys: String, CodingKey { case alpha, lambda, threshold, binary }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ImplicitFeedback()
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha) ?? d.alpha
        lambda = try c.decodeIfPresent(Float.self, forKey: .lambda) ?? d.lambda
        threshold = try c.decodeIfPresent(Float.self, forKey: .threshold) ?? d.threshold
        binary = try c.decodeIfPresent(Bool.self, forKey: .binary) ?? d.binary
    }
}
