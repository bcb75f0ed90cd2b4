import Foundation
import Logging
import MFCore
import MFDemo
import MFProtocol
import MFStore

extension Engine {
    static let trainingSettingsKey = "engine.config"

    /// Opens the engine over `store` and returns once it has loaded
    /// everything (``start(store:configuration:logger:)`` then ``loaded()``).
    public static func open(store: Store, configuration: EngineConfiguration, logger: Logger) async throws -> Engine {
        let engine = try await start(store: store, configuration: configuration, logger: logger)
        try await engine.loaded()
        return engine
    }

    /// Opens the engine over `store` and returns once the configuration is
    /// read and the import spool directory is ready (created or checked, and
    /// emptied of files an earlier process left); the rest loads in the
    /// background, in this order:
    ///
    /// 1. the newest model and the catalogue, then a snapshot that serves
    ///    `recommend` and `predict` from that model (each user's ratings read
    ///    from the store per request, so `exclude_seen` is exact);
    /// 2. `Store.quickCheck()` unless the store ran it at open, the demo
    ///    catalogue (`demo`, empty database), every rating, and the changes
    ///    since the model, re-solved by fold-in (no retrain);
    /// 3. with ratings but no model (a first start, `demo`), the first training.
    ///
    /// Until step 3 ends the dispatcher holds every other request (writes
    /// among them) and `status` reports `loading`. ``loaded()`` waits for it.
    public static func start(store: Store, configuration: EngineConfiguration, logger: Logger) async throws -> Engine {
        var cfg = TrainingSettings.defaults
        if let text = try await store.setting(trainingSettingsKey) {
            do { cfg = try JSONDecoder().decode(TrainingSettings.self, from: Data(text.utf8)) } catch {
                logger.warning("stored configuration unreadable; using defaults", metadata: ["error": "\(error)"])
            }
        }
        if configuration.overrides != SetConfigRequest() {
            cfg = try cfg.applying(configuration.overrides)
            try await store.setSetting(trainingSettingsKey, json(cfg))
        }
        let spool = try prepareSpoolDirectory(configuration, store: store, logger: logger)
        let engine = Engine(store: store, configuration: configuration, settings: cfg, spool: spool, logger: logger)
        Task { await engine.load() }
        return engine
    }

    /// The private directory for import spool files, created or checked, with
    /// the files a previous process left in it removed (`SpoolDirectory`).
    private static func prepareSpoolDirectory(_ configuration: EngineConfiguration, store: Store, logger: Logger) throws -> SpoolDirectory {
        let path = SpoolDirectory.path(configured: configuration.spoolDirectory, databasePath: store.path)
        let (spool, removed, repaired) = try SpoolDirectory.prepare(path)
        if let repaired {
            logger.warning("import spool directory was not private; set its mode to 0700",
                           metadata: ["path": "\(path)", "mode": "\(SpoolDirectory.octal(repaired))"])
        }
        if removed > 0 {
            logger.info("removed import spool files left by an earlier process", metadata: ["path": "\(path)", "files": "\(removed)"])
        }
        return spool
    }

    /// Returns once the engine has loaded its ratings; throws what stopped it loading.
    public func loaded() async throws { try await loading.wait() }

    /// Whether the engine is still loading (``start(store:configuration:logger:)``).
    public var isLoading: Bool { loading.isLoading }

    private func load() async {
        let started = ContinuousClock.now
        do {
            loading.report("model")
            let stored = try await latestModel()
            if let base = stored?.base {
                let items = try await store.allItems()
                await writer.serveWhileLoading(base: base, items: items)
                logger.info("serving the stored model while loading", metadata: [
                    "model": "\(base.id)", "seconds": "\(Self.seconds(since: started))"])
                loading.modelStage.open()
                await configuration.afterModelStage?()
            }
            if !store.options.quickCheckAtOpen {
                loading.report("integrity check")
                try await store.quickCheck()
            }
            if configuration.demo, try await store.counts().ratings == 0 {
                loading.report("demo catalogue")
                try await loadDemo()
            }
            try await reload()
            // An imported model whose ranker job had not finished: train its ranker again.
            if let stored, stored.rankerPending, case let id = stored.base.id, snapshot.base?.id == id, snapshot.ratingCount > 0 {
                do { try startRankerJob(model: id, reason: "not trained before the restart") } catch {
                    logger.error("ranker job not started", metadata: ["model": "\(id)", "error": "\(error)"])
                }
            }
            if snapshot.base == nil, snapshot.ratingCount > 0, trainingSettings.retrain != .external {
                // Nothing to serve from yet: the first model is part of the start, as the
                // reads that wait for it would otherwise get popularity from a daemon about to have one.
                loading.report("training the first model")
                logger.info("ratings but no model: training before serving")
                let id = try startTraining(reason: "no model at startup")
                if let task = jobs.task(id) {
                    let job = await task.value
                    if job.state != .succeeded {
                        logger.error("startup training failed", metadata: ["error": "\(job.error.map { "\($0)" } ?? "\(job.state)")"])
                    }
                }
            }
            Heap.trim()
            loading.finish(.success(()))
            logger.info("loaded", metadata: ["ratings": "\(snapshot.ratingCount)", "users": "\(snapshot.users.count)",
                                             "seconds": "\(Self.seconds(since: started))"])
        } catch {
            if isShuttingDown {
                logger.info("loading stopped by the shutdown", metadata: ["error": "\(error)"])
            } else {
                logger.critical("loading failed", metadata: ["error": "\(error)"])
            }
            loading.finish(.failure(error))
            return
        }
        startTicker()
    }

