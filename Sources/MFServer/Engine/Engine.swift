import Foundation
import Logging
import MFCore
import MFProtocol
import MFStore
import Synchronization

/// The recommender: reads against an immutable snapshot (synchronous, any
/// thread), writes through one writer actor, training in the background.
///
/// ```swift
/// let engine = try await Engine.open(store: store, configuration: cfg, logger: logger)
/// let recs = try engine.recommend(RecommendRequest(user: 42))   // fast path, no await
/// let ack = try await engine.addRatings([Rating(user: 42, item: 7, value: 4)])
/// ```
public final class Engine: Sendable {
    public let store: Store
    public let configuration: EngineConfiguration
    let logger: Logger
    let writer: EngineWriter
    let ratingWrites: RatingWriteQueue
    let jobs = JobBoard()
    let imports: ImportSessions
    let exports = ExportSessions()
    let ledger = ImportLedger()
    let modelImports: ModelImportSessions
    let metrics = EngineMetrics()
    let recommendCache: RecommendCache
    let loading = LoadGate()
    let retrainBackoff = Mutex(RetrainBackoff())
    let startedAt = Date()
    private let current = Mutex<EngineSnapshot>(.empty)
    private let settings: Mutex<TrainingSettings>
    private let ticker = Mutex<Task<Void, Never>?>(nil)
    private let stopping = Atomic<Bool>(false)

    /// Whether `shutdown()` has begun: a load that fails after it was stopped, not broken.
    public var isShuttingDown: Bool { stopping.load(ordering: .acquiring) }

    init(store: Store, configuration: EngineConfiguration, settings: TrainingSettings, spool: SpoolDirectory, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.settings = Mutex(settings)
        self.recommendCache = RecommendCache(capacityBytes: max(0, configuration.recommendCacheBytes))
        self.imports = ImportSessions(limit: configuration.maxImportSessions, spool: spool, ledger: ledger)
        self.modelImports = ModelImportSessions(ledger: ledger)
        let box = PublishBox()
        self.writer = EngineWriter(store: store, logger: logger, itemRefreshInterval: configuration.itemRefreshInterval,
                                   publish: { snap in
                                       // The replaced snapshot is released after the lock, here: freeing the
                                       // last reference to every user's old lists under it stalled every read.
                                       let replaced = box.engine?.current.withLock { current in
                                           defer { current = snap }
                                           return current
                                       }
                                       // Lets go of what a new model or catalogue replaced at once, not at the next recommend.
                                       box.engine?.recommendCache.follow(snap)
                                       withExtendedLifetime(replaced) {}
                                   })
        self.ratingWrites = RatingWriteQueue(writer: writer)
        box.engine = self
    }

    /// The snapshot reads use now.
    public var snapshot: EngineSnapshot { current.withLock { $0 } }

    /// The training configuration and retrain policy in force.
    public var trainingSettings: TrainingSettings { settings.withLock { $0 } }

    func setTrainingSettings(_ c: TrainingSettings) { settings.withLock { $0 = c } }

    /// The accepted rating scale as Float.
    var scale: ClosedRange<Float> { Float(configuration.ratingMin)...Float(configuration.ratingMax) }

    /// Starts the periodic item refresh and retrain-policy check.
    func startTicker() {
        let interval = max(0.05, configuration.itemRefreshInterval)
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard let self else { return }
                await self.writer.tick()
                await self.checkRetrainPolicy()
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Graceful stop: no new training, cancel a running one and wait for it to end.
    public func shutdown() async {
        stopping.store(true, ordering: .releasing)
        ticker.withLock { $0?.cancel(); $0 = nil }
        await jobs.cancelRunning()
        imports.abortAll()
        exports.closeAll()
    }
}

/// Lets the writer's publish closure reach the engine created after it.
private final class PublishBox: @unchecked Sendable {  // written once in Engine.init before any publish
    weak var engine: Engine?
}
