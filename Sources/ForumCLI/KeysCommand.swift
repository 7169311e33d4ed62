import ArgumentParser
import ForumBadges

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Ключ подписи бейджей (Ed25519): создаётся один раз, хранится отдельно от базы.",
        subcommands: [Init.self, Public.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать ключ подписи бейджей (файл с правами 0600; существующий не перезаписывается).",
            discussion: "По умолчанию forum.key рядом с базой (для --database forum.sqlite); иначе ключ badges.keyPath или FORUM_BADGES_KEY_PATH. Сохраните копию ключа: без него новые бейджи не совпадут с напечатанными."
        )

        @OptionGroup var options: ForumOptions

        func run() async throws {
            let path = try options.badgeKeyPath(in: await options.configuration())
            let key = try BadgeKeys.create(at: path)
            Terminal.message("Ключ создан: \(path) (права 0600). Сохраните его копию в надёжном месте. Открытый ключ для стоек:")
            Terminal.output(BadgeKeys.text(of: key.publicKey))
        }
    }

    struct Public: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать открытый ключ, которым стойки проверяют бейджи.")

        @OptionGroup var options: ForumOptions

        func run() async throws {
            let path = try options.badgeKeyPath(in: await options.configuration())
            Terminal.output(BadgeKeys.text(of: try BadgeKeys.load(at: path).publicKey))
        }
    }
}
