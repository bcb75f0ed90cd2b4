extension Array where Element == Double {
    /// The nearest-rank `p` quantile of an ascending array: element
    /// min(count − 1, ⌊count·p⌋). Not for empty arrays.
    public func percentile(_ p: Double) -> Double { self[Swift.min(count - 1, Int(Double(count) * p))] }
}
