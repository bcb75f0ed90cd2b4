/// What an import session brings in.
public enum ImportTarget: String, WireEnum { case ratings, items, users, model }

/// An import's life: `receiving` (the session is open; chunks or rows arrive),
/// `committing`, then `committed`, `failed` (the commit was refused: nothing
/// stored) or `aborted` (rolled back before its commit: `import_abort`, its
/// connection closed, or it sat idle; nothing stored).
public enum ImportState: String, WireEnum {
    case receiving, committing, committed, failed, aborted

    /// Whether the import has ended (its outcome is final).
    public var isFinal: Bool { self == .committed || self == .failed || self == .aborted }

    /// The moves an import may make: receiving → committing → committed | failed,
    /// and receiving → aborted.
    public func canMove(to next: ImportState) -> Bool {
        switch (self, next) {
        case (.receiving, .committing), (.receiving, .aborted), (.committing, .committed), (.committing, .failed): true
        default: false
        }
    }
}

/// `import_status` and `status.imports[]`: one import or model import.
public struct ImportStatus: Codable, Sendable, Equatable {
    /// The session token (`imp-…` or `mod-…`).
    public var `import`: String
    public var kind: ImportTarget
    public var state: ImportState
    /// While receiving: bytes (rows for a model) received of the announced
    /// size; while committing: the commit's stage and how far it is.
    public var progress: ProgressReport?
    public var startedAt: Double?
    public var finishedAt: Double?
    /// A committed import's `import_commit` answer.
    public var result: ImportCommitResult?
    /// A committed model import's `import_model_commit` answer.
    public var model: ImportModelResult?
    /// Why it failed or was aborted.
    public var error: WireError?

    public init(import token: String, kind: ImportTarget, state: ImportState, progress: ProgressReport? = nil,
                startedAt: Double? = nil, finishedAt: Double? = nil, result: ImportCommitResult? = nil,
                model: ImportModelResult? = nil, error: WireError? = nil) {
        self.import = token; self.kind = kind; self.state = state; self.progress = progress
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.result = result; self.model = model; self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case `import`, kind, state, progress, result, model, error
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}
