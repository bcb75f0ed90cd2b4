import Testing
@testable import MFProtocol

struct RawArgumentsTests {
    private func argv(_ parts: [UInt8]...) -> [[UInt8]] { [Array("mfd".utf8)] + parts }

    @Test func validUTF8PassesIncludingEmptyAndNonASCII() {
        #expect(RawArguments.nonUTF8Problem(argv(Array("--db".utf8), Array("é.sqlite".utf8), [])) == nil)
        #expect(RawArguments.nonUTF8Problem([[0xFF]]) == nil, "the program name is not checked")
    }

    @Test func namesTheFlagOfABadValue() {
        let bad: [UInt8] = [0x2F, 0x74, 0xFF, 0xFE]
        #expect(RawArguments.nonUTF8Problem(argv(Array("--db".utf8), bad))?.hasPrefix("--db: ") == true)
        #expect(RawArguments.nonUTF8Problem(argv(Array("--socket=".utf8) + bad))?.hasPrefix("--socket: ") == true)
        #expect(RawArguments.nonUTF8Problem(argv(Array("import".utf8), Array("ratings".utf8), bad))?
                    .hasPrefix("argument 3: ") == true)
        // A truncated multi-byte sequence is as bad as a stray byte.
        #expect(RawArguments.nonUTF8Problem(argv(Array("--db".utf8), [0xC3])) != nil)
    }
}
