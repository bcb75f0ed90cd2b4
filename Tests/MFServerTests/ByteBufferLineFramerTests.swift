import NIOCore
import Testing
@testable import MFServer

@Suite struct ByteBufferLineFramerTests {
    private func lines(_ framer: inout ByteBufferLineFramer) -> [String] {
        var out: [String] = []
        while case .line(let l) = framer.next() { out.append(String(buffer: l)) }
        return out
    }

    @Test func splitsLinesAcrossChunks() {
        var framer = ByteBufferLineFramer(maxLineBytes: 100)
        framer.append(ByteBuffer(string: "ab\ncd"))
        #expect(lines(&framer) == ["ab"])
        #expect(framer.bufferedBytes == 2)
        framer.append(ByteBuffer(string: "e\n\nf\n"))
        #expect(lines(&framer) == ["cde", "", "f"])
        #expect(framer.bufferedBytes == 0)
        #expect(framer.next() == .needMoreData)
    }

    @Test func finishYieldsTheUnterminatedLastLine() {
        var framer = ByteBufferLineFramer(maxLineBytes: 100)
        framer.append(ByteBuffer(string: "a\nlast"))
        #expect(lines(&framer) == ["a"])
        #expect(framer.finish().map { String(buffer: $0) } == "last")
        #expect(framer.finish() == nil)
    }

    @Test func lineOfExactlyTheLimitPasses() {
        var framer = ByteBufferLineFramer(maxLineBytes: 4)
        framer.append(ByteBuffer(string: "abcd\n"))
        #expect(lines(&framer) == ["abcd"])
    }

    @Test func overLongCompleteLineIsRejected() {
        var framer = ByteBufferLineFramer(maxLineBytes: 4)
        framer.append(ByteBuffer(string: "ok\nabcde\n"))
        #expect(framer.next() == .line(ByteBuffer(string: "ok")))
        #expect(framer.next() == .tooLong)
    }

    @Test func overLongPartialLineIsRejectedWithoutWaitingForNewline() {
        var framer = ByteBufferLineFramer(maxLineBytes: 8)
        framer.append(ByteBuffer(string: "12345"))
        #expect(framer.next() == .needMoreData)
        framer.append(ByteBuffer(string: "6789"))
        #expect(framer.next() == .tooLong)
    }
}

@Suite struct ResponseSequencerTests {
    @Test func releasesInRequestOrder() {
        var s = ResponseSequencer()
        let a = s.reserve(), b = s.reserve(), c = s.reserve()
        #expect(s.inFlight == 3)
        s.complete(c, with: ByteBuffer(string: "c"))
        #expect(s.popReady() == nil)
        s.complete(a, with: ByteBuffer(string: "a"))
        #expect(s.popReady().map { String(buffer: $0) } == "a")
        #expect(s.popReady() == nil)
        s.complete(b, with: ByteBuffer(string: "b"))
        #expect(s.popReady().map { String(buffer: $0) } == "b")
        #expect(s.popReady().map { String(buffer: $0) } == "c")
        #expect(s.isEmpty)
        let d = s.reserve()
        #expect(d == 3)
    }
}
