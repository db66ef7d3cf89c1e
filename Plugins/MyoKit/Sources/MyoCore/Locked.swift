#if canImport(Glibc)
import Glibc
#endif

/// A value shared between threads, reached only under a lock.
///
/// A pthread mutex rather than the standard library's `Synchronization.Mutex`: on Linux that one
/// waits on raw futexes, which ThreadSanitizer cannot see, so every access it protects was
/// reported as a data race (scripts/sanitize thread). pthread mutexes are intercepted, so a
/// real race stays visible among none that are false.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
