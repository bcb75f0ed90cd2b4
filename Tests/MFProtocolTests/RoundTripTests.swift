import Foundation
import Testing
@testable import MFProtocol

/// Client encoding → server decoding gives back the same typed request, for every op.
struct RoundTripTests {
    static let samples: [Request] = [
        .hello(HelloRequest()), .ping(PingRequest()), .status(StatusRequest()), .metrics(MetricsRequest()),
        .recommend(RecommendRequest(user: 42, n: 5, excludeSeen: false, exclude: [1, 2], include: [3, 4, 5], explain: true)),
        .recommend(RecommendRequest(user: -9_223_372_036_854_775_808)),
        .predict(PredictRequest(user: 1, item: 2)),
        .similarItems(SimilarItemsRequest(item: 260, n: 3)), .similarUsers(SimilarUsersRequest(user: 42)),
        .user(UserRequest(user: 42, top: 3)), .item(ItemRequest(item: 9_223_372_036_854_775_807)),
        .trainStatus(TrainStatusRequest()), .trainStatus(TrainStatusRequest(job: 7)),
        .addRating(AddRatingRequest(user: 1, item: 2, rating: 4.5, timestamp: 1_700_000_000)),
        .addRatings(AddRatingsRequest(ratings: [RatingTuple(user: 1, item: 2, rating: 0.5), RatingTuple(user: 3, item: 4, rating: 5, timestamp: 9)])),
        .deleteRating(DeleteRatingRequest(user: 1, item: 2)), .deleteUser(DeleteUserRequest(user: 1)),
        .foldIn(FoldInRequest(user: nil, ratings: [ItemRating(item: 1, rating: 3)], persist: false, n: 4)),
        .foldIn(FoldInRequest(user: 5, ratings: [ItemRating(item: 1, rating: 3)])),
        .addUser(AddUserRequest(user: 1, attributes: ["age": .number(25), "job": .category("writer \"x\"\n")])),
        .addItem(AddItemRequest(item: 1, title: "Amélie (2001) / ü", genres: ["Comedy", "Romance"])),
        .train(TrainRequest(wait: true)), .evaluate(EvaluateRequest(testFraction: 0.1, seed: 7)),
        .tune(TuneRequest(factors: [8, 16], lambda: [0.1], iterations: [5], trials: 2, apply: true)),
        .getConfig(GetConfigRequest()), .setConfig(SetConfigRequest(factors: 32, retrain: .manual, retrainAfterMinutes: 5)),
        .importBegin(ImportBeginRequest(kind: .ratings, format: .ml100k, skipBad: true, name: "u.data", size: 10)),
        .importChunk(ImportChunkRequest(import: "t", offset: 0, data: "1\t2\t3\t4\n")),
        .importChunk(ImportChunkRequest(import: "t", dataBase64: Base64.encode([0xE9, 0x0A]))),
        .importCommit(ImportCommitRequest(token: "t")), .importAbort(ImportAbortRequest(token: "t")), .importReceipt(ImportReceiptRequest(token: "t")),
        .importStatus(ImportStatusRequest(token: "t")),
        .importModelBegin(ImportModelBeginRequest(manifest: ModelManifest(algorithm: "spark-als", k: 2, globalMean: 3.5, users: 1, items: 1))),
        .importModelRows(ImportModelRowsRequest(import: "m", side: .items, rows: [FactorRow(id: 1, bias: 0.5, factors: [0.25, -1])])),
        .importModelRows(ImportModelRowsRequest(import: "m", side: .users, columns: try! FactorColumns(rows: [
            FactorRow(id: -9_223_372_036_854_775_808, bias: -0.0, factors: [1e-38, -3.4e38]), FactorRow(id: 7, bias: 0.5, factors: [0.25, -1])]))),
        .importModelCommit(ImportModelCommitRequest(token: "m")),
        .exportBegin(ExportBeginRequest(what: .userFactors)), .exportNext(ExportNextRequest(export: "e", maxRows: 5)),
        .exportEnd(ExportEndRequest(token: "e")),
    ]

    static func encode<O: WireOperation>(_ o: O, id: RequestID) throws -> [UInt8] { try RequestEncoder().encode(o, id: id) }

    @Test func everyOpHasASample() {
        #expect(Set(Self.samples.map(\.op)) == Set(Op.allCases))
    }

    @Test(arguments: samples) func roundTrips(_ request: Request) throws {
        let ids: [RequestID] = [.null, .int(-3), .double(2.5), .string("a\"b\\c\u{1}"), .bool(false)]
        for id in ids {
            var line = try Self.encode(request.operation, id: id)
            #expect(line.last == 10)
            line.removeLast()
            #expect(!line.contains(10), "a request must be one line")
            let decoded = try #require(RequestDecoder().decode(line))
            #expect(decoded.id == id)
            #expect(decoded.request == .success(request), "\(String(decoding: line, as: UTF8.self))")
            #expect(Request(request.operation) == request)
        }
    }

    @Test func responsesRoundTrip() throws {
        let result = RecommendResult(user: 42, items: [ScoredItem(item: 260, score: 4.71, title: "A/B \"c\"", genres: ["X"],
                                                                  because: [Because(item: 1, share: 0.5)])], source: .model)
        var line = ResponseEncoder().success(id: .string("q"), result)
        #expect(line.removeLast() == 10)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#""score":4.71"#), "\(text)")
        #expect(text.contains(#""title":"A/B \"c\"""#), "\(text)")
        let parsed = try ResponseLine(line)
        #expect(parsed.id == .string("q"))
        #expect(try parsed.result(RecommendResult.self) == result)

        var err = ResponseEncoder().failure(id: .int(3), WireError(.unknownUser, "no user \"9\"\n", field: "user"))
        err.removeLast()
        let perr = try ResponseLine(err)
        #expect(perr.outcome == .failure(WireError(.unknownUser, "no user \"9\"\n", field: "user")))
        #expect(throws: WireError(.unknownUser, "no user \"9\"\n", field: "user")) { try perr.result(PingResult.self) }
    }

    @Test func nonFiniteResultBecomesInternalError() throws {
        var line = ResponseEncoder().success(id: .int(1), PredictResult(user: 1, item: 2, value: .nan, source: .model))
        line.removeLast()
        guard case .failure(let e) = try ResponseLine(line).outcome else { Issue.record("expected failure"); return }
        #expect(e.code == .internalError)
    }

    @Test func resultBytesAreExact() throws {
        let line = Array(#"{"ok":true, "id" : 1 ,"result" : {"b":[1,{"c":"}"}],"a":"x\"y"} }"#.utf8)
        let parsed = try ResponseLine(line)
        #expect(parsed.outcome == .success(Array(#"{"b":[1,{"c":"}"}],"a":"x\"y"}"#.utf8)))
    }

    @Test func unknownErrorCodeFromNewerDaemon() throws {
        let parsed = try ResponseLine(Array(#"{"id":1,"ok":false,"error":{"code":"brand_new","message":"m"}}"#.utf8))
        #expect(parsed.outcome == .failure(WireError(.internalError, "brand_new: m")))
    }
}
