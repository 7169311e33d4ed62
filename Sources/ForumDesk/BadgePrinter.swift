import ForumFiles
import Foundation

/// The desk's printer, through CUPS' `lp` (Debian's `cups-client`), found on the PATH: a
/// reprinted badge is handed to it as a PDF in a private temporary file, removed once `lp` has
/// taken it into the spool.
public struct BadgePrinter: Sendable {
    /// The CUPS printer's name (`lpstat -p` lists them).
    public let name: String
    /// The longest wait for `lp` to take the job.
    static let patience: TimeInterval = 30

    public init(name: String) {
        self.name = name
    }

    /// Sends `pdf` to the printer as a job titled `title`; what `lp` said (its request id).
    public func print(_ pdf: Data, title: String) throws(DeskPrintError) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-badge-\(UUID().uuidString).pdf").path
        do {
            try PrivateFiles.write(pdf, to: path)
        } catch {
            throw DeskPrintError("не записан временный файл бейджа: \(error.reason)")
        }
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lp", "-d", name, "-t", title, "--", path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw DeskPrintError("lp не запускается: \(error.localizedDescription)")
        }
        let deadline = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.patience, execute: deadline)
        let said = output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        deadline.cancel()
        let words = { (data: Data) in String(decoding: data.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let reason = words(complained).isEmpty ? "код \(process.terminationStatus)" : words(complained)
            throw DeskPrintError(process.terminationStatus == 127 ? "нет программы lp (apt-get install cups-client)" : "принтер «\(name)» не принял бейдж: \(reason)")
        }
        return words(said)
    }
}

/// Why a badge did not reach the printer, in words for the desk's screen.
public struct DeskPrintError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
