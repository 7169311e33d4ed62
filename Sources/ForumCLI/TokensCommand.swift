import ArgumentParser
import ForumDomain
import ForumStore

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Токены доступа к API: admin — организаторы, desk — стойки регистрации.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать токен. Он печатается один раз; в базе хранится только его хеш."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        @Option(help: "Роль: admin, desk или metrics (только /metrics — для Prometheus).")
        var role: APIToken.Role

        @Option(help: "Имя, по которому токен узнают в списке («Вход 1», «Штаб»).")
        var name: String

        @Flag(help: "Стойке (desk) можно перевыпускать бейджи: прежний бейдж перестаёт действовать, новый печатается на стойке.")
        var mayReprint = false

        func run() async throws {
            let (token, secret) = try await options.openDatabase().createToken(name: name, role: role, mayReprint: mayReprint)
            if output.json {
                try Terminal.outputJSON(CreatedToken(token: token, secret: secret))
            } else {
                Terminal.message("Токен №\(token.id) «\(token.name)» (\(token.role.rawValue)\(token.mayReprint ? ", перевыпуск бейджей" : "")) создан. Сохраните его — больше он показан не будет:")
                Terminal.output(secret)
            }
        }

        struct CreatedToken: Encodable {
            var token: APIToken
            var secret: String
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать токены (без самих секретов).")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let tokens = try await options.openDatabase().tokens()
            if output.json { return try Terminal.outputJSON(tokens) }
            Terminal.output(Terminal.table(
                ["№", "Имя", "Роль", "Перевыпуск", "Создан", "Отозван"],
                tokens.map {
                    [String($0.id), $0.name, $0.role.rawValue, $0.canReprint ? "да" : "—", Forum.moscowTime($0.createdAt), $0.revokedAt.map { Forum.moscowTime($0) } ?? "—"]
                }
            ))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Отозвать токен: он сразу перестаёт действовать.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        @Argument(help: "Номер токена из `forum tokens list`.")
        var id: Int64

        func run() async throws {
            let token = try await options.openDatabase().revokeToken(id: id)
            if output.json { return try Terminal.outputJSON(token) }
            Terminal.output("Токен №\(token.id) «\(token.name)» отозван.")
        }
    }
}

extension APIToken.Role: ExpressibleByArgument {}
