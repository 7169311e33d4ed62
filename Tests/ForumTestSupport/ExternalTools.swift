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

/// A certificate authority of the venue and a server certificate it signed for 127.0.0.1 and
/// localhost, made with `openssl` as an organiser would (PEM files in a temporary folder).
public struct VenueCertificates: Sendable {
    public let authority: String
    public let certificate: String
    public let key: String

    public init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        authority = path("venue-ca.pem")
        certificate = path("server.pem")
        key = path("server.key")
        try Data("subjectAltName=IP:127.0.0.1,DNS:localhost\n".utf8).write(to: URL(fileURLWithPath: path("san.ext")))
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("venue-ca.key"), "-out", authority,
             "-days", "2", "-subj", "/CN=forumops test venue CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", path("server.csr"), "-CA", authority, "-CAkey", path("venue-ca.key"), "-CAcreateserial", "-out", certificate,
             "-days", "2", "-extfile", path("san.ext")],
        ]
        for step in steps {
            let result = try ExternalTool.run("/usr/bin/openssl", step)
            guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(step[0]): \(result.errors)"]) }
        }
    }
}