    /// Every user's rating list, straight from the store (no flat copy of all ratings).
    private func readRatingLists() async throws -> UserRatingLists {
        let collector = Collector()
        let sequence = try await store.forEachUser { user, items, values in
            collector.lists.users.append((user, RatingList(ids: items, values: values)))
            collector.lists.count += items.count
        }
        var lists = collector.lists
        lists.sequence = sequence
        return lists
    }

    /// Filled on the store's reader thread, read after its read returns.
    private final class Collector: @unchecked Sendable {
        var lists = UserRatingLists()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double { (ContinuousClock.now - start).inSeconds }

    /// The newest stored model, or nil (none, or unusable: logged, served without), and
    /// whether its ranker is still to be trained (`rankerPendingScalar`).
    private func latestModel() async throws -> (base: ModelBase, rankerPending: Bool)? {
        guard let record = try await store.loadLatestModel() else { return nil }
        do {
            return (try ModelBase(record: record), (record.scalars[Self.rankerPendingScalar] ?? 0) != 0)
        } catch {
            logger.error("stored model unusable; serving without it", metadata: ["model": "\(record.id)", "error": "\(error)"])
            return nil
        }
    }

    /// Re-reads the ratings and the catalogue from the store (startup, after an
    /// import) and re-solves what changed since the serving model was trained.
    func reload() async throws {
        var stages: [(String, ContinuousClock.Instant)] = [("read", .now)]
        loading.report("ratings")
        let lists = try await readRatingLists()
        let users = try await store.allUsers()
        let items = try await store.allItems()
        loading.report("rating lists")
        stages.append(("lists", .now))
        // The long parts run on the background thread (nice +10): on a busy machine replies go first.
        let base = await writer.base
        await writer.dropItemLists()
        let built = await BackgroundThread.shared.run { EngineWriter.built(ratings: lists, users: users, items: items, base: base) }
        await writer.install(built)
        if let base = await writer.base {
            loading.report("changes since the model")
            stages.append(("changes", .now))
            let changes = try await store.changeSummary(since: base.sequence)
            await writer.markChanged(changes)
            logger.info("model loaded", metadata: ["model": "\(base.id)", "replayed_changes": "\(changes.ratings)"])
        }
        loading.report("fold-in")
        stages.append(("fold-in", .now))
        await refoldInBackground()
        logger.info("ratings reloaded", metadata: ["ratings": "\(lists.count)", "stages": "\(Self.stageTimes(stages))"])
    }

    /// `EngineWriter.refoldAllDirty`, with the item and user solves on the background thread.
    private func refoldInBackground() async {
        guard let (jobs, base) = await writer.takeItemJobsForRefold() else { return await writer.refoldAllDirty() }
        let newBase = await BackgroundThread.shared.run { [logger] in EngineWriter.solveItems(jobs, base: base, logger: logger) }
        guard let (now, users) = await writer.userJobsForRefold(newBase, items: jobs, base: base) else { return await writer.refoldAllDirty() }
        let solved = await BackgroundThread.shared.run { EngineWriter.solveUsers(users, base: now) }
        await writer.finishRefold(solved, base: now)
    }

    /// Seconds per stage, each stage from its start to the next one's or now,
    /// e.g. "read 1.210 lists 0.804 changes 0.350 fold-in 4.120".
    static func stageTimes(_ stages: [(String, ContinuousClock.Instant)]) -> String {
        zip(stages, stages.dropFirst() + [("", .now)]).map { a, b in "\(a.0) " + String(format: "%.3f", (b.1 - a.1).inSeconds) }
            .joined(separator: " ")
    }

    /// Loads the synthetic demo catalogue through the store.
    func loadDemo() async throws {
        let demo = DemoCatalog.generate()
        try await store.upsertItems(demo.items.map { ItemRecord(id: $0.id, title: $0.title, genres: $0.genres) })
        try await store.upsertUsers(demo.users.map { UserRecord(id: $0.id, attributes: ["age": .number(Double($0.age))]) })
        let ratings = demo.ratings.map { Rating(user: $0.user, item: $0.item, value: $0.rating, timestamp: $0.timestamp) }
        for start in stride(from: 0, to: ratings.count, by: 8192) {
            _ = try await store.addRatings(Array(ratings[start..<min(start + 8192, ratings.count)]))
        }
        logger.info("demo catalogue loaded", metadata: ["items": "\(demo.items.count)", "users": "\(demo.users.count)",
                                                         "ratings": "\(ratings.count)"])
    }
}
