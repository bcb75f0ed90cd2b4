import Foundation
import NIOCore

/// Phase-1 placeholder handler: answers `{"op":"ping"}` with
/// `{"id":…,"ok":true,"result":{"pong":true}}` and every other op with
/// `unknown_op`. Used by the server tests and by mfd until the engine
/// dispatcher replaces it; it serves no recommender operation.
public struct PingOnlyHandler: LineRequestHandler {
    public init() {}

    public func handle(line: ByteBuffer, context: RequestContext) -> LineReply {
        let object = try? JSONSerialization.jsonObject(with: Data(line.readableBytesView), options: [.fragmentsAllowed])
        guard let request = object as? [String: Any] else {
            return .now(Self.error(id: nil, code: "invalid_json", message: "request is not a JSON object", field: nil, context))
        }
        let id = Self.idJSON(request["id"])
        guard let op = request["op"] as? String else {
            return .now(Self.error(id: id, code: "missing_field", message: "request has no \"op\" string", field: "op", context))
        }
        guard op == "ping" else {
            return .now(Self.error(id: id, code: "unknown_op", message: "unknown op '\(op)'", field: "op", context))
        }
        return .now(context.allocator.buffer(string: "{\"id\":\(id ?? "null"),\"ok\":true,\"result\":{\"pong\":true}}"))
    }

    /// The request id re-encoded as JSON (strings and numbers), or nil.
    static func idJSON(_ value: Any?) -> String? {
        switch value {
        case let s as String: return jsonString(s)
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func error(id: String?, code: String, message: String, field: String?, _ context: RequestContext) -> ByteBuffer {
        context.allocator.buffer(string: "{\"id\":\(id ?? "null"),\"ok\":false,\"error\":{\"code\":\(jsonString(code)),"
            + "\"message\":\(jsonString(message)),\"field\":\(field.map(jsonString) ?? "null")}}")
    }
}
