/// A decoded request: one case per operation (generated list; keep in step with `Op`).
public enum Request: Sendable, Equatable {
    case hello(HelloRequest)
    case ping(PingRequest)
    case status(StatusRequest)
    case recommend(RecommendRequest)
    case predict(PredictRequest)
    case similarItems(SimilarItemsRequest)
    case similarUsers(SimilarUsersRequest)
    case user(UserRequest)
    case item(ItemRequest)
    case metrics(MetricsRequest)
    case trainStatus(TrainStatusRequest)
    case addRating(AddRatingRequest)
    case addRatings(AddRatingsRequest)
    case deleteRating(DeleteRatingRequest)
    case deleteUser(DeleteUserRequest)
    case foldIn(FoldInRequest)
    case addUser(AddUserRequest)
    case addItem(AddItemRequest)
    case train(TrainRequest)
    case evaluate(EvaluateRequest)
    case tune(TuneRequest)
    case getConfig(GetConfigRequest)
    case setConfig(SetConfigRequest)
    case importBegin(ImportBeginRequest)
    case importChunk(ImportChunkRequest)
    case importCommit(ImportCommitRequest)
    case importAbort(ImportAbortRequest)
    case importReceipt(ImportReceiptRequest)
    case importStatus(ImportStatusRequest)
    case importModelBegin(ImportModelBeginRequest)
    case importModelRows(ImportModelRowsRequest)
    case importModelCommit(ImportModelCommitRequest)
    case exportBegin(ExportBeginRequest)
    case exportNext(ExportNextRequest)
    case exportEnd(ExportEndRequest)

    /// The operation name.
    public var op: Op {
        switch self {
        case .hello: return .hello
        case .ping: return .ping
        case .status: return .status
        case .recommend: return .recommend
        case .predict: return .predict
        case .similarItems: return .similarItems
        case .similarUsers: return .similarUsers
        case .user: return .user
        case .item: return .item
        case .metrics: return .metrics
        case .trainStatus: return .trainStatus
        case .addRating: return .addRating
        case .addRatings: return .addRatings
        case .deleteRating: return .deleteRating
        case .deleteUser: return .deleteUser
        case .foldIn: return .foldIn
        case .addUser: return .addUser
        case .addItem: return .addItem
        case .train: return .train
        case .evaluate: return .evaluate
        case .tune: return .tune
        case .getConfig: return .getConfig
        case .setConfig: return .setConfig
        case .importBegin: return .importBegin
        case .importChunk: return .importChunk
        case .importCommit: return .importCommit
        case .importAbort: return .importAbort
        case .importReceipt: return .importReceipt
        case .importStatus: return .importStatus
        case .importModelBegin: return .importModelBegin
        case .importModelRows: return .importModelRows
        case .importModelCommit: return .importModelCommit
        case .exportBegin: return .exportBegin
        case .exportNext: return .exportNext
        case .exportEnd: return .exportEnd
        }
    }

    /// Decodes the parameters of `op` from the request object.
    static func decode(_ op: Op, from decoder: any Decoder) throws -> Request {
        switch op {
        case .hello: return .hello(try HelloRequest(from: decoder))
        case .ping: return .ping(try PingRequest(from: decoder))
        case .status: return .status(try StatusRequest(from: decoder))
        case .recommend: return .recommend(try RecommendRequest(from: decoder))
        case .predict: return .predict(try PredictRequest(from: decoder))
        case .similarItems: return .similarItems(try SimilarItemsRequest(from: decoder))
        case .similarUsers: return .similarUsers(try SimilarUsersRequest(from: decoder))
        case .user: return .user(try UserRequest(from: decoder))
        case .item: return .item(try ItemRequest(from: decoder))
        case .metrics: return .metrics(try MetricsRequest(from: decoder))
        case .trainStatus: return .trainStatus(try TrainStatusRequest(from: decoder))
        case .addRating: return .addRating(try AddRatingRequest(from: decoder))
        case .addRatings: return .addRatings(try AddRatingsRequest(from: decoder))
        case .deleteRating: return .deleteRating(try DeleteRatingRequest(from: decoder))
        case .deleteUser: return .deleteUser(try DeleteUserRequest(from: decoder))
        case .foldIn: return .foldIn(try FoldInRequest(from: decoder))
        case .addUser: return .addUser(try AddUserRequest(from: decoder))
        case .addItem: return .addItem(try AddItemRequest(from: decoder))
        case .train: return .train(try TrainRequest(from: decoder))
        case .evaluate: return .evaluate(try EvaluateRequest(from: decoder))
        case .tune: return .tune(try TuneRequest(from: decoder))
        case .getConfig: return .getConfig(try GetConfigRequest(from: decoder))
        case .setConfig: return .setConfig(try SetConfigRequest(from: decoder))
        case .importBegin: return .importBegin(try ImportBeginRequest(from: decoder))
        case .importChunk: return .importChunk(try ImportChunkRequest(from: decoder))
        case .importCommit: return .importCommit(try ImportCommitRequest(from: decoder))
        case .importAbort: return .importAbort(try ImportAbortRequest(from: decoder))
        case .importReceipt: return .importReceipt(try ImportReceiptRequest(from: decoder))
        case .importStatus: return .importStatus(try ImportStatusRequest(from: decoder))
        case .importModelBegin: return .importModelBegin(try ImportModelBeginRequest(from: decoder))
        case .importModelRows: return .importModelRows(try ImportModelRowsRequest(from: decoder))
        case .importModelCommit: return .importModelCommit(try ImportModelCommitRequest(from: decoder))
        case .exportBegin: return .exportBegin(try ExportBeginRequest(from: decoder))
        case .exportNext: return .exportNext(try ExportNextRequest(from: decoder))
        case .exportEnd: return .exportEnd(try ExportEndRequest(from: decoder))
        }
    }

