import Foundation
import MFLineClient
import Testing

/// Feature models end to end on the demo catalogue (users have ages, items genres):
/// the configured model kind is trained, served, folded in and survives a restart.
@Suite
struct FeatureModelKindTests {
    @Test func collectiveModelGivesAttributeOnlyUsersPersonalListsWithoutRetrain() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        var mfd = try Daemon(dir: dir, ["--demo", "--model", "collective", "--retrain", "manual"] + Daemon.fastTraining)
        var c = try mfd.connect()
        let hello = try c.call("hello")
        let model = hello.result["model"] as? [String: Any]
        #expect(model?["kind"] as? String == "collective" && model?["algorithm"] as? String == "collective-als", "\(hello)")
        let modelID = model?["id"] as? NSNumber

        let popular = try c.call("recommend", ["user": 987_654_321])
        #expect(popular.result["source"] as? String == "popular")
        #expect(try c.call("add_user", ["user": 900_001, "attributes": ["age": 18]]).ok)
        #expect(try c.call("add_user", ["user": 900_002, "attributes": ["age": 72]]).ok)
        // A word for an attribute the model encodes as a number is an error naming it; nothing is stored.
        let word = try c.call("add_user", ["user": 900_003, "attributes": ["age": "old"]])
        #expect(word.errorCode == "invalid_value" && word.errorField == "attributes.age", "\(word)")
        #expect(try c.call("user", ["user": 900_003]).errorCode == "unknown_user")
        let young = try c.call("recommend", ["user": 900_001])
        let old = try c.call("recommend", ["user": 900_002])
        for r in [young, old] {
            #expect(r.ok && r.result["source"] as? String == "folded_in", "\(r)")
            #expect(r.itemIDs.count == 10 && r.itemIDs != popular.itemIDs, "\(r)")
        }
        #expect(young.itemIDs != old.itemIDs, "attributes must matter: \(young.itemIDs) vs \(old.itemIDs)")
        // Ratings and attributes together: the ratings move the list.
        let liked = Array(old.itemIDs.prefix(3))
        #expect(try c.call("add_ratings", ["ratings": liked.map { [900_001, $0, 5] }]).ok)
        let both = try c.call("recommend", ["user": 900_001])
        #expect(both.result["source"] as? String == "folded_in" && both.itemIDs != young.itemIDs)
        #expect(Set(both.itemIDs).isDisjoint(with: liked))
        // A throw-away fold-in (persist false) of a user with stored attributes uses them too.
        let named = try c.call("fold_in", ["user": 900_002, "ratings": liked.map { [$0, 5] }, "persist": false])
        let anonymous = try c.call("fold_in", ["ratings": liked.map { [$0, 5] }, "persist": false])
        #expect(named.ok && anonymous.ok && named.itemIDs != anonymous.itemIDs, "\(named)\n\(anonymous)")
        // A new item with genres only gets a row from them: it is scored by the model, not a baseline.
        #expect(try c.call("add_item", ["item": 990_001, "title": "Cold (2026)", "genres": ["Drama", "Romance"]]).ok)
        let p = try c.call("predict", ["user": 42, "item": 990_001])
        #expect(p.ok && p.result["source"] as? String == "model", "\(p)")
        let ranked = try c.call("recommend", ["user": 42, "n": 5, "include": [990_001]])
        #expect(ranked.itemIDs == [990_001], "\(ranked)")
        #expect(mfd.stop() == 0, "\(mfd.log)")

