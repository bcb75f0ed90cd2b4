import Testing

@Test func MFServerBuilds() { #expect(Bool(true)) }
