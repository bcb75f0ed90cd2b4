import Foundation
import Logging
import MFProtocol
import Testing
@testable import MFServer

@Suite struct EngineDispatcherTests {
    private func reply(_ d: Dispatcher, _ line: [UInt8], uid: uid_t = 0) async throws -> String? {
        try await d.testReply(line, uid: uid)
    }

    @Test func blankLinesGetNoReplyAndBadBytesGetTheirCodes() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "t"))
        #expect(try await reply(d, Array(" \t\r".utf8)) == nil)
        #expect(try await reply(d, [0xFF, 0xFE])?.contains(#""code":"invalid_utf8""#) == true)
        #expect(try await reply(d, Array("{not json".utf8))?.contains(#""code":"invalid_json""#) == true)
        #expect(try await reply(d, Array(#"{"id":1,"op":"ping"}"#.utf8)) == #"{"id":1,"ok":true,"result":{"pong":true}}"#)
    }

    @Test func deniedClassesRunNothing() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "t"))
        let denied = try await reply(d, Array(#"{"id":"w","op":"add_rating","user":1,"item":2,"rating":4}"#.utf8), uid: 12345)
        #expect(denied?.hasPrefix(#"{"id":"w","ok":false,"error":{"code":"permission_denied""#) == true, "\(denied ?? "")")
        #expect(try await f.store.counts().ratings == 0)
        let read = try await reply(d, Array(#"{"id":2,"op":"recommend","user":1}"#.utf8), uid: 12345)
        #expect(read?.contains(#""ok":true"#) == true)
        let ok = try await reply(d, Array(#"{"id":3,"op":"add_rating","user":1,"item":2,"rating":4}"#.utf8), uid: 0)
        #expect(ok?.contains(#""ok":true"#) == true, "\(ok ?? "")")
        let status = try await reply(d, Array(#"{"op":"status"}"#.utf8))
        #expect(status?.contains(#""add_rating":2"#) == true, "\(status ?? "")")
    }

    /// A peer that may not run an op hears `permission_denied`, not what is wrong with its parameters.
    @Test func permissionIsCheckedBeforeParameters() async throws {
        let f = try await EngineFixture.make()
        defer { f.discard() }
        let d = Dispatcher(engine: f.engine, policy: .standard(daemonUID: 0), logger: Logger(label: "t"))
        for line in [#"{"id":1,"op":"add_rating","user":1.5,"item":2,"rating":4}"#, #"{"id":1,"op":"set_config","factorz":3}"#,
                     #"{"id":1,"op":"delete_user"}"#] {
            let denied = try await reply(d, Array(line.utf8), uid: 12345)
            #expect(denied?.hasPrefix(#"{"id":1,"ok":false,"error":{"code":"permission_denied""#) == true, "\(line): \(denied ?? "")")
            let allowed = try await reply(d, Array(line.utf8), uid: 0)
            #expect(allowed?.contains("permission_denied") == false && allowed?.contains(#""ok":false"#) == true, "\(allowed ?? "")")
        }
    }
}
