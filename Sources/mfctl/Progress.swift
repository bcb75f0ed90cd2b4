import Foundation

/// A progress bar on a TTY (stderr), plain lines otherwise (at most one per 10%).
final class Progress: @unchecked Sendable {
    private let label: String
    private let tty = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lastTenth = -1

    init(label: String) { self.label = label }

    func update(_ done: Int64, _ total: Int64) {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        lock.withLock {
            if tty {
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                FileHandle.standardError.write(Data("\r\(label) \(bar) \(Int(fraction * 100))%".utf8))
            } else if Int(fraction * 10) > lastTenth {
                lastTenth = Int(fraction * 10)
                FileHandle.standardError.write(Data("\(label): \(Int(fraction * 100))%\n".utf8))
            }
        }
    }

    func finish() {
        if tty { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
