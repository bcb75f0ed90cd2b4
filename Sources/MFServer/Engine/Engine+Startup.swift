import Foundation
import Logging
import MFCore
import MFProtocol
import MFStore

extension Engine {
    static let configKey = "engine.config"

    /// Opens the engine over `store`: loads the configuration, the catalogue,
    /// every rating and the newest model, replays newer changes by fold-in
    /// (no retrain). With ratings but no model it trains before returning;
    /// with `demo` and no ratings it first loads the demo catalogue.
    public static func open(store: Store, configuration: EngineConfiguration, logger: Logger) async throws -> Engine {
        var cfg = ServerConfig.defaults
        if let text = try await store.setting(configKey) {
            do { cfg = try JSONDecoder().decode(ServerConfig.self, from: Data(text.utf8)) } catch {
                logger.warning("stored configuration unreadable; using defaults", metadata: ["error": "\(error)"])
            }
        }
        if configuration.overrides != SetConfigRequest() {
            cfg = try cfg.applying(configuration.overrides)
            try await store.setSetting(configKey, json(cfg))
        }
        let engine = Engine(store: store, configuration: configuration, config: cfg, logger: logger)
        if configuration.demo, try await store.counts().ratings == 0 {
            try await engine.loadDemo()
        }
        try await engine.reload(replayFromModel: true)
        if engine.snapshot.base == nil, engine.snapshot.ratingCount > 0, cfg.retrain != .external {
            logger.info("ratings but no model: training before serving")
            let id = try engine.startTraining(reason: "no model at startup")
            if let task = engine.jobs.task(id) {
                let job = await task.value
                if job.state != .succeeded { logger.error("startup training failed", metadata: ["error": "\(job.error.map { "\($0)" } ?? "\(job.state)")"]) }
            }
        }
        engine.startTicker()
        return engine
    }

    /// Re-reads everything from the store (startup, after an import). With
    /// `replayFromModel`, also loads the newest stored model and re-solves what changed since.
    func reload(replayFromModel: Bool) async throws {
        if replayFromModel, let record = try await store.loadLatestModel() {
            do {
                await writer.setBase(try ModelBase(record: record))
            } catch {
                logger.error("stored model unusable; serving without it", metadata: ["model": "\(record.id)", "error": "\(error)"])
            }
        }
        let snap = try await store.ratingsSnapshot()
        let users = try await store.allUsers()
        let items = try await store.allItems()
        await writer.load(ratings: snap, users: users, items: items)
        if let base = await writer.base {
            let changes = try await store.changes(since: base.sequence)
            await writer.markChanged(changes)
            logger.info("model loaded", metadata: ["model": "\(base.id)", "replayed_changes": "\(changes.ratings.count)"])
        }
        await writer.refoldAllDirty()
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
