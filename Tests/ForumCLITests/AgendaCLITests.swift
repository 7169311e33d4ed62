import ForumTestSupport
import Foundation
import Testing

/// `forum agenda …` as an organiser runs it, on the programme shipped in `Agenda/`.
@Suite(.serialized) struct AgendaCLITests {
    let forum: ForumProcess
    static let agenda = Repository.agenda.path

    init() throws {
        forum = try ForumProcess()
    }

    @Test func importCheckPublishAndTheChangelog() throws {
        let imported = try forum.run("agenda", "import", Self.agenda)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("сессий 65 (панельная дискуссия: 3, круглый стол: 32, лекция: 25"))
        #expect(try forum.run("agenda", "import", Self.agenda).stderr.contains("изменений нет"))
        let check = try forum.run("agenda", "check")
        #expect(check.status == 0 && check.stderr.contains("Ошибок: 0"))
        #expect(try forum.run("agenda", "publish", "--note", "Первый выпуск").status == 0)
        #expect(try forum.run("agenda", "publish", "--note", "Снова").status == 1)

        // Two panels in one hall at once: the check names both and the rule, publication is refused.
        let moved = try forum.run("agenda", "move", "panel-sila-v-traditsiyakh", "--start", "10:30")
        #expect(moved.status == 0, "\(moved.stderr)")
        let conflict = try forum.run("agenda", "check", "--json")
        #expect(conflict.status == 1)
        #expect(conflict.stdout.contains("room_double_booked") && conflict.stdout.contains("panel-sila-v-lyudyakh"))
        #expect(try forum.run("agenda", "publish", "--note", "С конфликтом").status == 1)
        #expect(try forum.run("agenda", "move", "panel-sila-v-traditsiyakh", "--start", "13:30").status == 0)
        #expect(try forum.run("agenda", "cancel", "rt-masterskaya-turizm").status == 0)
        let second = try forum.run("agenda", "publish", "--note", "Отмена круглого стола")
        #expect(second.status == 0)
        #expect(second.stdout.contains("отменена: «Продвижение туризма"))
        let releases = try forum.run("agenda", "releases", "--json")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(releases.stdout.utf8)) as? [[String: Any]])
        #expect(list.compactMap { $0["number"] as? Int } == [2, 1])
    }

    @Test func aMistakeInTheFileNamesFileLineColumnAndField() throws {
        let text = try String(contentsOfFile: Self.agenda + "/forum.yaml", encoding: .utf8)
        let broken = text.replacingOccurrences(of: "    room: p75-hall-a\n", with: "    room: p75-hall-z\n")
        try forum.write(Data(broken.utf8), to: "forum.yaml")
        let result = try forum.run("agenda", "import", "forum.yaml")
        #expect(result.status == 1)
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("зал «p75-hall-z» не описан") })
        #expect(line.wholeMatch(of: /(forum: )?forum\.yaml:\d+:\d+: sessions\[\d+\]\.room: зал «p75-hall-z» не описан в buildings/) != nil, "\(line)")
        #expect(try forum.run("agenda", "list").status == 1)  // nothing was imported
    }

    @Test func signUpAndThePersonalCalendarAddress() throws {
        #expect(try forum.run("agenda", "import", Self.agenda).status == 0)
        #expect(try forum.run("participants", "add", "--last-name", "Ёлкина", "--first-name", "Алёна", "--email", "elkina@mail.ru",
                              "--region", "16", "--municipality", "Казань").status == 0)
        let enrolled = try forum.run("agenda", "enroll", "rt-masterskaya-turizm", "1")
        #expect(enrolled.status == 0 && enrolled.stdout.contains("место есть"))
        #expect(try forum.run("agenda", "enrollments", "rt-masterskaya-turizm").stdout.contains("место"))
        let shown = try forum.run("participants", "show", "1")
        #expect(shown.stdout.contains("Личное расписание: http://127.0.0.1:8080/feeds/"))
        #expect(shown.stdout.contains("/schedule.ics"))
        #expect(try forum.run("agenda", "withdraw", "rt-masterskaya-turizm", "1").status == 0)
    }

    @Test func organisersSayWhenParticipantsMaySignUpThemselves() throws {
        #expect(try forum.run("agenda", "import", Repository.agenda.path).status == 0)
        #expect(try forum.run("agenda", "signup").stdout.contains("Все сессии: запись участниками не открыта"))
        let all = try forum.run("agenda", "signup", "open", "--at", "2027-01-10 10:00")
        #expect(all.status == 0 && all.stderr.contains("открывается 10.01.2027 10:00 МСК"), "\(all.stderr)")
        #expect(try forum.run("agenda", "signup", "open", "--at", "2027-01-12 09:30", "--session", "rt-masterskaya-turizm").status == 0)
        let status = try forum.run("agenda", "signup")
        #expect(status.stdout.contains("Все сессии: 10.01.2027 10:00 МСК") && status.stdout.contains("rt-masterskaya-turizm: 12.01.2027 09:30 МСК"))
        #expect(try forum.run("agenda", "signup", "open", "--session", "nowhere").status == 1)
        #expect(try forum.run("agenda", "signup", "open", "--at", "завтра").status == 2)
    }
}
