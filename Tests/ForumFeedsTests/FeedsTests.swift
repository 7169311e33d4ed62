import ForumAgenda
import ForumDomain
import ForumFeeds
import ForumTestSupport
import Foundation
import Testing

/// The published formats of the programme shipped in `Agenda/` and of small samples.
@Suite struct FeedsTests {
    static let agenda: Programme = {
        do {
            return try AgendaReader.read(path: Repository.agenda.path)
        } catch {
            preconditionFailure("the shipped Agenda reads: \(error)")
        }
    }()

    static func context(_ programme: Programme = agenda, release number: Int = 1) -> FeedContext {
        FeedContext(
            release: ProgrammeRelease(number: number, note: "Тест", publishedAt: SampleProgramme.at("08:00"), programme: programme, changes: []),
            baseURL: "https://forum.example.ru/"
        )
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Standards/\(name)", withExtension: nil)).path
    }

    @Test func frabJSONIsValidAgainstTheC3VOCSchema() throws {
        let file = try ExternalTool.temporaryFile(try Self.encoder.encode(FrabSchedule(Self.context())), named: "schedule.json")
        // Debian's python3-jsonschema (the README's commands install it), with format checks on.
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); document = json.load(open(sys.argv[2]))
            errors = list(jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(document))
            for error in errors[:10]: print(list(error.path), error.message[:300])
            sys.exit(1 if errors else 0)
            """
        let result = try ExternalTool.python(script, [try fixture("schedule.schema.json"), file])
        #expect(result.status == 0, "\(result.output)\(result.errors)")
    }

    @Test func frabXMLIsValidAgainstTheXSD() throws {
        let file = try ExternalTool.temporaryFile(FrabXML.render(Self.context()), named: "schedule.xml")
        let result = try ExternalTool.run("/usr/bin/xmllint", ["--noout", "--schema", try fixture("schedule.xml.xsd"), file])
        #expect(result.status == 0, "\(result.output)\(result.errors)")
    }

    @Test func frabFeedsCarryEveryLiveSessionWithStableUniqueIdentifiers() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Self.encoder.encode(FrabSchedule(Self.context()))) as? [String: Any])
        let schedule = try #require(json["schedule"] as? [String: Any])
        let conference = try #require(schedule["conference"] as? [String: Any])
        #expect(conference["acronym"] as? String == "malaya_rodina_2024")
        let days = try #require(conference["days"] as? [[String: Any]])
        let events = days.flatMap { ($0["rooms"] as? [String: [[String: Any]]] ?? [:]).values.flatMap { $0 } }
        #expect(events.count == Self.agenda.sessions.count)
        #expect(Set(events.compactMap { $0["guid"] as? String }).count == events.count)
        #expect(Set(events.compactMap { $0["id"] as? Int }).count == events.count)
        let types = Dictionary(grouping: events.compactMap { $0["type"] as? String }, by: { $0 }).mapValues(\.count)
        #expect(types["Панельная дискуссия"] == 3 && types["Круглый стол"] == 32 && types["Лекция"] == 25)
        // The same session keeps its guid in a later release.
        let later = Self.context(release: 7)
        #expect(later.release.number == 7)
        let first = try #require(events.first { $0["slug"] as? String == "malaya_rodina_2024-panel-sila-v-lyudyakh" })
        let again = String(decoding: try Self.encoder.encode(FrabSchedule(later)), as: UTF8.self)
        #expect(again.contains(try #require(first["guid"] as? String)))
    }

    @Test func theCalendarFoldsEscapesAndNeverSplitsACharacter() throws {
        var session = SampleProgramme.session("long", from: "10:00", to: "11:00")
        session.title = "Круглый стол: благоустройство, ремонт; «обратная связь» \\ итоги — " + String(repeating: "ёжик ", count: 20)
        session.description = "Строка один\nСтрока два"
        let context = Self.context(SampleProgramme.programme([session]), release: 3)
        let text = String(decoding: ICalendar(context).render([session]), as: UTF8.self)
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let physical = text.components(separatedBy: "\r\n").dropLast()
        #expect(!physical.contains { $0.contains("\n") || $0.contains("\r") })
        for line in physical {
            #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)")
            #expect(String(validating: Array(line.utf8), as: UTF8.self) != nil)  // every piece is whole UTF-8
        }
        // Unfolded, the lines read back.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        let summary = try #require(unfolded.first { $0.hasPrefix("SUMMARY:") })
        #expect(summary == "SUMMARY:Круглый стол: благоустройство\\, ремонт\\; «обратная связь» \\\\ итоги — " + String(repeating: "ёжик ", count: 20))
        #expect(unfolded.contains("DESCRIPTION:Строка один\\nСтрока два"))
        #expect(unfolded.contains("UID:long@test-forum.forumops"))
        #expect(unfolded.contains("SEQUENCE:3"))
        #expect(unfolded.contains("DTSTART;TZID=Europe/Moscow:20240115T100000"))
        #expect(unfolded.contains("BEGIN:VTIMEZONE") && unfolded.contains("TZOFFSETTO:+0300"))
    }

    @Test func noFeedCarriesAnEMail() throws {
        let context = Self.context(SampleProgramme.programme([
            SampleProgramme.session("a", from: "10:00", to: "11:00", people: [SessionPerson(name: "Иван Примеров", role: .speaker, email: "primerov@mail.ru")]),
        ]))
        let feeds = [
            try Self.encoder.encode(ScheduleDocument(context)), try Self.encoder.encode(FrabSchedule(context)),
            FrabXML.render(context), ICalendar(context).render(context.release.programme.sessions),
        ].map { String(decoding: $0, as: UTF8.self) }
        for feed in feeds {
            #expect(feed.contains("Иван Примеров"))
            #expect(!feed.contains("primerov") && !feed.contains("@mail.ru"))
        }
    }
}