        // Restart without flags: the stored config and model are served as trained, no retrain.
        mfd = try Daemon(dir: dir, [])
        c = try mfd.connect()
        let again = try c.call("hello").result["model"] as? [String: Any]
        #expect(again?["kind"] as? String == "collective" && again?["id"] as? NSNumber == modelID)
        #expect(try c.call("get_config").result["model"] as? String == "collective")
        let old2 = try c.call("recommend", ["user": 900_002])
        // Same model and attributes; only the rows of the 3 items rated since moved.
        #expect(old2.result["source"] as? String == "folded_in" && old2.itemIDs.count == 10, "\(old2)")
        #expect(Set(old2.itemIDs).intersection(old.itemIDs).count >= 6, "\(old2.itemIDs) vs \(old.itemIDs)")
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func implicitModelTrainsServesAndFoldsIn() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--model", "implicit", "--alpha", "2"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let cfg = try c.call("get_config").result
        #expect(cfg["model"] as? String == "implicit" && cfg["alpha"] as? Double == 2 && cfg["lambda"] as? Double == 0.05, "\(cfg)")
        let model = try c.call("hello").result["model"] as? [String: Any]
        #expect(model?["kind"] as? String == "implicit", "\(String(describing: model))")
        let first = try c.call("recommend", ["user": 42])
        #expect(first.result["source"] as? String == "model" && first.itemIDs.count == 10, "\(first)")
        // explain splits the implicit row solve (which liked items led to each).
        let why = try c.call("recommend", ["user": 42, "n": 3, "explain": true])
        #expect(why.items.count == 3 && why.items.allSatisfy { ($0["because"] as? [[String: Any]])?.isEmpty == false }, "\(why)")
        // Preference scores, not ratings: predict is x_u·y_i, about 0…1.
        let top = try #require(first.itemIDs.first)
        let p = try c.call("predict", ["user": 42, "item": top])
        #expect(p.ok && (p.result["value"] as? Double ?? 9) < 2, "\(p)")
        // A new interaction is folded in by the implicit row solve at once.
        #expect(try c.call("add_rating", ["user": 42, "item": top, "rating": 5]).ok)
        let second = try c.call("recommend", ["user": 42])
        #expect(second.result["source"] as? String == "folded_in" && !second.itemIDs.contains(top) && second.itemIDs != first.itemIDs)
        let newUser = try c.call("fold_in", ["user": 900_010, "ratings": first.itemIDs.prefix(4).map { [$0, 5] }])
        #expect(newUser.ok && newUser.result["source"] as? String == "folded_in", "\(newUser)")
        // Ratings below the interaction threshold (4) are no interaction: still served by popularity.
        #expect(try c.call("add_ratings", ["ratings": [[900_011, top, 2], [900_011, first.itemIDs[1], 1]]]).ok)
        let lukewarm = try c.call("recommend", ["user": 900_011])
        #expect(lukewarm.result["source"] as? String == "popular", "\(lukewarm)")
        // Switching back to explicit takes explicit λ; a bad model name is an error naming the field.
        let back = try c.call("set_config", ["model": "explicit"])
        #expect(back.result["lambda"] as? Double == 0.15, "\(back)")
        let bad = try c.call("set_config", ["model": "bayesian"])
        #expect(bad.errorField == "model", "\(bad)")
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }
}

/// `mfctl config` shows and changes the model kind; the next `train` fits it.
@Suite
struct MfctlConfigTests {
    @Test func configShowsAndSetsTheModel() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        let shown = try env.run("config")
        #expect(shown.status == 0 && shown.out.hasPrefix("model explicit, factors 8, lambda 0.15"), "\(shown)")
        let set = try env.run("config", "--model", "collective", "--item-attr-weight", "2", "--json")
        #expect(set.json["model"] as? String == "collective" && set.json["item_attr_weight"] as? Double == 2, "\(set)")
        let train = try env.run("train", "--wait")
        #expect(train.status == 0, "\(train)")
        let status = try env.run("status", "--json")
        #expect((status.json["model"] as? [String: Any])?["kind"] as? String == "collective", "\(status)")
        let usage = try env.run("config", "--model", "bayesian")
        #expect(usage.status == 2, "\(usage)")
        let bad = try env.run("config", "--user-attr-weight=-1")
        #expect(bad.status == 1 && bad.err.contains("user_attr_weight"), "\(bad)")
    }
}
