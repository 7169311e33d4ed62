import ArgumentParser
import ForumDomain
import ForumStore
import Foundation

extension AgendaCommand {
    struct SignUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signup",
            abstract: "Когда участники записываются сами (страница «Мой форум» по личной ссылке).",
            subcommands: [Open.self, Status.self],
            defaultSubcommand: Status.self
        )

        struct Open: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Открыть запись на сессии с ограниченным числом мест — сейчас или в указанный момент; для всех сессий или одной.",
                discussion: """
                    До этого момента страницы говорят, когда откроется запись. Пример:
                      forum agenda signup open --at "2027-01-10 10:00"
                      forum agenda signup open --at "2027-01-12 10:00" --session rt-turizm   # у этой сессии свой момент
                    Организаторы записывают участников (forum agenda enroll) в любое время.
                    """
            )

            @OptionGroup var options: ForumOptions
            @Option(help: "Когда, по Москве: ГГГГ-ММ-ДД ЧЧ:ММ (или ЧЧ:ММ сегодня); без --at — сейчас.") var at: String?
            @Option(help: "Только эта сессия (slug); без неё — все.") var session: String?

            func run() async throws {
                let moment = try at.map { try OptionValue.moment($0, option: "--at") } ?? Date()
                _ = try await options.openDatabase().openSignUp(at: moment, session: session)
                Terminal.message("Запись \(session.map { "на «\($0)»" } ?? "на все сессии с ограниченным числом мест") открывается \(Forum.moscowTime(moment)) МСК.")
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Показать, когда открывается запись (по умолчанию).")

            @OptionGroup var options: ForumOptions

            func run() async throws {
                let opening = try await options.openDatabase().signUpOpening()
                Terminal.output("Все сессии: " + (opening.all.map { Forum.moscowTime($0) + " МСК" } ?? "запись участниками не открыта"))
                for (session, moment) in opening.sessions.sorted(by: { $0.key < $1.key }) {
                    Terminal.output("\(session): \(Forum.moscowTime(moment)) МСК")
                }
            }
        }
    }
}
