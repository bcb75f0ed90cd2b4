import Foundation
import MFCore

/// One generated request line (never containing `\n`) and what the server must do with it.
struct FuzzInput {
    enum Expect { case blank, reply, tooLong }
    var kind: String
    var bytes: [UInt8]
    var expect: Expect
}

/// Seeded generator of hostile request lines. Write and admin ops that
/// change stored ratings always carry a defect, so stored data must not change.
struct FuzzGenerator {
    var rng: SeededRNG
    /// Lines this long go to the 10 MB case; the server's limit must be below it.
    let hugeLineBytes: Int
    /// Every `hugeEvery`-th input is a huge line (0 = never).
    let hugeEvery: Int
    /// The server's max_batch, to build a batch one larger.
    let maxBatch: Int
    private var count = 0

    init(seed: UInt64, hugeLineBytes: Int, hugeEvery: Int, maxBatch: Int) {
        rng = SeededRNG(seed: seed)
        self.hugeLineBytes = hugeLineBytes
        self.hugeEvery = hugeEvery
        self.maxBatch = maxBatch
    }

    static let readOps = ["hello", "ping", "status", "recommend", "predict", "similar_items", "similar_users", "user", "item", "train_status", "metrics"]
    static let writeOps = ["add_rating", "add_ratings", "delete_rating", "delete_user", "fold_in", "add_user", "add_item"]

    mutating func next() -> FuzzInput {
        count += 1
        if hugeEvery > 0, count % hugeEvery == 0 { return huge() }
        switch rng.next(below: 100) {
        case 0..<12: return randomBytes()
        case 12..<22: return truncated()
        case 22..<27: return deepNesting()
        case 27..<40: return weirdNumber()
        case 40..<55: return wrongType()
        case 55..<60: return unknownOp()
        case 60..<68: return invalidUTF8()
        case 68..<71: return blank()
        case 71..<80: return mutatedRead()
        case 80..<85: return badID()
        case 85..<88: return tooBigBatch()
        default: return validRead()
        }
    }

    // MARK: Building blocks

    mutating func id() -> Int64 { Int64(rng.next(below: 3) == 0 ? rng.next(below: 2_000) + 1 : rng.next(below: 700) + 1) }

    /// A valid request for a read op.
    mutating func readRequest() -> String {
        let op = Self.readOps[rng.next(below: Self.readOps.count)]
        switch op {
        case "recommend": return #"{"id":\#(count),"op":"recommend","user":\#(id()),"n":\#(1 + rng.next(below: 50)),"explain":\#(rng.next(below: 2) == 0)}"#
        case "predict": return #"{"id":\#(count),"op":"predict","user":\#(id()),"item":\#(id())}"#
        case "similar_items": return #"{"id":\#(count),"op":"similar_items","item":\#(id()),"n":5}"#
        case "similar_users": return #"{"id":\#(count),"op":"similar_users","user":\#(id()),"n":5}"#
        case "user": return #"{"id":\#(count),"op":"user","user":\#(id())}"#
        case "item": return #"{"id":\#(count),"op":"item","item":\#(id())}"#
        default: return #"{"id":\#(count),"op":"\#(op)"}"#
        }
    }

    /// A write request as (op, params) with valid values; callers add a defect.
    mutating func writeParams() -> (String, [(String, String)]) {
        let op = Self.writeOps[rng.next(below: Self.writeOps.count)]
        let u = "\(id())", i = "\(id())"
        switch op {
        case "add_rating": return (op, [("user", u), ("item", i), ("rating", "4.5")])
        case "add_ratings": return (op, [("ratings", "[[\(u),\(i),4],[\(id()),\(id()),3.5]]")])
        case "delete_rating": return (op, [("user", u), ("item", i)])
        case "delete_user": return (op, [("user", u)])
        case "fold_in": return (op, [("user", u), ("ratings", "[[\(i),5]]")])
        case "add_user": return (op, [("user", u), ("attributes", "{\"age\":30}")])
        default: return (op, [("item", i), ("title", "\"T\"")])
        }
    }

