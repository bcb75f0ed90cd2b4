import Foundation

/// The package and the executables of the build configuration under test.
///
/// `swift test` (or `swift test -c release`) builds the test bundle and, as
/// the test targets depend on them, mfd, mfctl, mfbench and mfreliability of
/// the same configuration into the same directory; the suites run those,
/// never whatever another configuration left in `.build/debug`.
public enum Tools {
    /// The package root, found from this file's path (Sources/MFTestSupport/…).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory of the running test bundle, where its configuration's products are.
    public static let productsDirectory: URL = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return exe.deletingLastPathComponent()
    }()

    /// The path of `product` built with the test bundle.
    public static func path(_ product: String) -> String { productsDirectory.appendingPathComponent(product).path }

    public static let mfd = path("mfd")
    public static let mfctl = path("mfctl")
    public static let mfbench = path("mfbench")
    public static let mfreliability = path("mfreliability")
}

/// `../shared`: MovieLens and its splits, beside the package root (never copied
/// into the project). Tests that need it are `.enabled(if:)` on `has`, so the
/// runner reports them as skipped when it is absent.
public enum SharedData {
    public static let root = Tools.packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The absolute path of `relative` under `../shared`.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Whether `relative` exists under `../shared`.
    public static func has(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// MovieLens latest-small (2016 snapshot): ratings.csv, movies.csv, users.csv.
    public static let movieLensSmall = path("data/ml-latest-small-2016")
    public static let hasMovieLensSmall = has("data/ml-latest-small-2016/ratings.csv")
}

/// python3 with numpy, for the tests that load exported `.npy` files.
public enum Python {
    public static let hasNumpy: Bool = {
        guard let r = try? ChildProcess.run("/usr/bin/env", ["python3", "-c", "import numpy"], timeout: 60) else { return false }
        return r.status == 0
    }()
}
