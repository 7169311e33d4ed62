import ArgumentParser
import ForumDomain
import ForumServer
import ForumStore
import Foundation

struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Панель организаторов (/dashboard): ссылки для экранов на площадке.",
        discussion: "Сама панель — в браузере: https://адрес-сервера/dashboard, вход по токену организатора (forum tokens create --role admin).",
        subcommands: [Kiosk.self, Kiosks.self, Revoke.self]
    )

    struct Kiosk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать ссылку только для просмотра цифр (большой экран в холле); напечатать её один раз.",
            discussion: "Адрес берётся из http.publicUrl (FORUM_HTTP_PUBLIC_URL), иначе из адреса и порта сервера."
        )

        @OptionGroup var options: ForumOptions
        @Option(help: "Сколько часов ссылка действует (1…72).") var hours = 12
        @Option(help: "Что это за экран («Экран в холле»).") var name = "Экран на площадке"

        func run() async throws {
            let configuration = try await options.configuration()
            let settings = try configuration.read { try ServerSettings(reader: $0.scoped(to: "http")) }
            let (link, key) = try await options.openDatabase().createKioskLink(name: name, hours: hours)
            Terminal.message("Ссылка №\(link.id) «\(link.name)» действует до \(Forum.moscowTime(link.expiresAt)) МСК. Отозвать: forum dashboard revoke \(link.id)")
            Terminal.output(settings.publicURL + "/dashboard/kiosk/" + key)
        }
    }

    struct Kiosks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kiosks", abstract: "Показать ссылки для экранов (без самих ключей).")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let links = try await options.openDatabase().kioskLinks()
            if output.json { return try Terminal.outputJSON(links) }
            let now = Date()
            Terminal.output(Terminal.table(["№", "Экран", "Создана", "Действует до", "Состояние"], links.map { link in
                [String(link.id), link.name, Forum.moscowTime(link.createdAt), Forum.moscowTime(link.expiresAt),
                 link.revokedAt != nil ? "отозвана" : link.isValid(at: now) ? "действует" : "истекла"]
            }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Отозвать ссылку для экрана: она перестаёт работать сразу.")

        @OptionGroup var options: ForumOptions
        @Argument(help: "Номер ссылки (forum dashboard kiosks).") var id: Int64

        func run() async throws {
            let link = try await options.openDatabase().revokeKioskLink(id: id)
            Terminal.output("Ссылка №\(link.id) «\(link.name)» отозвана.")
        }
    }
}
