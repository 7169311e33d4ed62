import ForumAgenda
import ForumDomain
import ForumTestSupport
import Foundation
import Testing

@Suite struct AgendaReaderTests {
    private func read(_ text: String, name: String = "forum.yaml") throws(AgendaRefusal) -> Programme {
        try AgendaReader.read(files: [(name, text)])
    }

    private func problems(_ text: String) -> [AgendaProblem] {
        do {
            _ = try read(text)
            return []
        } catch {
            return error.problems
        }
    }

    /// The sample with one line replaced.
    private func sample(replacing old: String, with new: String) -> String {
        precondition(SampleProgramme.yaml.contains(old), "the sample has no «\(old)»")
        return SampleProgramme.yaml.replacingOccurrences(of: old, with: new)
    }

    @Test func theSampleReadsIntoTheSampleProgramme() throws {
        let programme = try read(SampleProgramme.yaml)
        #expect(programme.edition == SampleProgramme.edition)
        #expect(programme.buildings == SampleProgramme.programme([]).buildings)
        #expect(programme.walkingMinutes(from: "p57", to: "p75") == 10)
        let panel = try #require(programme.session("panel-sila-v-lyudyakh"))
        #expect(panel.kind == .panel && panel.start == SampleProgramme.at("10:00") && panel.end == SampleProgramme.at("11:30"))
        #expect(panel.people.map(\.name) == ["Сергей Кириенко", "Анна Заглушкина"])
        #expect(panel.people[1].placeholder && !panel.people[0].placeholder)
        #expect(programme.session("rt-turizm")?.capacity == 80)
        #expect(programme.session("rt-turizm")?.people.first?.email == "primerov@mail.ru")
    }

    @Test func aSpeakerWhosePositionPaintsTheScreenIsRefusedWithItsPlace() throws {
        let position = "Первый заместитель Руководителя Администрации Президента Российской Федерации"
        let text = sample(replacing: "position: \(position)", with: "position: \"Глава \\e[2J\\e[42m ПРОХОДИТЕ\"")
        let problem = try #require(problems(text).first)
        #expect(problem.field == "sessions[0].people[0].position")
        #expect(problem.message.contains("U+001B (ESC)"))
        #expect(problem.line != nil)
    }

    @Test func aBadTimeNamesFileLineColumnAndField() throws {
        let text = sample(replacing: "    start: \"12:00\"", with: "    start: \"12:70\"")
        let problem = try #require(problems(text).first)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("12:70") }.map { $0 + 1 }
        #expect(problem.file == "forum.yaml" && problem.line == line && problem.column == 12)
        #expect(problem.field == "sessions[1].start")
        #expect(problem.description == "forum.yaml:\(line ?? 0):12: sessions[1].start: «12:70» — ожидается время ЧЧ:ММ")
    }

    @Test(arguments: [
        ("    room: hall-a\n", "    room: hall-z\n", "sessions[1].room", "зал «hall-z» не описан в buildings"),
        ("    kind: round_table", "    kind: roundtable", "sessions[1].kind", "«roundtable» — допустимо: panel, round_table"),
        ("    capacity: 80", "    capacity: много", "sessions[1].capacity", "ожидается целое число"),
        ("    capacity: 80", "    capasity: 80", "sessions[1].capasity", "неизвестное поле"),
        ("  - slug: rt-turizm", "  - slug: panel-sila-v-lyudyakh", "sessions[1].slug", "уже есть"),
        ("  - slug: rt-turizm", "  - slug: Круглый стол", "sessions[1].slug", "только строчные латинские буквы"),
        ("    end: \"13:30\"", "    end: \"11:30\"", "sessions[1].end", "окончание должно быть позже начала"),
        ("  - { between: [p75, p57], minutes: 10 }", "  - { between: [p75, p99], minutes: 10 }", "walkingMinutes[0].between", "здание «p99» не описано"),
        ("  timeZone: Europe/Moscow", "  timeZone: Москва", "edition.timeZone", "неизвестный часовой пояс"),
        ("primerov@mail.ru", "primerov@", "sessions[1].people[0].email", "не похоже на адрес"),
    ])
    func eachMistakeIsNamedWithItsField(_ old: String, _ new: String, _ field: String, _ message: String) throws {
        let found = problems(sample(replacing: old, with: new))
        let problem = try #require(found.first { $0.field == field }, "\(found)")
        #expect(problem.message.contains(message))
        #expect(problem.line != nil && problem.column != nil)
    }

