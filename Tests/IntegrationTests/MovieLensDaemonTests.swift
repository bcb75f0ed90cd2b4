import Foundation
import MFLineClient
import MFTestSupport
import Testing

/// End to end on MovieLens ml-latest-small (2016), streamed in with import ops: import, train, recommend, fold-in.
@Suite(.enabled(if: SharedData.hasMovieLensSmall, "\(SharedData.movieLensSmall) is absent: MovieLens tests skipped (the demo tests still run)"))
struct MovieLensDaemonTests {
    @Test func importTrainRecommendAndFoldIn() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let movies = try importFile(c, kind: "items", path: SharedData.movieLensSmall + "/movies.csv")
        #expect(movies.ok && (movies.result["imported"] as? Int ?? 0) > 9000 && movies.result["skipped"] as? Int == 0, "\(movies)")
        let ratings = try importFile(c, kind: "ratings", path: SharedData.movieLensSmall + "/ratings.csv")
        let lines = try Data(contentsOf: URL(fileURLWithPath: SharedData.movieLensSmall + "/ratings.csv")).reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        #expect(ratings.ok && ratings.result["imported"] as? Int == lines - 1, "\(ratings)")
        let job = try c.call("train", ["wait": true], timeout: 600)
        #expect(job.result["state"] as? String == "succeeded", "\(job)")

        let rec = try c.call("recommend", ["user": 42])
        #expect(rec.items.count == 10 && rec.items.allSatisfy { $0["title"] is String }, "\(rec)")
        let seen = Set((try c.call("user", ["user": 42, "top": 1000]).result["top_rated"] as? [[String: Any]] ?? [])
            .compactMap { ($0["item"] as? NSNumber)?.int64Value })
        #expect(!seen.isEmpty && Set(rec.itemIDs).isDisjoint(with: seen))
        let top = try #require(rec.itemIDs.first)
        #expect(try c.call("add_rating", ["user": 42, "item": top, "rating": 0.5]).ok)
        let after = try c.call("recommend", ["user": 42])
        #expect(after.itemIDs != rec.itemIDs && !after.itemIDs.contains(top))

        let popular = try c.call("recommend", ["user": 99_999_999])
        let folded = try c.call("fold_in", ["user": 99_999_998, "ratings": [[260, 5], [1196, 5], [1210, 4.5], [2571, 5], [1198, 4.5]]])
        #expect(folded.ok, "\(folded)")
        let newUser = try c.call("recommend", ["user": 99_999_998])
        #expect(newUser.result["source"] as? String == "folded_in" && newUser.itemIDs != popular.itemIDs)
        let model = try #require(try c.call("hello").result["model"] as? [String: Any])
        #expect(mfd.stop() == 0, "\(mfd.log)")

        // After a restart: same model, no training, the writes and the folded-in user still there.
        let again = try Daemon(dir: dir, ["--retrain", "manual"] + Daemon.fastTraining)
        let c2 = try again.connect()
        #expect((try c2.call("hello").result["model"] as? [String: Any])?["id"] as? Int == model["id"] as? Int)
        #expect(!again.log.contains("training started"), "\(again.log)")
        let again42 = try c2.call("recommend", ["user": 42])
        #expect(again42.result["source"] as? String == "folded_in" && !again42.itemIDs.contains(top))
        let user = try c2.call("user", ["user": 99_999_998])
        #expect(user.result["ratings"] as? Int == 5 && user.result["folded_in"] as? Bool == true, "\(user)")
        #expect(again.stop() == 0, "\(again.log)")
    }

    /// Streams a file with import_begin / import_chunk (256 KiB, pipelined) / import_commit.
    private func importFile(_ c: LineClient, kind: String, path: String) throws -> Reply {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let begin = try c.call("import_begin", ["kind": kind, "name": (path as NSString).lastPathComponent, "size": data.count])
        let token = try #require(begin.result["import"] as? String, "\(begin)")
        var offset = 0, sent = 0
        while offset < data.count {
            let end = min(offset + 256 << 10, data.count)
            let chunk = data[offset..<end].base64EncodedString()
            let line = try JSONSerialization.data(withJSONObject: ["op": "import_chunk", "import": token, "offset": offset, "data_base64": chunk])
            try c.send(String(decoding: line, as: UTF8.self) + "\n")
            offset = end; sent += 1
        }
        for _ in 0..<sent {
            let r = try c.reply()
            #expect(r.ok, "\(r)")
        }
        return try c.call("import_commit", ["import": token], timeout: 300)
    }
}
