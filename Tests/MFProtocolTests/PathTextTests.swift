import Testing
@testable import MFProtocol

struct PathTextTests {
    @Test func directoryFollowsDirname() {
        let cases: [(String, String)] = [
            ("z", "."), ("a/z", "a"), ("a/z/", "a"), ("a//z", "a"), ("a/b/c.sqlite", "a/b"), ("./z", "."),
            (".", "."), ("..", "."), ("../z", ".."), ("", "."), ("/", "/"), ("//", "/"), ("/z", "/"), ("//z", "/"),
            ("/tmp/mfd-1/mfd.sock", "/tmp/mfd-1"), ("é/ü", "é"), ("a/\u{301}b", "a"),
        ]
        for (path, expected) in cases { #expect(PathText.directory(of: path) == expected, "\(path)") }
    }

    @Test func lastComponentFollowsBasename() {
        let cases: [(String, String)] = [
            ("z", "z"), ("a/z", "z"), ("a/z/", "z"), ("a/z//", "z"), (".", "."), ("..", ".."), ("a/..", ".."),
            ("", ""), ("/", "/"), ("///", "/"), ("/z", "z"), ("dir/ratings.csv", "ratings.csv"), ("a/\u{301}b", "\u{301}b"),
        ]
        for (path, expected) in cases { #expect(PathText.lastComponent(of: path) == expected, "\(path)") }
    }

    @Test func appendingPutsOneSlash() {
        #expect(PathText.appending("manifest.json", to: "z") == "z/manifest.json")
        #expect(PathText.appending("manifest.json", to: "z/") == "z/manifest.json")
        #expect(PathText.appending("mfd.sock", to: "/") == "/mfd.sock")
        #expect(PathText.appending("mfd.sock", to: "") == "mfd.sock")
        #expect(PathText.appending("x", to: ".") == "./x")
    }

    @Test func directoryOnlyNames() {
        for path in [".", "..", "a/", "a/.", "a/..", "/", "//", "z/"] { #expect(PathText.namesDirectory(path), "\(path)") }
        for path in ["", "z", "a/z", "/z", ".z", "..z", "a/.z"] { #expect(!PathText.namesDirectory(path), "\(path)") }
    }

    @Test func longAndOneCharacterPathsDoNotTrap() {
        let long = String(repeating: "a/", count: 2048)  // 4 KiB
        #expect(PathText.directory(of: long) == Array(repeating: "a", count: 2047).joined(separator: "/"))
        #expect(PathText.lastComponent(of: long) == "a")
        for c in ["a", "/", ".", "é", "\u{301}"] {
            _ = PathText.directory(of: c)
            _ = PathText.lastComponent(of: c + "/")
        }
    }
}
