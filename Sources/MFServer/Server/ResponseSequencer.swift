import NIOCore

/// Keeps responses in request order when they complete out of order.
///
/// Pure state machine: `reserve()` hands out increasing sequence numbers,
/// `complete(_:with:)` fills a slot, `popReady()` yields the head while it is
/// filled. `inFlight` counts reserved slots not yet popped; `bufferedBytes`
/// the bytes of completed responses waiting for an earlier one.
struct ResponseSequencer {
    private var slots = CircularBuffer<ByteBuffer?>(initialCapacity: 16)
    private var headSeq: UInt64 = 0
    private(set) var bufferedBytes = 0

    var inFlight: Int { slots.count }
    var isEmpty: Bool { slots.isEmpty }

    /// The oldest reserved slot's number while its reply has not come yet.
    var awaitedHead: UInt64? {
        guard let first = slots.first, first == nil else { return nil }
        return headSeq
    }

    mutating func reserve() -> UInt64 {
        slots.append(nil)
        return headSeq &+ UInt64(slots.count - 1)
    }

    mutating func complete(_ seq: UInt64, with response: ByteBuffer) {
        let offset = Int(seq &- headSeq)
        precondition(offset >= 0 && offset < slots.count, "completed an unknown sequence number")
        let index = slots.index(slots.startIndex, offsetBy: offset)
        precondition(slots[index] == nil, "completed a sequence number twice")
        slots[index] = response
        bufferedBytes += response.readableBytes
    }

    mutating func popReady() -> ByteBuffer? {
        guard let first = slots.first, let response = first else { return nil }
        slots.removeFirst()
        headSeq &+= 1
        bufferedBytes -= response.readableBytes
        return response
    }
}
