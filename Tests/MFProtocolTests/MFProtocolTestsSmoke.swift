import Testing

@Test func MFProtocolBuilds() { #expect(Bool(true)) }
