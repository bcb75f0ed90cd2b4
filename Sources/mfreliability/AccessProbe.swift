import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
import MFLineClient
#endif

/// Runs `mfreliability access-client` as another user and collects its replies.
enum AccessProbe {
    /// One request per op, per class. Allowed admin ops are harmless (manual retrain, small evaluate).
    static let requests: [(op: String, cls: AccessPeer.Class, line: String)] = [
        ("hello", .read, #"{"op":"hello"}"#),
        ("ping", .read, #"{"op":"ping"}"#),
        ("status", .read, #"{"op":"status"}"#),
        ("recommend", .read, #"{"op":"recommend","user":42}"#),
        ("predict", .read, #"{"op":"predict","user":42,"item":7}"#),
        ("user", .read, #"{"op":"user","user":42}"#),
        ("similar_items", .read, #"{"op":"similar_items","item":7}"#),
        ("train_status", .read, #"{"op":"train_status"}"#),
        ("add_rating", .write, #"{"op":"add_rating","user":8000001,"item":7,"rating":4}"#),
        ("add_ratings", .write, #"{"op":"add_ratings","ratings":[[8000001,8,3.5]]}"#),
        ("fold_in", .write, #"{"op":"fold_in","user":8000002,"ratings":[[7,5]]}"#),
        ("add_user", .write, #"{"op":"add_user","user":8000003}"#),
        ("add_item", .write, #"{"op":"add_item","item":8000004,"title":"T"}"#),
        ("delete_rating", .write, #"{"op":"delete_rating","user":8000001,"item":8}"#),
        ("delete_user", .write, #"{"op":"delete_user","user":8000003}"#),
        ("get_config", .admin, #"{"op":"get_config"}"#),
        ("set_config", .admin, #"{"op":"set_config","retrain":"manual"}"#),
        ("import_begin", .admin, #"{"op":"import_begin","kind":"ratings"}"#),
        ("evaluate", .admin, #"{"op":"evaluate","test_fraction":0.2}"#),
        ("train", .admin, #"{"op":"train"}"#),
    ]

    static func run(peer: AccessPeer, socket: String) throws -> (pid: Int32, [(String, AccessPeer.Class, Reply)]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        let groups = peer.groups.isEmpty ? ["--clear-groups"] : ["--groups=" + peer.groups.map(String.init).joined(separator: ",")]
        p.arguments = ["--reuid=\(peer.uid)", "--regid=\(peer.gid)"] + groups
            + ["--", URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path, "access-client", "--socket", socket]
        let input = Pipe(), output = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(requests.map { $0.line + "\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var lines = out.split(separator: "\n").map(String.init)
        guard p.terminationStatus == 0, let first = lines.first, first.hasPrefix("pid "), let pid = Int32(first.dropFirst(4)) else {
            throw ReliabilityFailure(description: "access-client as uid \(peer.uid) failed (\(p.terminationStatus)): \(errText) \(out.prefix(500))")
        }
        lines.removeFirst()
        guard lines.count == requests.count else {
            throw ReliabilityFailure(description: "access-client as uid \(peer.uid): \(lines.count) replies for \(requests.count) requests")
        }
        return (pid, try zip(requests, lines).map { r, line in (r.op, r.cls, try Reply(line)) })
    }
}

/// `mfreliability access-client`: sends the request lines on stdin over one
/// connection and prints `pid N`, then one reply per request (used by `access`).
struct AccessClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-client", abstract: "Internal: one connection, requests from stdin, replies to stdout.",
        shouldDisplay: false)

    @Option(help: "Socket path.")
    var socket: String

    func run() throws {
        print("pid \(getpid())")
        let client = try LineClient.connect(path: socket, timeout: 10)
        while let line = readLine() {
            try client.send(line + "\n")
            guard let reply = try client.readText(timeout: 300) else { throw ExitCode(3) }
            print(reply)
        }
    }
}
