/// Every operation name on the wire.
public enum Op: String, Codable, Sendable, CaseIterable {
    // read
    case hello, ping, status, recommend, predict
    case similarItems = "similar_items"
    case similarUsers = "similar_users"
    case user, item, metrics
    case trainStatus = "train_status"
    // write
    case addRating = "add_rating"
    case addRatings = "add_ratings"
    case deleteRating = "delete_rating"
    case deleteUser = "delete_user"
    case foldIn = "fold_in"
    case addUser = "add_user"
    case addItem = "add_item"
    // admin
    case train, evaluate, tune
    case getConfig = "get_config"
    case setConfig = "set_config"
    case importBegin = "import_begin"
    case importChunk = "import_chunk"
    case importCommit = "import_commit"
    case importAbort = "import_abort"
    case importReceipt = "import_receipt"
    case importStatus = "import_status"
    case importModelBegin = "import_model_begin"
    case importModelRows = "import_model_rows"
    case importModelCommit = "import_model_commit"
    case exportBegin = "export_begin"
    case exportNext = "export_next"
    case exportEnd = "export_end"

    /// The access class the server checks before running the operation.
    public var access: AccessClass {
        switch self {
        case .hello, .ping, .status, .recommend, .predict, .similarItems, .similarUsers,
             .user, .item, .metrics, .trainStatus:
            return .read
        case .addRating, .addRatings, .deleteRating, .deleteUser, .foldIn, .addUser, .addItem:
            return .write
        case .train, .evaluate, .tune, .getConfig, .setConfig, .importBegin, .importChunk,
             .importCommit, .importAbort, .importReceipt, .importStatus, .importModelBegin, .importModelRows, .importModelCommit,
             .exportBegin, .exportNext, .exportEnd:
            return .admin
        }
    }
}

/// Protocol-wide constants.
public enum WireProtocol {
    /// Bumped on any incompatible change; `hello` reports it.
    public static let version = 1
    /// Default maximum request line length in bytes, newline excluded (server setting).
    public static let defaultMaxLineBytes = 1 << 20
    /// Maximum JSON nesting depth of a request; no request needs more than 4.
    public static let maxDepth = 32
    /// Largest `n` for recommend / similar_*.
    public static let maxN = 1000
}
