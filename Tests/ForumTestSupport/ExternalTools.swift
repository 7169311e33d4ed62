import Foundation

/// Files of the repository the tests read, found from this source file.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The programme shipped in `Agenda/`.
    public static let agenda = root.appendingPathComponent("Agenda")
}

/// Validators the tests run as a person would: `xmllint` and Debian's Python with `jsonschema`
/// and `yaml` (the README's commands install them).
public enum ExternalTool {
    /// Runs the program; its status, its standard output and its standard error (zbarimg, for
    /// one, complains there about D-Bus while its answer goes to the output).
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self), String(decoding: complained, as: UTF8.self))
    }

    /// Runs a Python script with these arguments under Debian's `/usr/bin/python3`.
    public static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        try run("/usr/bin/python3", ["-W", "ignore", "-c", script] + arguments)
    }

    /// Writes `data` to a new temporary file and returns its path.
    public static func temporaryFile(_ data: Data, named name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return url.path
    }
}
