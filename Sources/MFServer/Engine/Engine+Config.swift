import Foundation
import MFProtocol

extension Engine {
    /// `get_config`.
    public func getConfig() -> ServerConfig { serverConfig }

    /// `set_config`: validates, persists, then applies.
    public func setConfig(_ r: SetConfigRequest) async throws -> ServerConfig {
        let next = try serverConfig.applying(r)
        try await store.setSetting(Self.configKey, Self.json(next))
        setServerConfig(next)
        return next
    }
}
