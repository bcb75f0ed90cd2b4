#if canImport(Glibc)
import Glibc
#endif

/// This process's user + system CPU seconds (the machine is shared: wall time
/// alone misleads, and the client's own CPU shows it is not the bottleneck).
func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}
