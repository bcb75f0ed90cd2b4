import Foundation
import MFProtocol

/// A progress bar on a TTY (stderr), plain lines otherwise (at most one per 10% of a
/// stage, and one when the stage changes). It follows an operation through its
/// stages: the upload mfctl does, then those mfd reports in progress lines.
final class Progress: @unchecked Sendable {
    private let label: String
    private let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lastStage: String?
    private var lastTenth = -1

    init(label: String) { self.label = label }

    /// A stage without a name of its own (a count mfctl keeps).
    func update(_ done: Int64, _ total: Int64) { update(ProgressReport(stage: "", done: done, total: total)) }

    func update(_ report: ProgressReport) {
        let fraction = report.fraction
        let stage = report.stage.isEmpty ? "" : " " + report.stage
        lock.withLock {
            let newStage = report.stage != lastStage
            if newStage { lastStage = report.stage; lastTenth = -1 }
            if tty {
                guard let fraction else {
                    return FileHandle.standardError.write(Data("\r\(label)\(stage)…\u{1B}[K".utf8))
                }
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                FileHandle.standardError.write(Data("\r\(label)\(stage) \(bar) \(Int(fraction * 100))%\u{1B}[K".utf8))
            } else if let fraction {
                if Int(fraction * 10) > lastTenth {
                    lastTenth = Int(fraction * 10)
                    FileHandle.standardError.write(Data("\(label)\(stage): \(Int(fraction * 100))%\n".utf8))
                }
            } else if newStage {
                FileHandle.standardError.write(Data("\(label)\(stage)…\n".utf8))
            }
        }
    }

    /// The operation succeeded: a last line says it is complete.
    func finish() {
        lock.withLock {
            FileHandle.standardError.write(Data((tty ? "\r\(label): 100%\u{1B}[K\n" : "\(label): 100%\n").utf8))
        }
    }
}
