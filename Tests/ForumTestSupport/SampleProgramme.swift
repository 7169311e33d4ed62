import ForumDomain
import Foundation

/// A small programme for tests: two pavilions 10 minutes apart, three rooms, on 15 January 2024
/// (09:00–20:00, Moscow) and 16 January (10:00–18:00).
public enum SampleProgramme {
    public static let time = ForumTime()

    public static func at(_ clock: String, on day: String = "2024-01-15") -> Date {
        guard let date = time.date(day, at: clock) else { preconditionFailure("bad sample time \(day) \(clock)") }
        return date
    }

    public static var edition: Edition {
        Edition(
            slug: "test-forum", name: "Малая Родина — сила России", fullName: "Всероссийский муниципальный форум «Малая Родина — сила России»",
            organiser: "ВАРМСУ", venue: "ВДНХ", city: "Москва",
            days: [
                Edition.Day(date: "2024-01-15", opens: at("09:00"), closes: at("20:00")),
                Edition.Day(date: "2024-01-16", opens: at("10:00", on: "2024-01-16"), closes: at("18:00", on: "2024-01-16")),
            ]
        )
    }

    public static func session(
        _ slug: String, kind: SessionKind = .roundTable, room: String = "hall-a", from start: String, to end: String,
        on day: String = "2024-01-15", capacity: Int? = nil, people: [SessionPerson] = []
    ) -> Session {
        Session(slug: slug, kind: kind, title: "Сессия \(slug)", room: room, start: at(start, on: day), end: at(end, on: day), capacity: capacity, people: people)
    }

    public static func programme(_ sessions: [Session]) -> Programme {
        Programme(
            edition: edition,
            buildings: [
                Building(slug: "p75", name: "Павильон № 75", rooms: [Room(slug: "hall-a", name: "Зал А", capacity: 100), Room(slug: "hall-b", name: "Зал Б", capacity: 50)]),
                Building(slug: "p57", name: "Павильон № 57", rooms: [Room(slug: "hall-c", name: "Зал В", capacity: 300)]),
            ],
            walking: [WalkingTime(from: "p75", to: "p57", minutes: 10)],
            sessions: sessions
        )
    }

    /// The same small programme as a YAML file.
    public static let yaml = """
        # yaml-language-server: $schema=agenda.schema.json
        edition:
          slug: test-forum
          name: Малая Родина — сила России
          fullName: Всероссийский муниципальный форум «Малая Родина — сила России»
          organiser: ВАРМСУ
          venue: ВДНХ
          city: Москва
          timeZone: Europe/Moscow
          days:
            - { date: "2024-01-15", opens: "09:00", closes: "20:00" }
            - { date: "2024-01-16", opens: "10:00", closes: "18:00" }
        buildings:
          - slug: p75
            name: Павильон № 75
            rooms:
              - { slug: hall-a, name: Зал А, capacity: 100 }
              - { slug: hall-b, name: Зал Б, capacity: 50 }
          - slug: p57
            name: Павильон № 57
            rooms:
              - { slug: hall-c, name: Зал В, capacity: 300 }
        walkingMinutes:
          - { between: [p75, p57], minutes: 10 }
        sessions:
          - slug: panel-sila-v-lyudyakh
            kind: panel
            title: Сила в людях
            description: Служение людям.
            room: hall-c
            date: "2024-01-15"
            start: "10:00"
            end: "11:30"
            people:
              - { name: Сергей Кириенко, position: Первый заместитель Руководителя Администрации Президента Российской Федерации, role: speaker }
              - { name: Анна Заглушкина, role: moderator, placeholder: true }
          - slug: rt-turizm
            kind: round_table
            title: Туризм в малых городах
            room: hall-a
            date: "2024-01-15"
            start: "12:00"
            end: "13:30"
            capacity: 80
            people:
              - { name: Иван Примеров, role: moderator, placeholder: true, email: primerov@mail.ru }

        """
}