    /// The typed parameters, for generic code (logging, tests).
    public var operation: any WireOperation {
        switch self {
        case .hello(let r): return r
        case .ping(let r): return r
        case .status(let r): return r
        case .recommend(let r): return r
        case .predict(let r): return r
        case .similarItems(let r): return r
        case .similarUsers(let r): return r
        case .user(let r): return r
        case .item(let r): return r
        case .metrics(let r): return r
        case .trainStatus(let r): return r
        case .addRating(let r): return r
        case .addRatings(let r): return r
        case .deleteRating(let r): return r
        case .deleteUser(let r): return r
        case .foldIn(let r): return r
        case .addUser(let r): return r
        case .addItem(let r): return r
        case .train(let r): return r
        case .evaluate(let r): return r
        case .tune(let r): return r
        case .getConfig(let r): return r
        case .setConfig(let r): return r
        case .importBegin(let r): return r
        case .importChunk(let r): return r
        case .importCommit(let r): return r
        case .importAbort(let r): return r
        case .importReceipt(let r): return r
        case .importStatus(let r): return r
        case .importModelBegin(let r): return r
        case .importModelRows(let r): return r
        case .importModelCommit(let r): return r
        case .exportBegin(let r): return r
        case .exportNext(let r): return r
        case .exportEnd(let r): return r
        }
    }

    /// Wraps typed parameters; nil only if `O.op` and the type disagree (a programming error).
    public init?<O: WireOperation>(_ operation: O) {
        switch operation {
        case let r as HelloRequest: self = .hello(r)
        case let r as PingRequest: self = .ping(r)
        case let r as StatusRequest: self = .status(r)
        case let r as RecommendRequest: self = .recommend(r)
        case let r as PredictRequest: self = .predict(r)
        case let r as SimilarItemsRequest: self = .similarItems(r)
        case let r as SimilarUsersRequest: self = .similarUsers(r)
        case let r as UserRequest: self = .user(r)
        case let r as ItemRequest: self = .item(r)
        case let r as MetricsRequest: self = .metrics(r)
        case let r as TrainStatusRequest: self = .trainStatus(r)
        case let r as AddRatingRequest: self = .addRating(r)
        case let r as AddRatingsRequest: self = .addRatings(r)
        case let r as DeleteRatingRequest: self = .deleteRating(r)
        case let r as DeleteUserRequest: self = .deleteUser(r)
        case let r as FoldInRequest: self = .foldIn(r)
        case let r as AddUserRequest: self = .addUser(r)
        case let r as AddItemRequest: self = .addItem(r)
        case let r as TrainRequest: self = .train(r)
        case let r as EvaluateRequest: self = .evaluate(r)
        case let r as TuneRequest: self = .tune(r)
        case let r as GetConfigRequest: self = .getConfig(r)
        case let r as SetConfigRequest: self = .setConfig(r)
        case let r as ImportBeginRequest: self = .importBegin(r)
        case let r as ImportChunkRequest: self = .importChunk(r)
        case let r as ImportCommitRequest: self = .importCommit(r)
        case let r as ImportAbortRequest: self = .importAbort(r)
        case let r as ImportReceiptRequest: self = .importReceipt(r)
        case let r as ImportStatusRequest: self = .importStatus(r)
        case let r as ImportModelBeginRequest: self = .importModelBegin(r)
        case let r as ImportModelRowsRequest: self = .importModelRows(r)
        case let r as ImportModelCommitRequest: self = .importModelCommit(r)
        case let r as ExportBeginRequest: self = .exportBegin(r)
        case let r as ExportNextRequest: self = .exportNext(r)
        case let r as ExportEndRequest: self = .exportEnd(r)
        default: return nil
        }
    }
}

extension Op {
    /// The parameter type of this operation (its `Result` is the result type).
    public var operationType: any WireOperation.Type {
        switch self {
        case .hello: return HelloRequest.self
        case .ping: return PingRequest.self
        case .status: return StatusRequest.self
        case .recommend: return RecommendRequest.self
        case .predict: return PredictRequest.self
        case .similarItems: return SimilarItemsRequest.self
        case .similarUsers: return SimilarUsersRequest.self
        case .user: return UserRequest.self
        case .item: return ItemRequest.self
        case .metrics: return MetricsRequest.self
        case .trainStatus: return TrainStatusRequest.self
        case .addRating: return AddRatingRequest.self
        case .addRatings: return AddRatingsRequest.self
        case .deleteRating: return DeleteRatingRequest.self
        case .deleteUser: return DeleteUserRequest.self
        case .foldIn: return FoldInRequest.self
        case .addUser: return AddUserRequest.self
        case .addItem: return AddItemRequest.self
        case .train: return TrainRequest.self
        case .evaluate: return EvaluateRequest.self
        case .tune: return TuneRequest.self
        case .getConfig: return GetConfigRequest.self
        case .setConfig: return SetConfigRequest.self
        case .importBegin: return ImportBeginRequest.self
        case .importChunk: return ImportChunkRequest.self
        case .importCommit: return ImportCommitRequest.self
        case .importAbort: return ImportAbortRequest.self
        case .importReceipt: return ImportReceiptRequest.self
        case .importStatus: return ImportStatusRequest.self
        case .importModelBegin: return ImportModelBeginRequest.self
        case .importModelRows: return ImportModelRowsRequest.self
        case .importModelCommit: return ImportModelCommitRequest.self
        case .exportBegin: return ExportBeginRequest.self
        case .exportNext: return ExportNextRequest.self
        case .exportEnd: return ExportEndRequest.self
        }
    }
}
