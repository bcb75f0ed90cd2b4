/// A test helper's failure (a child that did not answer, a daemon that did not start), with what happened.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
