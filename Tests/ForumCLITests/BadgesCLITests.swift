import ForumTestSupport
import Foundation
import Testing

/// `forum keys …` and `forum badges …` as an organiser runs them.
@Suite(.serialized) struct BadgesCLITests {
    let forum: ForumProcess

    init() throws {
        forum = try ForumProcess()
    }

    @Test func aKeyBesideTheDatabaseSignsBadgesAndAReprintRevokesTheOldCode() throws {
        #expect(try forum.run("participants", "add", "--last-name", "Ёлкина", "--first-name", "Алёна", "--email", "elkina@mail.ru",
                              "--region", "16", "--municipality", "Казань").status == 0)
        let missing = try forum.run("badges", "code", "1")
        #expect(missing.status == 1 && missing.stderr.contains("forum keys init"))
        let created = try forum.run("keys", "init")
        #expect(created.status == 0)
        let keyFile = forum.directory.appendingPathComponent("forum.key").path  // beside FORUM_DATABASE's forum.sqlite
        #expect((try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int) == 0o600)
        #expect(try forum.run("keys", "init").status == 1)  // never overwritten
        let publicKey = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try forum.run("keys", "public").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == publicKey)

        let first = try forum.run("badges", "code", "1", "--qr", "badge.png")
        #expect(first.status == 0)
        let scanned = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", forum.directory.appendingPathComponent("badge.png").path])
        #expect(scanned.output.trimmingCharacters(in: .whitespacesAndNewlines) == first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let reprint = try forum.run("badges", "reprint", "1")
        #expect(reprint.status == 0 && reprint.stderr.contains("серия 2"))
        #expect(reprint.stdout != first.stdout)
        #expect(try forum.run("participants", "show", "1").stdout.contains("Серия бейджа: 2"))

        // Every registered participant's current code at once: the reprinted one in its new version.
        let all = try forum.run("badges", "code", "--all")
        #expect(all.status == 0 && all.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1 " + reprint.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let json = try forum.run("badges", "code", "--all", "--json")
        let entries = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]]
        #expect(entries?.first?["participant"] == "1" && entries?.first?["code"] == reprint.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try forum.run("badges", "code").status == 2 && forum.run("badges", "code", "1", "--all").status == 2)
    }

    @Test func printingWritesOnePDFSortedAndFiltered() throws {
        try forum.write(try Data(contentsOf: Repository.root.appendingPathComponent("Config/badge.json")), to: "badge.json")
        #expect(try forum.run("demo", "roster", "--count", "30", "--output", "roster.csv").status == 0)
        #expect(try forum.run("participants", "import", "roster.csv").status == 0)
        #expect(try forum.run("keys", "init").status == 0)
        let printed = try forum.run("badges", "print", "--out", "badges.pdf", "--sort", "region")
        #expect(printed.status == 0 && printed.stderr.contains("Бейджей: 30"))
        let file = forum.directory.appendingPathComponent("badges.pdf").path
        #expect(try ExternalTool.run("/usr/bin/pdfinfo", [file]).output.contains("Pages:           30"))
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        #expect(try forum.run("badges", "print", "--out", "sheets.pdf", "--sheet", "a4").status == 0)
        #expect(try ExternalTool.run("/usr/bin/pdfinfo", [forum.directory.appendingPathComponent("sheets.pdf").path]).output.contains("Pages:           8"))
        let speakers = try forum.run("badges", "print", "--out", "speakers.pdf", "--category", "спикер")
        #expect(speakers.status == 0 && !speakers.stderr.contains("Бейджей: 30"))
        #expect(try forum.run("badges", "print", "--out", "x.pdf", "--sort", "shoe-size").status == 2)
    }
}

/// `forum checkins …` as an organiser runs them.
@Suite(.serialized) struct CheckInsCLITests {
    let forum: ForumProcess

    init() throws {
        forum = try ForumProcess()
    }

    @Test func listsOpeningRestrictionTheTrailAndAnnulment() throws {
        #expect(try forum.run("participants", "add", "--last-name", "Ёлкина", "--first-name", "Алёна", "--email", "elkina@mail.ru",
                              "--region", "16", "--municipality", "Казань").status == 0)
        let lists = try forum.run("checkins", "lists")
        #expect(lists.status == 0 && lists.stdout.contains("entrance") && lists.stdout.contains("закрыт (нет программы)"))
        #expect(try forum.run("checkins", "open", "entrance", "--until", "2099-01-01 10:00").status == 0)
        #expect(try forum.run("checkins", "open", "entrance", "--until", "в полдень").status == 2)
        #expect(try forum.run("checkins", "restrict", "entrance", "--category", "спикер", "--category", "press").stdout.contains("Пресса, Спикер"))
        #expect(try forum.run("checkins", "restrict", "entrance").stdout.contains("все категории"))
        #expect(try forum.run("checkins", "open", "nowhere", "--until", "10:00").status == 1)
        let trail = try forum.run("checkins", "list", "--json")
        #expect(trail.status == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(trail.stdout.utf8)) as? [Any])?.isEmpty == true)
        #expect(try forum.run("checkins", "annul", "1", "--reason", "ошибка").status == 1)  // there is none yet
    }

    @Test func organisersAddEditAndRemoveTheirOwnLists() throws {
        let added = try forum.run("checkins", "lists", "add", "bus", "--title", "Трансфер «ВДНХ — гостиница»", "--from", "2027-01-15 07:00",
                                  "--until", "2027-01-16 22:00", "--many", "--category", "участник")
        #expect(added.status == 0 && added.stderr.contains("проход много раз") && added.stderr.contains("Участник"), "\(added.stderr)")
        let lunch = try forum.run("checkins", "lists", "add", "lunch-15", "--title", "Обед", "--from", "2027-01-15 12:30", "--until", "15:00", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lunch.stdout.utf8)) as? [String: Any])
        #expect(object["repeatable"] as? Bool == false && (object["hours"] as? [Any])?.count == 1)
        let shown = try forum.run("checkins", "lists")
        #expect(shown.stdout.contains("15.01 07:00–16.01 22:00") && shown.stdout.contains("много раз") && shown.stdout.contains("15.01 12:30–15:00"))
        // Refusals name the field: a taken slug, hours the wrong way round, a slug that is not one, a list that is the programme's.
        #expect(try forum.run("checkins", "lists", "add", "entrance", "--title", "x", "--from", "2027-01-15 07:00", "--until", "08:00").stderr.contains("уже занят"))
        #expect(try forum.run("checkins", "lists", "add", "late", "--title", "x", "--from", "2027-01-15 07:00", "--until", "06:00").stderr.contains("until:"))
        #expect(try forum.run("checkins", "lists", "add", "Обед", "--title", "x", "--from", "2027-01-15 07:00", "--until", "08:00").status == 1)
        #expect(try forum.run("checkins", "lists", "add", "x", "--title", "x").status == 2)
        #expect(try forum.run("checkins", "lists", "edit", "entrance", "--title", "y").stderr.contains("следует программе"))
        let edited = try forum.run("checkins", "lists", "edit", "bus", "--once", "--all-categories", "--until", "2027-01-15 23:00")
        #expect(edited.status == 0 && edited.stderr.contains("один проход") && edited.stderr.contains("все категории"))
        #expect(try forum.run("checkins", "lists", "remove", "lunch-15").status == 0)
        #expect(try forum.run("checkins", "lists", "remove", "lunch-15").status == 1)
        #expect(!(try forum.run("checkins", "lists").stdout.contains("lunch-15")))
    }
}
