import Foundation
import MFProtocol
import Testing
@testable import MFClient
#if canImport(Glibc)
import Glibc
#endif

/// The client talks only to a daemon run by root, mfd's user or the caller, through a directory they own.
@Suite struct ServerTrustTests {
    static let stranger: uid_t = 54_321

    /// A fresh directory under /tmp with `owner` and `mode`.
    static func directory(owner: uid_t, mode: mode_t) throws -> String {
        let dir = "/tmp/mft-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(dir, 0o700) == 0, chown(dir, owner, gid_t.max) == 0, chmod(dir, mode) == 0 else {
            throw POSIXError(.EPERM)
        }
        return dir
    }

    @Test(.enabled(if: getuid() == 0, "chown needs root"))
    func aDirectoryOfSomeoneElseIsRefusedBeforeConnecting() async throws {
        let dir = try Self.directory(owner: Self.stranger, mode: 0o755)
        defer { rmdir(dir) }
        await #expect(throws: MFClientError.untrusted(path: dir + "/mfd.sock", reason: "its directory \(dir) belongs to uid \(Self.stranger)")) {
            _ = try await MFClient.connect(path: dir + "/mfd.sock", timeout: 2)
        }
    }

    @Test func aDirectoryEveryoneMayWriteIsRefusedUnlessSticky() throws {
        let dir = try Self.directory(owner: getuid(), mode: 0o777)
        defer { rmdir(dir) }
        #expect(ServerTrust.standard.refusal(socketPath: dir + "/mfd.sock") == "its directory \(dir) is writable by everyone")
        chmod(dir, 0o1777)
        #expect(ServerTrust.standard.refusal(socketPath: dir + "/mfd.sock") == nil)
        #expect(ServerTrust(uids: [Self.stranger]).refusal(socketPath: "/tmp/x.sock")?.contains("belongs to uid") == true)
    }

    /// The directory checked is the one the socket is in, whatever its name starts
    /// with: a combining mark after the "/" must not hide that slash.
    @Test func theDirectoryIsFoundByItsSlashByte() throws {
        let dir = try Self.directory(owner: getuid(), mode: 0o777)
        defer { rmdir(dir) }
        for name in ["\u{301}mfd.sock", "s", "mfd.sock/"] {
            #expect(ServerTrust.standard.refusal(socketPath: dir + "/" + name) == "its directory \(dir) is writable by everyone", "\(name)")
        }
    }

    @Test(.enabled(if: getuid() == 0, "chown needs root"))
    func aServerRunByAnotherUserIsRefusedAfterConnecting() async throws {
        // The directory is the trusted user's; the listener is not (it runs as root, trusted here only as a directory owner would be).
        let dir = try Self.directory(owner: Self.stranger, mode: 0o755)
        let server = try FakeServer(path: dir + "/s.sock")
        defer { server.stop(); unlink(server.path); rmdir(dir) }
        await #expect(throws: MFClientError.untrusted(path: server.path, reason: "the server on it runs as uid 0")) {
            _ = try await MFClient.connect(path: server.path, timeout: 2, trust: ServerTrust(uids: [Self.stranger]))
        }
        let trusted = try await MFClient.connect(path: server.path, timeout: 2, trust: ServerTrust(uids: [Self.stranger, 0]))
        #expect(try await trusted.send(PingRequest()).pong)
    }

    @Test func theMessageSaysWhatToDo() {
        let e = MFClientError.untrusted(path: "/tmp/mfd-0/mfd.sock", reason: "its directory /tmp/mfd-0 belongs to uid 1000")
        #expect(e.description == "refusing /tmp/mfd-0/mfd.sock: its directory /tmp/mfd-0 belongs to uid 1000, not root, mfd or you; "
            + "set MFD_SOCKET or --socket to your mfd's socket")
        #expect(e.code == "untrusted_server")
    }
}
