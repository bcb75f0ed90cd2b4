import Foundation
import MFLineClient
import Testing

/// The real daemon end to end on the built-in demo catalogue (no external data needed).
@Suite
struct DemoDaemonTests {
    @Test func recommendsUnseenTitledItemsAndWritesTakeEffectAtOnce() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo"] + Daemon.fastTraining)
        let c = try mfd.connect()

        let first = try c.call("recommend", ["user": 42])
        #expect(first.ok && first.result["source"] as? String == "model", "\(first)")
        #expect(first.items.count == 10)
        #expect(first.items.allSatisfy { ($0["title"] as? String)?.isEmpty == false })
        let seen = try ratedItems(c, user: 42)
        #expect(seen.count > 10)
        #expect(Set(first.itemIDs).isDisjoint(with: seen))

        let top = try #require(first.itemIDs.first)
        let ack = try c.call("add_rating", ["user": 42, "item": top, "rating": 0.5])
        #expect(ack.ok, "\(ack)")
        let second = try c.call("recommend", ["user": 42])
        #expect(second.result["source"] as? String == "folded_in")
        #expect(!second.itemIDs.contains(top))
        #expect(second.itemIDs != first.itemIDs)

        // A new user folded in from 5 ratings gets personal, not popular, recommendations.
        let popular = try c.call("recommend", ["user": 987_654_321])
        #expect(popular.result["source"] as? String == "popular")
        let liked = Array(try c.call("recommend", ["user": 7, "n": 5]).itemIDs)
        let folded = try c.call("fold_in", ["user": 900_001, "ratings": liked.map { [$0, 5] }])
        #expect(folded.ok && folded.result["source"] as? String == "folded_in", "\(folded)")
        let newUser = try c.call("recommend", ["user": 900_001])
        #expect(newUser.result["source"] as? String == "folded_in")
        #expect(newUser.itemIDs.count == 10 && newUser.itemIDs != popular.itemIDs)
        #expect(Set(newUser.itemIDs).isDisjoint(with: liked))

        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func malformedInputGetsItsErrorAndTheConnectionKeepsWorking() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let cases: [(String, String, String?)] = [
            ("{not json", "invalid_json", nil),
            ("[1,2]", "invalid_request", nil),
            (#"{"op":"recomend","user":42}"#, "unknown_op", "op"),
            (#"{"op":"recommend"}"#, "missing_field", "user"),
            (#"{"op":"recommend","user":42,"n":0}"#, "invalid_value", "n"),
            (#"{"op":"recommend","user":42,"bogus":1}"#, "unknown_field", "bogus"),
            (#"{"op":"add_rating","user":42,"item":110,"rating":"abc"}"#, "invalid_type", "rating"),
            (#"{"op":"add_rating","user":42,"item":110,"rating":7}"#, "invalid_rating", "rating"),
            (#"{"op":"add_ratings","ratings":[[42,110,4.5],[43,"x",5]]}"#, "invalid_type", "ratings[1][1]"),
            (#"{"op":"add_ratings","ratings":[]}"#, "invalid_value", "ratings"),
            (#"{"op":"delete_rating","user":42,"item":123456789}"#, "not_found", nil),
            (#"{"op":"similar_items","item":123456789}"#, "unknown_item", "item"),
            (#"{"op":"user","user":123456789}"#, "unknown_user", "user"),
            (#"{"op":"import_chunk","import":"imp-99","data":"x"}"#, "not_found", "import"),
            (#"{"op":"set_config","factors":0}"#, "invalid_value", "factors"),
        ]
        for (line, code, field) in cases {
            try c.send(line + "\n")
            let r = try c.reply()
            #expect(!r.ok && r.errorCode == code, "\(line) → \(r)")
            if let field { #expect(r.errorField == field, "\(line) → \(r)") }
        }
        #expect(try c.call("ping").ok)
        // Nothing invalid was stored: user 42 still has no rating of item 110 at 7.
        #expect(try c.call("predict", ["user": 42, "item": 110]).ok)
        let status = try c.call("status")
        #expect((status.result["errors"] as? Int ?? 0) >= cases.count)
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func restartKeepsDataAndModelWithoutRetraining() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let first = try Daemon(dir: dir, ["--demo"] + Daemon.fastTraining)
        var c = try first.connect()
        let model = try #require(try c.call("hello").result["model"] as? [String: Any])
        #expect(try c.call("add_rating", ["user": 900_002, "item": 3211, "rating": 4.5]).ok)
        #expect(try c.call("add_item", ["item": 777_777, "title": "Restart Test (2026)", "genres": ["Drama"]]).ok)
        #expect(first.stop() == 0, "\(first.log)")

        let second = try Daemon(dir: dir, Daemon.fastTraining)
        c = try second.connect()
        let again = try #require(try c.call("hello").result["model"] as? [String: Any])
        #expect(again["id"] as? Int == model["id"] as? Int)
        #expect(!second.log.contains("training started"), "\(second.log)")
        let user = try c.call("user", ["user": 900_002])
        #expect(user.result["ratings"] as? Int == 1 && user.result["folded_in"] as? Bool == true, "\(user)")
        #expect(try c.call("item", ["item": 777_777]).result["title"] as? String == "Restart Test (2026)")
        #expect(try c.call("recommend", ["user": 900_002]).result["source"] as? String == "folded_in")
        #expect(second.stop() == 0, "\(second.log)")
    }

    @Test func emptyDatabaseServesFallbacks() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, Daemon.fastTraining)
        let c = try mfd.connect()
        let rec = try c.call("recommend", ["user": 1])
        #expect(rec.ok && rec.result["source"] as? String == "popular" && rec.items.isEmpty, "\(rec)")
        let text = try mfctl(["recommend", "1"], socket: dir.socket, dir: dir.path)
        #expect(text.status == 0 && text.out.contains("no items to recommend yet: no item has a rating"), "\(text)")
        #expect(try c.call("predict", ["user": 1, "item": 2]).result["source"] as? String == "baseline")
        #expect(try c.call("similar_items", ["item": 2]).errorCode == "unknown_item")
        let job = try c.call("train", ["wait": true])
        #expect(job.result["state"] as? String == "failed", "\(job)")
        #expect(try c.call("status").ok)
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    /// Items user `user` rated (the `user` op lists up to 1000).
    private func ratedItems(_ c: LineClient, user: Int) throws -> Set<Int64> {
        let r = try c.call("user", ["user": user, "top": 1000])
        return Set((r.result["top_rated"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? NSNumber)?.int64Value })
    }
}
