// libFuzzer entry for MFProtocol's pure request path: framing → decoding →
// error encoding. Built by scripts/fuzz-decoder.sh together with
// Sources/MFProtocol/*.swift as one module (not part of `swift build`).
import Foundation

private let decoder = RequestDecoder()
private let encoder = ResponseEncoder()

/// Each input is a byte stream as a client would send it: framed into lines
/// (a 4 KiB limit so long-line handling is hit too), each line decoded; every
/// error must encode to one JSON object line, and a decoded id must echo.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var framer = LineFramer(maxLineBytes: 4096)
    framer.append(UnsafeBufferPointer(start: data, count: size))
    framer.append(CollectionOfOne(UInt8(10)))  // the last line too
    while let frame = framer.next() {
        guard case .line(let line) = frame else { continue }
        guard let decoded = decoder.decode(line) else {
            precondition(line.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }, "a non-blank line decoded to nothing")
            continue
        }
        let reply: [UInt8]
        switch decoded.request {
        case .success: reply = encoder.success(id: decoded.id, PingResult())
        case .failure(let e): reply = encoder.failure(id: decoded.id, e)
        }
        precondition(reply.last == 10 && !reply.dropLast().contains(10), "a reply must be exactly one line")
        let object = try? JSONSerialization.jsonObject(with: Data(reply.dropLast())) as? [String: Any]
        precondition(object?["ok"] is Bool, "a reply must be a JSON object with ok: \(String(decoding: reply, as: UTF8.self))")
    }
    return 0
}
