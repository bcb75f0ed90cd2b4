import MFCore
import MFProtocol

/// A command-line argument mfctl rejects before connecting (exit code 2).
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Local checks and parsing of mfctl arguments.
public enum Arguments {
    /// A finite number; the daemon checks its own scale.
    public static func rating(_ text: String, argument: String = "RATING") throws(UsageError) -> Double {
        guard let v = Double(text), v.isFinite else {
            throw UsageError("\(argument) must be a finite number, got '\(text)'")
        }
        return v
    }

    /// `260:4.5` → item 260, rating 4.5.
    public static func itemRating(_ pair: String) throws(UsageError) -> ItemRating {
        let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let item = Int64(parts[0]) else {
            throw UsageError("expected ITEM:RATING, got '\(pair)'")
        }
        return ItemRating(item: item, rating: try rating(String(parts[1]), argument: "rating in '\(pair)'"))
    }

    /// `age=25` → number, `job=writer` → string; a later repeat of a name wins.
    public static func attributes(_ attrs: [String]) throws(UsageError) -> [String: AttributeValue] {
        var out: [String: AttributeValue] = [:]
        for a in attrs {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex else { throw UsageError("expected name=value, got '\(a)'") }
            let value = String(a[a.index(after: eq)...])
            if let d = Double(value), d.isFinite { out[String(a[..<eq])] = .number(d) } else { out[String(a[..<eq])] = .category(value) }
        }
        return out
    }
}
