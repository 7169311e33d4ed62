import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files readable by their owner only (0600): the forum's database, the badge key, a desk's
/// copy of the list, rosters — names, e-mails and secrets. The one place that creates them.
public enum PrivateFiles {
    /// Why a private file could not be made.
    public enum Failure: Error, Sendable, Hashable {
        /// `createNew` found a file already there.
        case exists
        /// What the system said (`strerror`).
        case system(String)

        /// The reason in words.
        public var reason: String {
            switch self {
            case .exists: "файл уже существует"
            case .system(let reason): reason
            }
        }
    }

    /// Creates the file at `path` if it is missing (an existing one is left as it is): SQLite
    /// then opens it, and gives its journal files the same mode.
    public static func create(at path: String) throws(Failure) {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(String(cString: strerror(errno))) }
        close(descriptor)
    }

    /// A new file at `path` open for writing, never over an existing one.
    public static func createNew(at path: String) throws(Failure) -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw errno == EEXIST ? .exists : .system(String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Writes `data` into a new file at `path` and flushes it to disk; on failure nothing is left.
    public static func write(_ data: Data, to path: String) throws(Failure) {
        let handle = try createNew(at: path)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            unlink(path)
            throw .system(error.localizedDescription)
        }
    }
}