    @Test func everyMistakeIsReportedAtOnce() {
        let text = sample(replacing: "    start: \"12:00\"", with: "    start: \"25:00\"").replacingOccurrences(of: "room: hall-c", with: "room: nowhere")
        #expect(problems(text).count == 2)
    }

    @Test func aYAMLSyntaxErrorHasItsPosition() throws {
        let problem = try #require(problems(SampleProgramme.yaml + "  - slug: [unclosed\n").first)
        #expect(problem.line != nil)
        #expect(problem.message.hasPrefix("ошибка синтаксиса YAML"))
    }

    @Test func aFolderMaySplitTheProgrammeButHasOneEdition() throws {
        let parts = SampleProgramme.yaml.components(separatedBy: "sessions:\n")
        let programme = try AgendaReader.read(files: [("01-forum.yaml", parts[0]), ("02-sessions.yaml", "sessions:\n" + parts[1])])
        #expect(programme.sessions.count == 2)
        #expect(throws: AgendaRefusal.self) { try AgendaReader.read(files: [("a.yaml", parts[0]), ("b.yaml", parts[0].replacingOccurrences(of: "slug: p", with: "slug: x").replacingOccurrences(of: "slug: hall", with: "slug: room"))]) }
        #expect(throws: AgendaRefusal.self) { try AgendaReader.read(files: [("sessions.yaml", "sessions: []\n")]) }
    }

    /// The programme shipped in `Agenda/`: the press release's numbers, and no conflicts.
    @Test func theShippedProgrammeIsTheForumsAndHasNoErrors() throws {
        let programme = try AgendaReader.read(path: Repository.agenda.path)
        let counts = Dictionary(grouping: programme.sessions, by: \.kind).mapValues(\.count)
        #expect(counts[.panel] == 3 && counts[.roundTable] == 32 && counts[.lecture] == 25)
        #expect(Set(programme.sessions.filter { $0.kind == .panel }.map(\.title)) == ["Сила в людях", "Сила в традициях", "Сила в развитии"])
        #expect(programme.edition.timeZone == "Europe/Moscow" && programme.edition.days.count == 2)
        let panel = try #require(programme.sessions.first { $0.title == "Сила в людях" })
        #expect(panel.people.contains { $0.name == "Сергей Кириенко" && !$0.placeholder })
        #expect(ScheduleCheck(programme).problems().isEmpty)
        #expect(Set(programme.rooms.map(\.building.slug)).count == 8)
    }
}

/// The JSON Schema shipped for editors agrees with the reader: the shipped programme and the
/// test sample pass it, and what the reader refuses the schema refuses too (Debian's
/// python3-jsonschema and python3-yaml, installed by the README's commands).
@Suite struct AgendaSchemaTests {
    private static let agenda = Repository.agenda

    private func schemaErrors(_ yaml: String) throws -> String {
        let file = try ExternalTool.temporaryFile(Data(yaml.utf8), named: "agenda.yaml")
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1])); document = yaml.safe_load(open(sys.argv[2]))
            for error in jsonschema.Draft202012Validator(schema).iter_errors(document): print(list(error.path), error.message[:200])
            """
        let result = try ExternalTool.python(script, [Self.agenda.appendingPathComponent("agenda.schema.json").path, file])
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        return result.output
    }

    @Test func theShippedProgrammeAndTheSamplePassTheSchema() throws {
        let shipped = try String(contentsOf: Self.agenda.appendingPathComponent("forum.yaml"), encoding: .utf8)
        #expect(try schemaErrors(shipped).isEmpty)
        #expect(try schemaErrors(SampleProgramme.yaml).isEmpty)
        #expect(shipped.hasPrefix("# yaml-language-server: $schema=agenda.schema.json\n"))
    }

    @Test func theSchemaRefusesWhatTheReaderRefuses() throws {
        for (old, new) in [("    capacity: 80", "    capasity: 80"), ("    kind: round_table", "    kind: roundtable"), ("  - slug: rt-turizm", "  - slug: Rt Turizm")] {
            #expect(try !schemaErrors(SampleProgramme.yaml.replacingOccurrences(of: old, with: new)).isEmpty)
        }
    }
}
