import Testing

@Test func MFClientBuilds() { #expect(Bool(true)) }
