import MFCore
import MFProtocol
import MFStore

extension WireError {
    /// Maps any error from the store, the math or the engine to its wire error.
    /// Unknown errors are `internal` with their text, so nothing is silent.
    init(engine error: any Error) {
        switch error {
        case let e as WireError:
            self = e
        case let e as MFStoreError:
            switch e {
            case .notFound: self.init(.notFound, e.message)
            case .invalidArgument(let field, let message):
                self.init(field == "rating" ? .invalidRating : .invalidValue, message, field: field)
            case .malformedInput(_, _, let message): self.init(.importFailed, message, field: e.field)
            case .unknownFormat, .importAborted: self.init(.importFailed, e.message, field: e.field)
            case .cancelled: self.init(.shuttingDown, "the request was cancelled; nothing was written")
            default: self.init(.storageFailed, e.message, field: e.field)
            }
        case let e as MFCoreError:
            self.init(e.code == "cancelled" ? .shuttingDown : .internalError, e.message, field: e.field)
        case is CancellationError:
            self.init(.shuttingDown, "the request was cancelled")
        default:
            self.init(.internalError, "\(error)")
        }
    }
}
