import Foundation
import MFProtocol

extension Engine {
    /// `get_config`.
    public func getConfig() -> TrainingSettings { trainingSettings }

    /// `set_config`: validates, persists, then applies.
    public func setConfig(_ r: SetConfigRequest) async throws -> TrainingSettings {
        let next = try trainingSettings.applying(r)
        try await store.setSetting(Self.trainingSettingsKey, Self.json(next))
        setTrainingSettings(next)
        return next
    }
}
