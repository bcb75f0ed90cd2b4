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

    /// Caps malloc's arenas (`M_ARENA_MAX`) and fixes the size from which it maps
    /// memory of its own (`M_MMAP_THRESHOLD`), so that the daemon's large,
    /// short-lived arrays go back to the system when freed. glibc makes up to 8
    /// arenas per core, each keeping the pages its threads freed, and raises the
    /// threshold to the largest block freed so far (up to 32 MiB), after which a
    /// retrain's 25 MB arrays stayed in the heap: at 5M ratings a restarted mfd
    /// held 390 MB resident with the defaults and 290 MB with 2 arenas, and a
    /// retrain peaked at 610 MB with a moving threshold and 525 MB with 4 MiB
    /// (docs/operations.md, memory). Call before the threads start.
    public static func configure(arenas: Int32 = 2, mmapThreshold: Int32 = 4 << 20) {
        #if canImport(Glibc)
        _ = optFunction?(-8, arenas)  // M_ARENA_MAX
        _ = optFunction?(-3, mmapThreshold)  // M_MMAP_THRESHOLD
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
