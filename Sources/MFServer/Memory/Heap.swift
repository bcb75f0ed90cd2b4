#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator knobs the daemon uses, looked up at run time (Swift's
/// Glibc module does not export `malloc.h`). Elsewhere they do nothing.
public enum Heap {
    #if canImport(Glibc)
    private typealias TrimFunction = @convention(c) (Int) -> Int32
    private typealias OptFunction = @convention(c) (Int32, Int32) -> Int32
    nonisolated(unsafe) private static let libc = dlopen(nil, RTLD_NOW)
    private static let trimFunction = dlsym(libc, "malloc_trim").map { unsafeBitCast($0, to: TrimFunction.self) }
    private static let optFunction = dlsym(libc, "mallopt").map { unsafeBitCast($0, to: OptFunction.self) }
    #endif

    /// Caps malloc's arenas (`M_ARENA_MAX`). glibc makes up to 8 per core, and
    /// each keeps the pages its threads freed: at 5M ratings a restarted mfd
    /// held 390 MB resident with the default and 309 MB with one arena
    /// (docs/operations.md, memory). Call before the threads start.
    public static func limitArenas(_ count: Int32) {
        #if canImport(Glibc)
        _ = optFunction?(-8, count)  // M_ARENA_MAX
        #endif
    }

    /// Returns the free pages of every arena to the system (`malloc_trim(0)`):
    /// after a load, an import or a training, whose transient arrays are gone.
    public static func trim() {
        #if canImport(Glibc)
        _ = trimFunction?(0)
        #endif
    }
}
