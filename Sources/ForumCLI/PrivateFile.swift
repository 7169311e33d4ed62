import ForumFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that appears whole or not at all and is readable by its owner only (0600): rosters
/// carry e-mails and phones. The content goes to a temporary file beside the target, which is
/// renamed over it at the end; creating it first proves the place is writable.
struct PrivateFile {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".tmp-\(getpid())"
        do {
            handle = try PrivateFiles.createNew(at: temporaryPath)
        } catch {
            throw CLIError.refused("\(path): не удаётся записать файл: \(error.reason)")
        }
    }

    /// Writes `data`, flushes it to disk and puts the file in place.
    func finish(with data: Data) throws {
        try append(data)
        try finish()
    }

    /// Adds to the content (a PDF written page by page).
    func append(_ data: some DataProtocol) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            discard()
            throw CLIError.refused("\(path): не удаётся записать файл: \(error.localizedDescription)")
        }
    }

    /// Flushes what was written to disk and puts the file in place.
    func finish() throws {
        do {
            try handle.synchronize()
            try handle.close()
            guard rename(temporaryPath, path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            discard()
            throw CLIError.refused("\(path): не удаётся записать файл: \(error.localizedDescription)")
        }
    }

    /// Leaves the target as it was.
    func discard() {
        try? handle.close()
        unlink(temporaryPath)
    }
}

/// Writes to the file (see `PrivateFile`), or to stdout when `path` is `nil` or `-`. A device or
/// pipe named as the output (`/dev/stdout`) is written to as it is.
func writeOutput(_ data: Data, to path: String?) throws {
    guard let path, path != "-" else {
        FileHandle.standardOutput.write(data)
        return
    }
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIError.refused("\(path): не удаётся записать файл")
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        return
    }
    try PrivateFile(path: path).finish(with: data)
}
