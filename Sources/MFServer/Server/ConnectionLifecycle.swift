/// Where one connection is in its life: the state machine behind
/// `LineConnectionHandler`, kept apart from its I/O so each move is checked.
///
///     open ──quiesce / input closed──▶ draining ──drained──▶ closing ──▶ closed
///       └──────────── error line, channel error ────────────▶ closing
///     (any) ──channel inactive / handler removed──▶ closed
///
/// `open` reads and answers; `draining` reads nothing more but answers what
/// it holds; `closing` dispatches nothing and answers nothing more while its
/// last write goes out; `closed` drops whatever completes late.
struct ConnectionLifecycle: Equatable {
    /// Why a connection stopped reading requests.
    struct DrainCause: OptionSet, Equatable {
        let rawValue: UInt8
        /// The server is shutting down (`ChannelShouldQuiesceEvent`).
        static let quiescing = DrainCause(rawValue: 1)
        /// The peer shut its write side: its last line may lack a newline.
        static let inputClosed = DrainCause(rawValue: 2)
    }

    enum State: Equatable {
        /// Reading and answering. `readPending`: NIO asked for a read while backpressure held it back.
        case open(readPending: Bool)
        case draining(DrainCause)
        case closing
        case closed
    }

    private(set) var state = State.open(readPending: false)

    /// Lines are still taken from the buffer and answered (`open` or `draining`).
    var dispatches: Bool {
        switch state {
        case .open, .draining: true
        case .closing, .closed: false
        }
    }

    /// New bytes may be read from the socket.
    var reads: Bool { if case .open = state { true } else { false } }

    /// The peer half-closed: what is buffered is all there will be.
    var inputClosed: Bool { if case .draining(let cause) = state { cause.contains(.inputClosed) } else { false } }

    /// Stops reading for `cause`; a second cause adds to the first. False (no
    /// move) once closing or closed: there is nothing left to drain.
    mutating func drain(_ cause: DrainCause) -> Bool {
        switch state {
        case .open: state = .draining(cause)
        case .draining(let causes): state = .draining(causes.union(cause))
        case .closing, .closed: return false
        }
        return true
    }

    /// Notes that NIO asked for a read the handler held back. True when this
    /// starts a pause (the first held read since the last one was issued).
    mutating func holdRead() -> Bool {
        guard case .open(let pending) = state else { return false }
        state = .open(readPending: true)
        return !pending
    }

    /// Takes the held read, if there is one, so the handler issues it now.
    mutating func releaseHeldRead() -> Bool {
        guard case .open(true) = state else { return false }
        state = .open(readPending: false)
        return true
    }

    /// Starts the last write before the close. False when a close is already
    /// under way (or done): the caller must not write or close again.
    mutating func startClosing() -> Bool {
        guard dispatches else { return false }
        state = .closing
        return true
    }

    /// The drain is complete: only a draining connection may move on this way.
    mutating func drained() {
        guard case .draining = state else { preconditionFailure("drained() in state \(state)") }
        state = .closing
    }

    /// The channel went inactive or the handler was removed.
    mutating func closed() { state = .closed }
}