    func line(_ op: String, _ params: [(String, String)]) -> String {
        "{\"op\":\"\(op)\"" + params.map { ",\"\($0.0)\":\($0.1)" }.joined() + "}"
    }

    // MARK: Cases

    mutating func randomBytes() -> FuzzInput {
        var b = (0..<(1 + rng.next(below: 200))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }.map { $0 == 10 ? 0x7B : $0 }
        b[0] = b[0] == 32 || b[0] == 9 || b[0] == 13 ? 0x5B : b[0]  // never all whitespace
        return FuzzInput(kind: "random_bytes", bytes: b, expect: .reply)
    }

    mutating func truncated() -> FuzzInput {
        let (op, p) = writeParams()
        let full = Array((rng.next(below: 2) == 0 ? readRequest() : line(op, p)).utf8)
        let cut = 1 + rng.next(below: full.count - 1)  // strictly shorter: never valid
        var b = Array(full[..<cut])
        if b.allSatisfy({ $0 == 32 }) { b = [0x7B] }
        return FuzzInput(kind: "truncated_json", bytes: b, expect: .reply)
    }

    mutating func deepNesting() -> FuzzInput {
        // Up to 100k levels (≤ 600 KB): deep, yet under the 1 MiB line limit.
        let depth = 33 + rng.next(below: rng.next(below: 4) == 0 ? 100_000 : 500)
        let open: UInt8 = rng.next(below: 2) == 0 ? 0x5B : 0x7B
        var b: [UInt8]
        if open == 0x5B {
            b = [UInt8](repeating: 0x5B, count: depth) + [UInt8](repeating: 0x5D, count: rng.next(below: 2) == 0 ? depth : 0)
        } else {
            b = Array(String(repeating: "{\"a\":", count: depth).utf8) + [0x31] + [UInt8](repeating: 0x7D, count: depth)
        }
        if rng.next(below: 2) == 0 { b = Array("{\"op\":\"recommend\",\"user\":1,\"exclude\":".utf8) + b + [0x7D] }
        return FuzzInput(kind: "deep_nesting", bytes: b, expect: .reply)
    }

    /// Values no numeric slot accepts (ids are Int64, ratings finite JSON numbers in scale).
    static let alwaysBad = ["NaN", "Infinity", "-Infinity", "nan", "inf", "1e400", "-1e400",
                            "123456789012345678901234567890", "-9223372036854775809", "9223372036854775808",
                            "0x10", "01", "1.", ".5", "+1", "1e", "\"\"", "\"4.5\"", "true", "[]", "{}", "[1]",
                            "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\""]
    /// Numbers that are fine as ids but outside the rating scale.
    static let badRatings = ["0", "-0", "7", "-1", "1e-400", "0.49", "5.01", "1e308"]

    mutating func weirdNumber() -> FuzzInput {
        let bad = Self.alwaysBad[rng.next(below: Self.alwaysBad.count)]
        let badRating = rng.next(below: 3) == 0 ? Self.badRatings[rng.next(below: Self.badRatings.count)] : bad
        let u = "\(id())", i = "\(id())"
        let text: String
        switch rng.next(below: 7) {
        case 0: text = line("add_rating", [("user", rng.next(below: 2) == 0 ? bad : u), ("item", i), ("rating", badRating)])
        case 1: text = line("add_rating", [("user", u), ("item", bad), ("rating", "4")])
        case 2:
            let row = [["\(bad)", i, "4"], [u, bad, "4"], [u, i, badRating]][rng.next(below: 3)]
            text = line("add_ratings", [("ratings", "[[1,1,4],[\(row.joined(separator: ","))]]")])
        case 3: text = line("delete_rating", [("user", u), ("item", bad)])
        case 4: text = line("delete_user", [("user", bad)])
        case 5: text = line("fold_in", [("user", u), ("ratings", "[[\(i),\(badRating)]]")])
        default:
            let entity = rng.next(below: 2) == 0 ? "user" : "item"
            text = line("add_" + entity, [(entity, bad)])
        }
        return FuzzInput(kind: "weird_number", bytes: Array(text.utf8), expect: .reply)
    }

