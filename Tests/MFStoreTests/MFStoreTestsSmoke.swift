import Testing

@Test func MFStoreBuilds() { #expect(Bool(true)) }
