import MFLineClient
import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import MFTestSupport
import Testing
@testable import MFServer

/// Admission of connections by uid and privilege.
@Suite struct ConnectionSlotsTests {
    @Test func oneUserHoldsAtMostItsShareAndOthersStillGetIn() {
        var s = ConnectionSlots(limit: 10, reserved: 2, perUID: 3)
        for _ in 0..<3 { #expect(s.admit(uid: 1000, privileged: false) == nil) }
        #expect(s.admit(uid: 1000, privileged: false) == .perUID(uid: 1000, limit: 3))
        #expect(s.admit(uid: 1001, privileged: false) == nil)
        s.release(uid: 1000)
        #expect(s.admit(uid: 1000, privileged: false) == nil)
        #expect(s.count(uid: 1000) == 3 && s.open == 4)
    }

    @Test func theLastSlotsAreKeptForPrivilegedPeers() {
        var s = ConnectionSlots(limit: 10, reserved: 2, perUID: 0)
        for _ in 0..<8 { #expect(s.admit(uid: 1000, privileged: false) == nil) }
        #expect(s.admit(uid: 1001, privileged: false) == .full(limit: 8))
        #expect(s.admit(uid: 0, privileged: true) == nil)
        #expect(s.admit(uid: 998, privileged: true) == nil)
        #expect(s.admit(uid: 0, privileged: true) == .full(limit: 10))
        // Privileged peers are not held to one user's share either.
        var t = ConnectionSlots(limit: 10, reserved: 2, perUID: 1)
        #expect(t.admit(uid: 0, privileged: true) == nil && t.admit(uid: 0, privileged: true) == nil)
    }

    @Test func reserveIsAtMostAQuarterAndReleaseIgnoresStrangers() {
        var s = ConnectionSlots(limit: 4, reserved: 8, perUID: 0)
        #expect(s.reserved == 1)
        s.release(uid: 42)
        #expect(s.open == 0)
        for _ in 0..<3 { #expect(s.admit(uid: 7, privileged: false) == nil) }
        #expect(s.admit(uid: 7, privileged: false) == .full(limit: 3))
    }

    /// Handlers answer like `GatedHandler`, but no peer is privileged.
    struct UnprivilegedHandler: LineRequestHandler {
        let inner = GatedHandler()
        func handle(line: ByteBuffer, context: RequestContext) -> LineReply { inner.handle(line: line, context: context) }
        func isPrivileged(_ peer: PeerCredentials) -> Bool { false }
    }

    @Test func theServerRefusesAUidOverItsShareNamingIt() async throws {
        try await withTestServer({ $0.maxConnectionsPerUID = 2 }, handler: UnprivilegedHandler()) { server, path in
            let a = try LineClient(path: path)
            var b: LineClient? = try LineClient(path: path)
            for c in [a, b!] {
                try c.send("now:hi\n")
                #expect(try c.readText(timeout: 10) == "r:now:hi")
            }
            let lines = try LineClient(path: path).readUntilClosed()
            #expect(lines.count == 1 && lines[0].contains("\"code\":\"too_many_connections\"") && lines[0].contains("uid \(getuid())"),
                    "\(lines)")
            b = nil
            #expect(await eventually { server.stats.openConnections == 1 })
            let c = try LineClient(path: path)
            try c.send("now:again\n")
            #expect(try c.readText(timeout: 10) == "r:now:again")
            _ = b
        }
    }
}
