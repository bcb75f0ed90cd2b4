import Foundation
import Testing
@testable import MFProtocol

/// Every example in docs/protocol.md decodes with MFProtocol's types and re-encodes to the same JSON;
/// progress lines (`json progress`, between a request and its response) too.
struct SpecExamplesTests {
    struct Block { var kind: String; var text: String; var line: Int }

    static let specPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md").path

    static func blocks() throws -> [Block] {
        let text = try String(contentsOfFile: specPath, encoding: .utf8)
        var out: [Block] = []
        var current: Block?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var b = current {
                if line == "```" { out.append(b); current = nil } else { b.text += b.text.isEmpty ? String(line) : "\n" + line; current = b }
            } else if line == "```json request" || line == "```json response" || line == "```json progress" {
                current = Block(kind: String(line.dropFirst(8)), text: "", line: i + 1)
            }
        }
        return out
    }

    static func roundTrip<O: WireOperation>(_ type: O.Type, id: RequestID, raw: [UInt8]) throws -> [UInt8] {
        let result = try JSONDecoder().decode(O.Result.self, from: Data(raw))
        return ResponseEncoder().success(id: id, result)
    }

    @Test func examplesMatchTypes() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count >= 40, "spec has \(blocks.count) example blocks")
        var lastRequest: (block: Block, decoded: DecodedRequest)?
        var responses = 0, progressLines = 0
        for b in blocks {
            #expect(!b.text.contains("\n"), "protocol.md:\(b.line): an example must be one line")
            let bytes = Array(b.text.utf8)
            if b.kind == "request" {
                let decoded = try #require(RequestDecoder().decode(bytes), "protocol.md:\(b.line)")
                lastRequest = (b, decoded)
                continue
            }
            if b.kind == "progress" {
                let (_, decoded) = try #require(lastRequest, "protocol.md:\(b.line): progress without request")
                #expect(decoded.progress, "protocol.md:\(b.line): progress lines answer only a request that asks")
                let (id, report) = try #require(ResponseLine.progress(in: bytes), "protocol.md:\(b.line): not a progress line")
                #expect(id == decoded.id, "protocol.md:\(b.line): id must echo the request's")
                let same = try JSONTree.equal(JSONTree.parse(ResponseEncoder().progress(id: id, report).dropLast().map { $0 }), JSONTree.parse(bytes))
                #expect(same, "protocol.md:\(b.line): example differs from ProgressReport's encoding")
                progressLines += 1
                continue
            }
            let (req, decoded) = try #require(lastRequest, "protocol.md:\(b.line): response without request")
            lastRequest = nil
            responses += 1
            let response = try ResponseLine(bytes)
            #expect(response.id == decoded.id, "protocol.md:\(b.line): id must echo the request's")
            switch (response.outcome, decoded.request) {
            case (.success(let raw), .success(let request)):
                let reencoded = try Self.roundTrip(request.op.operationType, id: decoded.id, raw: raw)
                let same = try JSONTree.equal(JSONTree.parse(reencoded.dropLast().map { $0 }), JSONTree.parse(bytes))
                #expect(same, "protocol.md:\(b.line): example differs from the types' encoding:\n\(JSONTree.describe(reencoded))")
            case (.failure(let shown), .failure(let actual)):
                #expect(shown == actual, "protocol.md:\(b.line): decoder says \(actual)")
            case (.success, .failure(let e)):
                Issue.record("protocol.md:\(req.line): request example fails to decode: \(e)")
            case (.failure(let e), .success):
                // An engine-level error (unknown user, import failure): the code must be a real one.
                #expect(ErrorCode.allCases.contains(e.code))
            }
        }
        #expect(responses >= 20)
        #expect(progressLines >= 1)
    }

    @Test func everyOpAndErrorCodeIsDocumented() throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        for op in Op.allCases {
            #expect(text.contains("`\(op.rawValue)`") || text.contains("### \(op.rawValue)") || text.contains(#""op":"\#(op.rawValue)""#),
                    "op \(op.rawValue) is not documented")
        }
        for code in ErrorCode.allCases {
            #expect(text.contains("| `\(code.rawValue)` |"), "error code \(code.rawValue) has no row in the table")
        }
    }
}
