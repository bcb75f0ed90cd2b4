import Foundation
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

    @Test func loadsInNumpyWhenPresent() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { return }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import numpy"]
        check.standardError = FileHandle.nullDevice
        try check.run(); check.waitUntilExit()
        guard check.terminationStatus == 0 else { return }  // numpy absent: the header test above still runs

        let path = "/tmp/mfc-npy-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).npy"
        defer { unlink(path) }
        var bytes = NPY.header(dtype: .float32, shape: [2, 3])
        NPY.append([1, 2, 3, 4, 5, 6.5], to: &bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import numpy,sys; a=numpy.load(sys.argv[1]); assert a.shape==(2,3) and a.dtype==numpy.float32 and a[1,2]==6.5, a", path]
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}
