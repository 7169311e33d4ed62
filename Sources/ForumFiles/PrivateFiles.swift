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

        /// The system's error in Russian where a person can act on it, with the system's words.
        static func described(_ code: Int32) -> String {
            let words = String(cString: strerror(code))
            switch code {
            case EACCES, EPERM, EROFS: return "нет прав на запись (\(words)): проверьте права на файл и папку"
            case ENOSPC, EDQUOT: return "на диске нет места (\(words))"
            case ENOENT: return "нет такой папки (\(words))"
            default: return words
            }
        }

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
        guard descriptor >= 0 else { throw .system(Failure.described(errno)) }
        close(descriptor)
    }

    /// Makes a new or renamed entry in the folder holding `path` survive a power cut.
    public static func synchronizeFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// A new file at `path` open for writing, never over an existing one.
    public static func createNew(at path: String) throws(Failure) -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw errno == EEXIST ? .exists : .system(Failure.described(errno)) }
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
