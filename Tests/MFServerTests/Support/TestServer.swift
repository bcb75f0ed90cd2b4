import Logging
import MFTestSupport
import NIOCore
@testable import MFServer

/// Test logger: quiet unless MFD_TEST_LOG is set.
let testLogger: Logger = {
    var logger = Logger(label: "mfd-test", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()

/// Starts a server on a unique path, runs `body`, then shuts it down.
func withTestServer<R>(
    _ configure: (inout SocketServerConfiguration) -> Void = { _ in },
    handler: some LineRequestHandler,
    _ body: (SocketServer, String) async throws -> R
) async throws -> R {
    var config = SocketServerConfiguration()
    configure(&config)
    let path = uniqueSocketPath()
    let server = try await SocketServer.start(source: .path(path), configuration: config, handler: handler, logger: testLogger)
    do {
        let result = try await body(server, path)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}
