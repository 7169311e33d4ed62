import ArgumentParser
import ForumCredentials

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Ключ подписи бейджей (Ed25519): создаётся один раз, хранится отдельно от базы.",
        subcommands: [Init.self, Public.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать ключ подписи бейджей (файл с правами 0600; существующий не перезаписывается).",
            discussion: "По умолчанию forum.key рядом с базой (для --database forum.sqlite); иначе ключ badges.keyPath или FORUM_BADGES_KEY_PATH. Сохраните копию ключа: без него новые бейджи не совпадут с напечатанными. В stdout — ключ проверки для стоек (как forum keys public)."
        )

        @OptionGroup var options: ForumOptions

        func run() async throws {
            let path = try options.badgeKeyPath(in: await options.configuration())
            _ = try BadgeKeys.create(at: path)
            Terminal.message("Ключ создан: \(path) (права 0600). Сохраните его копию в надёжном месте. Ключ проверки для стоек (forum desk --key):")
            try await Public.printVerifier(options)
        }
    }

    struct Public: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Показать ключ проверки бейджей для стоек: forum desk --key <ключ> закрепляет его на стойке.",
            discussion: "Ключ проверки — это открытый ключ и идентификатор этого форума (ИДЕНТИФИКАТОР:ключ-base64): бейджи, подписанные тем же ключом для другого форума, не проходят."
        )

        @OptionGroup var options: ForumOptions

        func run() async throws {
            try await Self.printVerifier(options)
        }

        static func printVerifier(_ options: ForumOptions) async throws {
            let (_, signer, _) = try await options.openForBadges()
            Terminal.output(signer.verifier.description)
        }
    }
}