    mutating func wrongType() -> FuzzInput {
        var (op, p) = writeParams()
        let wrong = ["\"x\"", "true", "[1,2]", "{\"k\":1}", "[[1]]", "\"\"", "[]"]
        let j = rng.next(below: p.count)
        p[j].1 = wrong[rng.next(below: wrong.count)]
        if p[j].0 == "ratings", p[j].1 == "[]" || p[j].1 == "[[1]]" { p[j].1 = "[[1,\"x\",3]]" }
        if p[j].0 == "title" || p[j].0 == "attributes" { p[j].1 = "[1,2]" }
        if op == "delete_rating" || op == "fold_in" || op == "add_user" {
            p.append(("bogus_field", "1"))  // one more defect where a type could slip
        }
        return FuzzInput(kind: "wrong_type", bytes: Array(line(op, p).utf8), expect: .reply)
    }

    mutating func unknownOp() -> FuzzInput {
        let letters = Array("abcdefghijklmnopqrstuvwxyz_".utf8)
        let name = String(decoding: (0..<(1 + rng.next(below: 20))).map { _ in letters[rng.next(below: letters.count)] }, as: UTF8.self)
        let op = rng.next(below: 3) == 0 ? "delete_everything" : "x" + name
        return FuzzInput(kind: "unknown_op", bytes: Array("{\"op\":\"\(op)\",\"user\":1}".utf8), expect: .reply)
    }

    mutating func invalidUTF8() -> FuzzInput {
        let bad: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]]
        var b = Array(readRequest().utf8)
        let at = rng.next(below: b.count)
        b.insert(contentsOf: bad[rng.next(below: bad.count)], at: at)
        return FuzzInput(kind: "invalid_utf8", bytes: b, expect: .reply)
    }

    mutating func blank() -> FuzzInput {
        let forms: [[UInt8]] = [[], [32], [9, 32, 13], [13], [32, 32, 32, 32]]
        return FuzzInput(kind: "blank_line", bytes: forms[rng.next(below: forms.count)], expect: .blank)
    }

    mutating func mutatedRead() -> FuzzInput {
        var b = Array(readRequest().utf8)
        for _ in 0..<(1 + rng.next(below: 4)) {
            let at = rng.next(below: b.count)
            switch rng.next(below: 3) {
            case 0: b[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: b.remove(at: at)
            default: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            }
        }
        b = b.map { $0 == 10 ? 0x20 : $0 }
        if b.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { b = [0x7B] }
        return FuzzInput(kind: "mutated_read", bytes: b, expect: .reply)
    }

    mutating func badID() -> FuzzInput {
        let ids = ["{}", "[1]", "{\"a\":[1]}", "[]"]
        let (op, p) = writeParams()
        let text = "{\"id\":\(ids[rng.next(below: ids.count)])," + line(op, p).dropFirst()
        return FuzzInput(kind: "bad_id", bytes: Array(text.utf8), expect: .reply)
    }

    mutating func tooBigBatch() -> FuzzInput {
        let rows = (0...maxBatch).map { j in "[\(9_000_000 + j),1,4]" }.joined(separator: ",")
        return FuzzInput(kind: "batch_too_large", bytes: Array("{\"op\":\"add_ratings\",\"ratings\":[\(rows)]}".utf8), expect: .reply)
    }

    mutating func validRead() -> FuzzInput {
        FuzzInput(kind: "valid_read", bytes: Array(readRequest().utf8), expect: .reply)
    }

    mutating func huge() -> FuzzInput {
        var b = Array("{\"op\":\"recommend\",\"user\":1,\"pad\":\"".utf8)
        b += [UInt8](repeating: 0x61, count: hugeLineBytes - b.count - 2) + [0x22, 0x7D]
        return FuzzInput(kind: "huge_line", bytes: b, expect: .tooLong)
    }
}
