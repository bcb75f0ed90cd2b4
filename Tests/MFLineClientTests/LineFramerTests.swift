import Testing
@testable import MFLineClient

@Suite struct LineFramerTests {
    @Test func splitsAcrossChunks() {
        var f = LineFramer(maxLineBytes: 10)
        f.append(Array("ab".utf8))
        #expect(f.next() == nil)
        f.append(Array("c\n\nde\nf".utf8))
        #expect(f.next() == .line(Array("abc".utf8)[...]))
        #expect(f.next() == .line([]))
        #expect(f.next() == .line(Array("de".utf8)[...]))
        #expect(f.next() == nil)
        #expect(f.pending == 1)
    }

    @Test func tooLongWithAndWithoutNewline() {
        var f = LineFramer(maxLineBytes: 4)
        f.append(Array("abcd\n".utf8))
        #expect(f.next() == .line(Array("abcd".utf8)[...]))
        f.append(Array("abcde".utf8))
        #expect(f.next() == .tooLong)
        #expect(f.next() == nil)
        var g = LineFramer(maxLineBytes: 4)
        g.append(Array("abcde\nx\n".utf8))
        #expect(g.next() == .tooLong)
    }
}
