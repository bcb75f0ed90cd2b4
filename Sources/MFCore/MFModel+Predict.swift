/// Which part of the model answered a prediction.
public enum PredictionSource: String, Sendable, Codable, CaseIterable {
    /// μ + b_u + b_i + p_u·q_i: both user and item known.
    case model
    /// μ + b_u: the item is unknown.
    case userBias = "user_bias"
    /// μ + b_i: the user is unknown.
    case itemBias = "item_bias"
    /// μ: both unknown.
    case globalMean = "global_mean"
}

/// A predicted rating, clipped to the training range, and its source.
public struct Prediction: Sendable, Equatable {
    public var value: Float
    public var source: PredictionSource
}

extension MFModel {
    /// Predicted rating clipped to [minRating, maxRating]. `user` nil or an
    /// `item` outside `0..<itemCount` mean unknown and fall back as `PredictionSource` says.
    public func predict(user: UserVector?, item: Int32?) -> Prediction {
        let known = item.flatMap { $0 >= 0 && Int($0) < itemCount ? Int($0) : nil }
        let raw: Float, source: PredictionSource
        switch (user, known) {
        case let (u?, i?):
            raw = globalMean + u.bias + itemBias[i] + rowDot(u.factors, itemFactors, row: i); source = .model
        case let (u?, nil): raw = globalMean + u.bias; source = .userBias
        case let (nil, i?): raw = globalMean + itemBias[i]; source = .itemBias
        case (nil, nil): raw = globalMean; source = .globalMean
        }
        return Prediction(value: clip(raw), source: source)
    }

    /// Predicted rating of trained user `u` for item `i`, clipped (both indices valid).
    public func predict(user u: Int32, item i: Int32) -> Float {
        let k = factors, ub = Int(u) * k, ib = Int(i) * k
        var d: Float = 0
        userFactors.withUnsafeBufferPointer { p in
            itemFactors.withUnsafeBufferPointer { q in d = Kernels.dot(p.baseAddress! + ub, q.baseAddress! + ib, k) }
        }
        return clip(globalMean + userBias[Int(u)] + itemBias[Int(i)] + d)
    }

    /// Clips to the training rating range.
    @inline(__always) public func clip(_ x: Float) -> Float { min(max(x, minRating), maxRating) }

    /// x · table[row*k ..< (row+1)*k].
    @inline(__always) func rowDot(_ x: [Float], _ table: [Float], row: Int) -> Float {
        let k = factors
        return x.withUnsafeBufferPointer { a in table.withUnsafeBufferPointer { t in Kernels.dot(a.baseAddress!, t.baseAddress! + row * k, k) } }
    }
}
