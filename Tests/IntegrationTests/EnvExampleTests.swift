import Foundation
import MFTestSupport
import Testing

/// `systemd/mfd.env.example` documents every `MFD_*` variable the real `mfd`
/// reads (as `mfd --help` names them in brackets) and no variable it ignores:
/// an operator who sets a misspelled or retired name would otherwise get the
/// default silently.
@Suite
struct EnvExampleTests {
    static func names(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "MFD_[A-Z_]+[A-Z]")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test func exampleListsExactlyTheVariablesMfdReads() throws {
        let run = try ChildProcess.run(Tools.mfd, ["--help"])
        let help = run.stdout + run.stderr
        let example = try String(contentsOf: Tools.packageRoot.appendingPathComponent("systemd/mfd.env.example"), encoding: .utf8)
        // Assignments (commented out or not) in the example: `#MFD_X=` / `MFD_X=`.
        let assigned = Set(example.split(separator: "\n").compactMap { line -> String? in
            let l = line.drop { $0 == "#" }
            guard l.hasPrefix("MFD_"), let eq = l.firstIndex(of: "=") else { return nil }
            return String(l[..<eq])
        })
        let documented = Self.names(in: help)
        #expect(documented.count >= 20, "mfd --help names too few variables: \(help)")
        #expect(assigned.subtracting(documented).isEmpty, "in mfd.env.example but not read by mfd: \(assigned.subtracting(documented).sorted())")
        #expect(documented.subtracting(assigned).isEmpty, "read by mfd but missing from mfd.env.example: \(documented.subtracting(assigned).sorted())")
    }
}
