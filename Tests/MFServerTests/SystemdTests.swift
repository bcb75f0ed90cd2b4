import Foundation
import Testing
@testable import MFServer

@Suite struct SystemdNotifierTests {
    @Test func pathAddressCountsItsNul() throws {
        let (_, length) = try SystemdNotifier.address(for: "/run/x")
        #expect(Int(length) == MemoryLayout<sa_family_t>.size + 6 + 1)
    }

    @Test func abstractAddressStartsWithNulAndHasExactLength() throws {
        var (addr, length) = try SystemdNotifier.address(for: "@abc")
        #expect(Int(length) == MemoryLayout<sa_family_t>.size + 4)
        let bytes = withUnsafeBytes(of: &addr.sun_path) { Array($0.prefix(4)) }
        #expect(bytes == [0, UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "c")])
    }

    @Test func relativeAddressIsRejected() {
        #expect(throws: MFServerError.self) { try SystemdNotifier.address(for: "run/x") }
    }

    @Test func disabledWithoutNotifySocket() throws {
        #expect(try SystemdNotifier(environment: [:]).notify(.ready) == false)
        #expect(try SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]).notify(.ready) == false)
    }

    @Test func statesFormatAsSdNotifyLines() {
        #expect(NotifyState.ready.line == "READY=1")
        #expect(NotifyState.stopping.line == "STOPPING=1")
        #expect(NotifyState.watchdog.line == "WATCHDOG=1")
        #expect(NotifyState.status("a\nb").line == "STATUS=a b")
    }

    @Test(arguments: ["path", "abstract"])
    func readyReachesAFakeNotifySocket(kind: String) throws {
        let name = "mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).notify"
        let receiver = try NotifyReceiver(address: kind == "path" ? "/tmp/" + name : "@" + name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
        #expect(try notifier.notify(.ready, .status("serving")))
        #expect(try receiver.receive() == "READY=1\nSTATUS=serving")
    }
}

@Suite struct SocketActivationTests {
    @Test func parsesFdsAndNamesForOurPid() throws {
        let env = ["LISTEN_PID": "42", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "mfd:other"]
        #expect(try SocketActivation.parse(environment: env, pid: 42) == [
            ActivatedSocket(fd: 3, name: "mfd"), ActivatedSocket(fd: 4, name: "other"),
        ])
        #expect(try SocketActivation.select(SocketActivation.parse(environment: env, pid: 42))?.fd == 3)
    }

    @Test func ignoresVariablesMeantForAnotherProcessOrAbsent() throws {
        #expect(try SocketActivation.parse(environment: ["LISTEN_PID": "41", "LISTEN_FDS": "1"], pid: 42).isEmpty)
        #expect(try SocketActivation.parse(environment: [:], pid: 42).isEmpty)
        #expect(try SocketActivation.parse(environment: ["LISTEN_PID": "42", "LISTEN_FDS": "1"], pid: 42)
            == [ActivatedSocket(fd: 3, name: nil)])
    }

    @Test(arguments: [
        ["LISTEN_PID": "x", "LISTEN_FDS": "1"],
        ["LISTEN_PID": "42", "LISTEN_FDS": "-1"],
        ["LISTEN_PID": "42", "LISTEN_FDS": "two"],
        ["LISTEN_PID": "42", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "only-one"],
    ])
    func malformedVariablesThrow(env: [String: String]) {
        #expect(throws: MFServerError.self) { try SocketActivation.parse(environment: env, pid: 42) }
    }

    @Test func severalUnnamedSocketsAreAmbiguous() {
        let sockets = [ActivatedSocket(fd: 3, name: nil), ActivatedSocket(fd: 4, name: nil)]
        #expect(throws: MFServerError.self) { try SocketActivation.select(sockets) }
    }
}

@Suite struct WatchdogTests {
    @Test func pingsAtHalfTheInterval() throws {
        #expect(try Watchdog.pingInterval(environment: ["WATCHDOG_USEC": "3000000"], pid: 7) == .milliseconds(1500))
        #expect(try Watchdog.pingInterval(environment: ["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "7"], pid: 7)
            == .milliseconds(1500))
        #expect(try Watchdog.pingInterval(environment: ["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "8"], pid: 7) == nil)
        #expect(try Watchdog.pingInterval(environment: [:], pid: 7) == nil)
        #expect(throws: MFServerError.self) { try Watchdog.pingInterval(environment: ["WATCHDOG_USEC": "0"], pid: 7) }
    }
}
