import ForumTestSupport
import Foundation
import Testing

/// Backups, restore and the database's state as an organiser meets them at the terminal.
@Suite(.serialized) struct BackupCLITests {
    let forum: ForumProcess

    init() throws {
        forum = try ForumProcess()
    }

    private func path(_ name: String) -> String { forum.directory.appendingPathComponent(name).path }

    @Test func migrateSaysWhatItWillApplyAndStatusShowsTheForum() throws {
        let dryRun = try forum.run("db", "migrate", "--dry-run")
        #expect(dryRun.status == 0 && dryRun.stderr.contains("будут применены миграции (15): v1 participants and tokens"), "\(dryRun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("forum.sqlite")), "a dry run creates nothing")
        #expect(try forum.run("db", "migrate").stdout.contains("версия схемы: v15 sign-up by participants"))
        #expect(try forum.run("db", "migrate").stderr.contains("схема актуальна, применять нечего"))

        #expect(try forum.run("demo", "roster", "--count", "20", "--seed", "3", "--output", "roster.csv").status == 0)
        #expect(try forum.run("participants", "import", "roster.csv").status == 0)
        let status = try forum.run("db", "status", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["registered"] as? Int == 20)
        #expect((object["migrations"] as? [String])?.last == "v15 sign-up by participants" && object["knownMigrations"] as? Int == 15)
        #expect(object["lastBackup"] == nil)
        #expect(try forum.run("db", "status").stdout.contains("Последняя копия:   не делалась"))
    }

    @Test func aServedForumIsBackedUpButNotRestoredOverAndAfterTheServerStopsItIs() throws {
        #expect(try forum.run("demo", "roster", "--count", "30", "--seed", "4", "--output", "roster.csv").status == 0)
        #expect(try forum.run("participants", "import", "roster.csv").status == 0)
        let port = try LocalSocket.freePort()
        let server = try RunningForum(["serve", "--port", String(port)], in: forum.directory)
        try server.waitUntil("the server to listen") { _, errors in errors.contains("http://127.0.0.1:\(port)") }

        let backup = try forum.run("backup", "--out", "copy.sqlite")
        #expect(backup.status == 0 && backup.stdout.contains("integrity_check: ok"), "\(backup.stderr)")
        #expect(try forum.run("backup", "--out", "copy.sqlite").status == 1, "never over an existing copy")
        #expect(try forum.run("participants", "cancel", "1").status == 0)

        let refused = try forum.run("restore", "copy.sqlite")
        #expect(refused.status == 1 && refused.stderr.contains("держит открытой работающий forum serve"), "\(refused.stderr)")
        let second = try forum.run(["serve", "--port", String(try LocalSocket.freePort())], environment: ["FORUM_DATABASE": path("forum.sqlite")])
        #expect(second.status == 1 && second.stderr.contains("держит открытой"), "a second server on the same forum: \(second.stderr)")
        #expect(server.stop() == 0)

        let restored = try forum.run("restore", "copy.sqlite", "--json")
        #expect(restored.status == 0, "\(restored.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(restored.stdout.utf8)) as? [String: String])
        let kept = try #require(answer["kept"])
        #expect(!FileManager.default.fileExists(atPath: path("copy.sqlite-wal")), "a copy is one file, left as it was")
        #expect(kept.hasPrefix(path("forum.sqlite") + ".before-restore-"))
        let now = try forum.run("db", "status", "--json")
        #expect((try JSONSerialization.jsonObject(with: Data(now.stdout.utf8)) as? [String: Any])?["cancelled"] as? Int == 0, "as in the copy, before the cancellation")
        let replaced = try forum.run("db", "status", "--json", "--database", kept)
        #expect((try JSONSerialization.jsonObject(with: Data(replaced.stdout.utf8)) as? [String: Any])?["cancelled"] as? Int == 1)
        #expect(try forum.run("db", "status", "--database", kept).stdout.contains(path("copy.sqlite")), "the forum noted its backup, by its absolute path")
    }

    @Test func scheduledBackupSettingsOutOfRangeStopTheServer() throws {
        let result = try forum.run(["serve", "--port", "0"], environment: ["FORUM_DATABASE": path("forum.sqlite"), "FORUM_BACKUP_EVERY": "5000"])
        #expect(result.status != 0 && result.stderr.contains("backup.every"), "\(result.stderr)")
    }
}
