import Foundation
import NIOCore
import Testing
@testable import MFServer

@Suite struct ServerErrorLineTests {
    @Test(arguments: [
        (ServerErrorKind.lineTooLong(limit: 10), "line_too_long"),
        (.tooManyConnections(limit: 2), "too_many_connections"),
        (.permissionDenied(.write), "permission_denied"),
        (.timeout(seconds: 0.2), "timeout"),
        (.internalError, "internal"),
    ])
    func encodesTheSpecWireShape(kind: ServerErrorKind, code: String) throws {
        let line = ErrorLineEncoder.json.encode(kind, nil, ByteBufferAllocator())
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.readableBytesView)) as? [String: Any])
        #expect(object["id"] is NSNull)
        #expect(object["ok"] as? Bool == false)
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == code)
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(error["field"] == nil)
    }

    @Test func keepsTheRequestIDWhenGiven() {
        let line = ErrorLineEncoder.json.encode(.permissionDenied(.admin), "\"abc\"", ByteBufferAllocator())
        #expect(String(buffer: line).hasPrefix("{\"id\":\"abc\",\"ok\":false"))
    }

    @Test func escapesJSONStrings() {
        #expect(jsonString("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
    }
}
