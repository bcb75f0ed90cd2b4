import Foundation
import MFProtocol

extension Engine {
    /// The operations `EngineConfiguration.testDelays` may stall.
    public static let delayableOps: Set<Op> = [.importCommit, .importModelCommit, .train, .tune, .evaluate, .exportBegin]

    /// Test-only stall of `op` (`EngineConfiguration.testDelays`); returns at once without one.
    func testDelay(_ op: Op) async {
        guard let seconds = configuration.testDelays[op], seconds > 0 else { return }
        logger.warning("test delay", metadata: ["op": "\(op.rawValue)", "seconds": "\(seconds)"])
        try? await Task.sleep(for: .seconds(seconds))
    }

    /// `testDelay` on a thread that must not suspend (inside a store transaction).
    func testDelayBlocking(_ op: Op) {
        guard let seconds = configuration.testDelays[op], seconds > 0 else { return }
        logger.warning("test delay", metadata: ["op": "\(op.rawValue)", "seconds": "\(seconds)"])
        Thread.sleep(forTimeInterval: seconds)
    }
}
