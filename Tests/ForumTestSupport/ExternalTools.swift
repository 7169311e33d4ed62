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
    /// Runs the program; its status and everything it printed.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Runs a Python script with these arguments under Debian's `/usr/bin/python3`.
    public static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try run("/usr/bin/python3", ["-W", "ignore", "-c", script] + arguments)
    }

    /// Writes `data` to a new temporary file and returns its path.
    public static func temporaryFile(_ data: Data, named name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return url.path
    }
}
