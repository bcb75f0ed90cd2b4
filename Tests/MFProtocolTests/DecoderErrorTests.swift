import Testing
@testable import MFProtocol

/// Each malformed request gets its precise code and field, and keeps the id when the JSON is valid.
struct DecoderErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var line: String
        var code: ErrorCode
        var field: String?
        var id: RequestID = .null
        var testDescription: String { line.count > 60 ? String(line.prefix(60)) + "…" : line }
    }

    static let cases: [Case] = [
        Case(line: "{", code: .invalidJSON, field: nil),
        Case(line: "not json", code: .invalidJSON, field: nil),
        Case(line: "[1,2]", code: .invalidRequest, field: nil),
        Case(line: "42", code: .invalidRequest, field: nil),
        Case(line: #"{"id":1}"#, code: .missingField, field: "op", id: .int(1)),
        Case(line: #"{"id":"x","op":7}"#, code: .invalidType, field: "op", id: .string("x")),
        Case(line: #"{"id":true,"op":"nope"}"#, code: .unknownOp, field: "op", id: .bool(true)),
        Case(line: #"{"id":[1],"op":"ping"}"#, code: .invalidType, field: "id"),
        Case(line: #"{"id":{"a":1},"op":"ping"}"#, code: .invalidType, field: "id"),
        Case(line: #"{"id":2,"op":"recommend"}"#, code: .missingField, field: "user", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":"42"}"#, code: .invalidType, field: "user", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":null}"#, code: .invalidType, field: "user", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":4.5}"#, code: .invalidType, field: "user", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":1e400}"#, code: .invalidType, field: "user", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":99999999999999999999}"#, code: .invalidType, field: "user", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":1,"n":0}"#, code: .invalidValue, field: "n", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":1,"n":100000}"#, code: .invalidValue, field: "n", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":1,"exclude":[1,"a"]}"#, code: .invalidType, field: "exclude[1]", id: .int(2)),
        Case(line: #"{"id":2,"op":"recommend","user":1,"exclude_sen":true}"#, code: .unknownField, field: "exclude_sen", id: .int(2)),
        Case(line: #"{"op":"add_rating","user":1,"item":2,"rating":"abc"}"#, code: .invalidType, field: "rating"),
        Case(line: #"{"op":"add_rating","user":1,"item":2,"rating":1e999}"#, code: .invalidType, field: "rating"),
        Case(line: #"{"op":"add_rating","user":1,"item":2,"rating":NaN}"#, code: .invalidJSON, field: nil),
        Case(line: #"{"op":"add_rating","user":1,"item":2}"#, code: .missingField, field: "rating"),
        Case(line: #"{"op":"add_ratings","ratings":[]}"#, code: .invalidValue, field: "ratings"),
        Case(line: #"{"op":"add_ratings","ratings":[[1,2]]}"#, code: .invalidType, field: "ratings[0]"),
        Case(line: #"{"op":"add_ratings","ratings":[[1,2,3],[1,2,"x"]]}"#, code: .invalidType, field: "ratings[1][2]"),
        Case(line: #"{"op":"add_ratings","ratings":[[1,2,3,4,5]]}"#, code: .invalidType, field: "ratings[0]"),
        Case(line: #"{"op":"add_ratings","ratings":{"a":1}}"#, code: .invalidType, field: "ratings"),
        Case(line: #"{"op":"fold_in","ratings":[[1,5]]}"#, code: .missingField, field: "user"),
        Case(line: #"{"op":"fold_in","ratings":[[1,null]],"persist":false}"#, code: .invalidType, field: "ratings[0][1]"),
        Case(line: #"{"op":"add_user","user":1,"attributes":{"age":[1]}}"#, code: .invalidType, field: "attributes.age"),
        Case(line: #"{"op":"evaluate","test_fraction":1.5}"#, code: .invalidValue, field: "test_fraction"),
        Case(line: #"{"op":"set_config"}"#, code: .invalidValue, field: nil),
        Case(line: #"{"op":"set_config","retrain":"sometimes"}"#, code: .invalidValue, field: "retrain"),
        Case(line: #"{"op":"import_begin","kind":"movies"}"#, code: .invalidValue, field: "kind"),
        Case(line: #"{"op":"import_chunk","import":"t"}"#, code: .missingField, field: "data"),
        Case(line: #"{"op":"import_chunk","import":"t","data":"a","data_base64":"YQ=="}"#, code: .invalidRequest, field: "data"),
        Case(line: #"{"op":"import_commit"}"#, code: .missingField, field: "import"),
        Case(line: #"{"op":"import_commit","import":5}"#, code: .invalidType, field: "import"),
        Case(line: #"{"op":"import_commit","import":"a","x":1}"#, code: .unknownField, field: "x"),
        Case(line: #"{"op":"ping","extra":1}"#, code: .unknownField, field: "extra"),
        Case(line: #"{"op":"import_model_begin","manifest":{"format":"mfd-model-1","algorithm":"x","k":0,"global_mean":3,"users":1,"items":1}}"#,
             code: .invalidModel, field: "manifest.k"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","rows":[[1,0.1]]}"#, code: .invalidType, field: "rows[0]"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","ids_base64":"BwAAAAAAAAA="}"#, code: .missingField, field: "biases_base64"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","ids_base64":"BwAAAAAAAAA=","biases_base64":"","factors_base64":""}"#,
             code: .invalidValue, field: "biases_base64"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","ids_base64":"BwAAAAAA","biases_base64":"","factors_base64":""}"#,
             code: .invalidValue, field: "ids_base64"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","ids_base64":"BwAAAAAAAAA=","biases_base64":"AAAAPg==","factors_base64":"AAAAPwAA"}"#,
             code: .invalidValue, field: "factors_base64"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","ids_base64":"B!","biases_base64":"","factors_base64":""}"#,
             code: .invalidValue, field: "ids_base64"),
        Case(line: #"{"op":"import_model_rows","import":"m","side":"users","rows":[],"ids_base64":"","biases_base64":"","factors_base64":""}"#,
             code: .invalidRequest, field: "rows"),
        Case(line: #"{"op":"export_next","export":"e","max_rows":0}"#, code: .invalidValue, field: "max_rows"),
        Case(line: "{\"op\":\"ping\",\"x\":\"\u{FF}\"}", code: .unknownField, field: "x"),
        Case(line: String(repeating: "[", count: 100), code: .nestingTooDeep, field: nil),
        Case(line: #"{"id":-1.5,"op":"nope"}"#, code: .unknownOp, field: "op", id: .double(-1.5)),
    ]

    @Test(arguments: cases) func rejects(_ c: Case) throws {
        let d = try #require(RequestDecoder().decode(Array(c.line.utf8)))
        guard case .failure(let e) = d.request else {
            Issue.record("decoded: \(d.request)"); return
        }
        #expect(e.code == c.code, "\(e)")
        #expect(e.field == c.field, "\(e)")
        #expect(d.id == c.id)
        #expect(!e.message.isEmpty)
    }

    @Test func invalidUTF8() throws {
        var bytes = Array(#"{"op":"ping","x":""#.utf8)
        bytes += [0xC3, 0x28, 0x22, 0x7D]
        let d = try #require(RequestDecoder().decode(bytes))
        #expect(d.request == .failure(WireError(.invalidUTF8, "request line is not valid UTF-8")))
    }

    @Test func blankLinesAreIgnored() {
        #expect(RequestDecoder().decode(Array("".utf8)) == nil)
        #expect(RequestDecoder().decode(Array("  \t\r".utf8)) == nil)
    }

    @Test func defaultsApply() throws {
        let d = try #require(RequestDecoder().decode(Array(#"{"op":"recommend","user":42}"#.utf8)))
        #expect(d.request == .success(.recommend(RecommendRequest(user: 42))))
        #expect(d.id == .null)
    }

    @Test func exitCodes() {
        #expect(ErrorCode.timeout.exitCode == 4)
        #expect(ErrorCode.permissionDenied.exitCode == 1)
        #expect(Op.recommend.access == .read)
        #expect(Op.addRating.access == .write)
        #expect(Op.importChunk.access == .admin)
    }
}
