import Testing

@Test func MFCoreBuilds() { #expect(Bool(true)) }
