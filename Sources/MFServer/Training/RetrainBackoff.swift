import Foundation
import MFProtocol

/// When the retrain policy may start the next automatic retrain after
/// failures: 30 s after the first, doubling up to an hour; a success resets
/// it. Without it a full disk failed the retrain 12 times in 30 s, a core
/// busy with nothing. `train` requests are never held back.
struct RetrainBackoff: Sendable, Equatable {
    static let firstDelay: TimeInterval = 30
    static let longestDelay: TimeInterval = 3600

    /// Failed trainings since the last success.
    private(set) var failures = 0
    /// No automatic retrain before this time (nil: none is held back).
    private(set) var notBefore: Date?

    mutating func failed(at now: Date) {
        failures += 1
        let delay = min(Self.firstDelay * pow(2, Double(min(failures - 1, 20))), Self.longestDelay)
        notBefore = now.addingTimeInterval(delay)
    }

    mutating func succeeded() { self = RetrainBackoff() }

    func allows(at now: Date) -> Bool { notBefore.map { now >= $0 } ?? true }

    /// What `status` reports (nil while no training has failed since the last success).
    func info(at now: Date) -> RetrainBackoffInfo? {
        guard failures > 0 else { return nil }
        return RetrainBackoffInfo(failures: failures, nextAttemptSeconds: max(0, notBefore.map { $0.timeIntervalSince(now) } ?? 0))
    }
}
