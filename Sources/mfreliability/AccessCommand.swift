import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `mfreliability access`: as root, runs mfd and connects as other UIDs/GIDs
/// (setpriv) to check every access class against the configured policy.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Check mfd's access control end to end with clients running as other users (needs root and setpriv).",
        discussion: """
        Starts mfd as root with --write-uids, --write-gids, --admin-uids and --access-group \
        set to throwaway numeric ids (no /etc/passwd entries needed), then a second mfd with \
        --read-uids (read closed to everyone else). Each peer runs `mfreliability access-client` \
        under `setpriv --reuid --regid --groups|--clear-groups` and sends read, write and \
        admin ops. A denied op must answer permission_denied and be logged with the peer's \
        uid and pid; an allowed op must not.
        """)

    @Option(help: "mfd binary (default: beside mfreliability).")
    var mfd: String?
    @Option(help: "First throwaway uid/gid (uses 10 ids from here).")
    var baseID: UInt32 = 61_000
    @Flag(help: "Keep the database directories.")
    var keep = false

    struct Report: Encodable {
        var cases, allowed_ok, denied_ok, wrong, denials_logged, denials_unlogged: Int
        var peers: Int
        var passed: Bool
    }

    func run() throws {
        guard geteuid() == 0 else { throw ValidationError("mfreliability access must run as root (it switches users with setpriv)") }
        let b = baseID
        let group = b + 100, writeGroup = b + 200
        // Policy of the first daemon.
        let args = ["--write-uids", "\(b + 2)", "--write-gids", "\(writeGroup)", "--admin-uids", "\(b + 6)",
                    "--access-group", "\(group)"]
        let peers: [AccessPeer] = [
            AccessPeer(name: "root", uid: 0, gid: 0, groups: [], grants: [.read, .write, .admin]),
            AccessPeer(name: "other user", uid: b + 1, gid: b + 1, groups: [], grants: [.read]),
            AccessPeer(name: "--write-uids", uid: b + 2, gid: b + 2, groups: [], grants: [.read, .write]),
            AccessPeer(name: "access group (primary gid)", uid: b + 3, gid: group, groups: [], grants: [.read, .write, .admin]),
            AccessPeer(name: "access group (supplementary)", uid: b + 4, gid: b + 4, groups: [group], grants: [.read, .write, .admin]),
            AccessPeer(name: "--write-gids (supplementary)", uid: b + 5, gid: b + 5, groups: [writeGroup], grants: [.read, .write]),
            AccessPeer(name: "--admin-uids", uid: b + 6, gid: b + 6, groups: [], grants: [.read, .write, .admin]),
            AccessPeer(name: "unrelated groups", uid: b + 7, gid: b + 7, groups: [b + 8, b + 9], grants: [.read]),
        ]
        var tally = AccessTally()
        try runDaemon(tag: "acc1", arguments: args, peers: peers, tally: &tally)
        // Read closed: only --read-uids (and the owners) may read.
        let closed: [AccessPeer] = [
            AccessPeer(name: "--read-uids", uid: b + 1, gid: b + 1, groups: [], grants: [.read]),
            AccessPeer(name: "not in --read-uids", uid: b + 7, gid: b + 7, groups: [], grants: []),
            AccessPeer(name: "root", uid: 0, gid: 0, groups: [], grants: [.read, .write, .admin]),
        ]
        try runDaemon(tag: "acc2", arguments: ["--read-uids", "\(b + 1)"], peers: closed, tally: &tally)
        let report = Report(cases: tally.cases, allowed_ok: tally.allowedOK, denied_ok: tally.deniedOK, wrong: tally.wrong.count,
                            denials_logged: tally.logged, denials_unlogged: tally.unlogged, peers: peers.count + closed.count,
                            passed: tally.wrong.isEmpty && tally.unlogged == 0 && tally.cases > 0)
        try printReport(report)
        for w in tally.wrong.prefix(30) { FileHandle.standardError.write(Data((w + "\n").utf8)) }
        if !report.passed { throw ExitCode(1) }
    }

    private func runDaemon(tag: String, arguments: [String], peers: [AccessPeer], tally: inout AccessTally) throws {
        let daemon = try RelDaemon(binary: mfd ?? defaultMFDBinary(), dir: RelDaemon.freshDirectory(tag),
                                   arguments: ["--demo", "--retrain", "manual", "--factors", "4", "--iterations", "2"] + arguments)
        defer { if daemon.isRunning { daemon.kill9() }; if !keep { daemon.remove() } }
        chmod(daemon.dir, 0o755)
        try daemon.start()
        chmod(daemon.socket, 0o666)  // what SocketMode= does under systemd; the policy, not the file mode, decides
        for peer in peers {
            let (pid, results) = try AccessProbe.run(peer: peer, socket: daemon.socket)
            for (op, cls, reply) in results {
                tally.cases += 1
                let denied = reply.errorCode == "permission_denied"
                let allowed = peer.grants.contains(cls)
                switch (allowed, denied) {
                case (true, false): tally.allowedOK += 1
                case (false, true): tally.deniedOK += 1
                default: tally.wrong.append("\(tag) \(peer.name) uid \(peer.uid) \(op) (\(cls)): \(reply)")
                }
            }
            let denials = results.filter { $0.2.errorCode == "permission_denied" }
            let log = daemon.log.split(separator: "\n").filter { $0.contains("permission denied") }
            for (op, _, _) in denials {
                let hit = log.contains { $0.contains("op=\(op)") && $0.contains("peer_uid=\(peer.uid)") && $0.contains("peer_pid=\(pid)") }
                if hit { tally.logged += 1 } else {
                    tally.unlogged += 1
                    tally.wrong.append("\(tag) \(peer.name): denial of \(op) not logged with peer_uid=\(peer.uid) peer_pid=\(pid)")
                }
            }
        }
        _ = daemon.stop()
    }
}

struct AccessTally {
    var cases = 0, allowedOK = 0, deniedOK = 0, logged = 0, unlogged = 0
    var wrong: [String] = []
}

/// A client identity and the classes the policy under test grants it.
struct AccessPeer {
    enum Class: String { case read, write, admin }
    var name: String
    var uid: UInt32
    var gid: UInt32
    var groups: [UInt32]
    var grants: Set<Class>
}
