import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MFProtocol

struct SocketPathTests {
    @Test func handRunDefault() {
        #expect(SocketPath.handRunDefault(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"], uid: 1000) == "/run/user/1000/mfd/mfd.sock")
        #expect(SocketPath.handRunDefault(environment: ["XDG_RUNTIME_DIR": "/x/"], uid: 1000) == "/x/mfd/mfd.sock")
        #expect(SocketPath.handRunDefault(environment: [:], uid: 1000) == "/tmp/mfd-1000/mfd.sock")
    }

    @Test func daemonDefault() {
        #expect(SocketPath.daemonDefault(environment: ["MFD_SOCKET": "/a.sock", "RUNTIME_DIRECTORY": "/run/mfd"], uid: 0) == "/a.sock")
        #expect(SocketPath.daemonDefault(environment: ["RUNTIME_DIRECTORY": "/run/mfd:/run/other"], uid: 0) == "/run/mfd/mfd.sock")
        #expect(SocketPath.daemonDefault(environment: [:], uid: 7) == "/tmp/mfd-7/mfd.sock")
    }

    @Test func clientOrder() {
        let env = ["MFD_SOCKET": "/env.sock", "XDG_RUNTIME_DIR": "/run/user/5"]
        #expect(SocketPath.clientResolve(explicit: "/flag.sock", environment: env, uid: 5, exists: { _ in true }) == "/flag.sock")
        #expect(SocketPath.clientResolve(explicit: nil, environment: env, uid: 5, exists: { _ in true }) == "/env.sock")
        #expect(SocketPath.clientResolve(explicit: nil, environment: [:], uid: 5, exists: { $0 == SocketPath.system }) == SocketPath.system)
        #expect(SocketPath.clientResolve(explicit: nil, environment: ["XDG_RUNTIME_DIR": "/run/user/5"], uid: 5, exists: { _ in false })
                == "/run/user/5/mfd/mfd.sock")
    }

    @Test func addressLengthAndLimit() {
        #expect(SocketPath.maxPathBytes == 107)
        let fits = "/tmp/" + String(repeating: "a", count: 102)
        #expect(SocketPath.withAddress(fits) { $1 } == socklen_t(2 + 107 + 1))
        #expect(SocketPath.withAddress(fits + "a") { _, _ in true } == nil, "108 bytes do not fit")
        let path = SocketPath.withAddress("/x.sock") { p, _ in
            p.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { a in
                withUnsafeBytes(of: a.pointee.sun_path) { String(decoding: $0.prefix(7), as: UTF8.self) }
            }
        }
        #expect(path == "/x.sock")
    }

    @Test func connectFailuresNameTheCallAndErrno() {
        #expect(throws: SocketCallFailure(call: "connect", path: "/nonexistent/mfd.sock", errno: ENOENT)) {
            try SocketPath.connect("/nonexistent/mfd.sock")
        }
        let long = "/tmp/" + String(repeating: "b", count: 200)
        #expect(throws: SocketCallFailure(call: "connect", path: long, errno: ENAMETOOLONG)) { try SocketPath.connect(long) }
    }
}
