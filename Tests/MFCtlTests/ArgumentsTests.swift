import Testing
@testable import MFCtlKit
import MFProtocol

/// Arguments mfctl checks before connecting.
struct ArgumentsTests {
    @Test(arguments: ["abc", "", "nan", "NaN", "inf", "-inf", "1e400", "4,5", "4.5.1"])
    func badRatings(_ text: String) {
        #expect(throws: UsageError("RATING must be a finite number, got '\(text)'")) { try Arguments.rating(text) }
    }

    @Test func goodRatings() throws {
        #expect(try Arguments.rating("4.5") == 4.5)
        #expect(try Arguments.rating("-1") == -1)  // the daemon owns the scale
        #expect(try Arguments.rating("5") == 5)
    }

    @Test func itemRatingPairs() throws {
        #expect(try Arguments.itemRating("260:4.5") == ItemRating(item: 260, rating: 4.5))
        #expect(throws: UsageError("expected ITEM:RATING, got '260'")) { try Arguments.itemRating("260") }
        #expect(throws: UsageError("expected ITEM:RATING, got 'x:4'")) { try Arguments.itemRating("x:4") }
        #expect(throws: UsageError("expected ITEM:RATING, got '1:2:3'")) { try Arguments.itemRating("1:2:3") }
        #expect(throws: UsageError("rating in '260:abc' must be a finite number, got 'abc'")) { try Arguments.itemRating("260:abc") }
    }

    @Test func attributes() throws {
        let a = try Arguments.attributes(["age=25", "job=writer", "empty=", "job=poet"])
        #expect(a == ["age": .number(25), "job": .category("poet"), "empty": .category("")])
        #expect(throws: UsageError("expected name=value, got '=5'")) { try Arguments.attributes(["=5"]) }
        #expect(throws: UsageError("expected name=value, got 'age'")) { try Arguments.attributes(["age"]) }
    }
}
