/// Weights of collective MF's side-information blocks (cmfrec's `w_user`,
/// `w_item`, and λ on the attribute factors C, D). Used only when training
/// is given `SideInfo`; the ratings block has weight 1.
public struct SideInfoConfig: Codable, Sendable, Equatable {
    /// w_user: weight of ‖M_U ⊙ (U − ACᵀ)‖² against the ratings.
    public var userWeight: Float = 1
    /// w_item: weight of ‖M_I ⊙ (I − BDᵀ)‖².
    public var itemWeight: Float = 1
    /// λ on each attribute factor row c_j, d_j (not count-scaled).
    public var lambda: Float = 1

    public init(userWeight: Float = 1, itemWeight: Float = 1, lambda: Float = 1) {
        self.userWeight = userWeight; self.itemWeight = itemWeight; self.lambda = lambda
    }

    func validate() throws {
        for (f, v) in [("user_weight", userWeight), ("item_weight", itemWeight)] {
            guard v.isFinite && v >= 0 else { throw MFCoreError.invalidConfig(field: "side_info." + f, reason: "must be a finite number >= 0") }
        }
        guard lambda.isFinite && lambda > 0 else { throw MFCoreError.invalidConfig(field: "side_info.lambda", reason: "must be a finite number > 0") }
    }

    enum CodingKeys: String, CodingKey { case userWeight = "user_weight", itemWeight = "item_weight", lambda }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SideInfoConfig()
        userWeight = try c.decodeIfPresent(Float.self, forKey: .userWeight) ?? d.userWeight
        itemWeight = try c.decodeIfPresent(Float.self, forKey: .itemWeight) ?? d.itemWeight
        lambda = try c.decodeIfPresent(Float.self, forKey: .lambda) ?? d.lambda
    }
}
