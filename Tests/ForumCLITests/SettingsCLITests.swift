import Foundation
import Testing

/// Settings and option values the `forum` binary must refuse, with the exit code scripts rely on.
@Suite(.serialized) struct SettingsCLITests {
    let forum: ForumProcess

    init() throws {
        forum = try ForumProcess()
    }

    private func serve(_ arguments: [String] = [], environment: [String: String] = [:], config: String? = nil) throws -> ForumProcess.Result {
        if let config { try forum.write(Data(config.utf8), to: "forum.json") }
        return try forum.run(
            ["serve"] + arguments + (config == nil ? [] : ["--config", "forum.json"]),
            environment: ["FORUM_DATABASE": forum.directory.appendingPathComponent("forum.sqlite").path].merging(environment) { $1 }
        )
    }

    @Test func aPortThatDoesNotParseIsRefusedNamingItsSource() throws {
        let result = try serve(environment: ["FORUM_HTTP_PORT": "80a"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("http.port"))
        #expect(result.stderr.contains("FORUM_HTTP_PORT"))
        #expect(result.stderr.contains("«80a»"))
        let fromFile = try serve(config: #"{"http": {"port": "восемь"}}"#)
        #expect(fromFile.status == 1)
        #expect(fromFile.stderr.contains("http.port") && fromFile.stderr.contains("forum.json"))
    }

    @Test func aPortOutOfRangeIsRefused() throws {
        let option = try serve(["--port", "99999"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("99999"))
        let environment = try serve(environment: ["FORUM_HTTP_PORT": "70000"])
        #expect(environment.status == 1)
        #expect(environment.stderr.contains("http.port"))
    }

    @Test func anUnknownLogLevelIsRefused() throws {
        let result = try serve(environment: ["FORUM_LOG_LEVEL": "loud"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("log.level") && result.stderr.contains("FORUM_LOG_LEVEL") && result.stderr.contains("«loud»"))
    }

    @Test func everyOptionValueThatDoesNotParseIsWrongUsage() throws {
        for arguments in [
            ["participants", "list", "--status", "gone"],
            ["participants", "list", "--category", "зритель"],
            ["participants", "list", "--region", "Атлантида"],
            ["participants", "list", "--page", "0"],
            ["participants", "export", "--region", "Атлантида"],
            ["tokens", "create", "--role", "boss", "--name", "x"],
        ] {
            let result = try forum.run(arguments, environment: ["FORUM_DATABASE": forum.directory.appendingPathComponent("forum.sqlite").path])
            #expect(result.status == 2, "\(arguments.joined(separator: " ")): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
        // A field's value is data, not usage: refused with exit 1.
        let data = try forum.run("participants", "add", "--last-name", "Иванов", "--first-name", "Иван",
                                 "--email", "i@mail.ru", "--region", "Атлантида", "--municipality", "Город")
        #expect(data.status == 1 && data.stderr.contains("regionCode"))
    }
}
