import Foundation
import MFTestSupport
import Testing
@testable import MFClient

struct NPYTests {
    @Test(arguments: [[3, 4], [1, 64], [9066, 65], [5]])
    func headerParsesBack(_ shape: [Int]) throws {
        let h = NPY.header(dtype: .float32, shape: shape)
        #expect(h.count % 64 == 0)
        let parsed = try #require(NPY.parseHeader(h))
        #expect(parsed.descr == "<f4")
        #expect(parsed.shape == shape)
        #expect(parsed.dataOffset == h.count)
    }

    @Test(.enabled(if: Python.hasNumpy, "needs python3 with numpy (the header test above runs without it)"))
    func loadsInNumpy() throws {
        let path = "/tmp/mfc-npy-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).npy"
        defer { unlink(path) }
        var bytes = NPY.header(dtype: .float32, shape: [2, 3])
        NPY.append([1, 2, 3, 4, 5, 6.5], to: &bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let p = try ChildProcess.run("/usr/bin/env", ["python3", "-c",
            "import numpy,sys; a=numpy.load(sys.argv[1]); assert a.shape==(2,3) and a.dtype==numpy.float32 and a[1,2]==6.5, a", path])
        #expect(p.status == 0, "\(p)")
    }
}
