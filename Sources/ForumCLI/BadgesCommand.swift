import ArgumentParser
import ForumBadges
import ForumDomain
import ForumStore
import Foundation

struct BadgesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "badges",
        abstract: "Бейджи: подписанные QR-коды участников.",
        subcommands: [Reprint.self, Code.self]
    )

    struct Reprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Перевыпустить бейдж: номер серии растёт, прежний бейдж на входе получает отказ «Бейдж заменён».",
            discussion: "С --qr записывает QR-код нового бейджа (PNG или SVG по расширению)."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "Номер участника.") var id: Int64
        @Option(help: "Куда записать QR-код нового бейджа (.png или .svg).") var qr: String?

        func run() async throws {
            let configuration = try await options.configuration()
            let signer = try BadgeSigner(keyFile: try options.badgeKeyPath(in: configuration))
            let participant = try await ForumDatabase.open(path: try options.databasePath(in: configuration)).reprintBadge(id: id)
            let code = try signer.code(for: participant)
            if let qr { try writeQR(code, to: qr) }
            if output.json { return try Terminal.outputJSON(["participant": String(participant.id), "badgeSerial": String(participant.badgeSerial), "code": code]) }
            Terminal.message("Бейдж участника №\(participant.id) перевыпущен: серия \(participant.badgeSerial); прежние бейджи больше не действуют.")
            Terminal.output(code)
        }
    }

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать подписанный код текущего бейджа участника (и записать QR с --qr).")

        @OptionGroup var options: ForumOptions
        @Argument(help: "Номер участника.") var id: Int64
        @Option(help: "Куда записать QR-код (.png или .svg).") var qr: String?

        func run() async throws {
            let configuration = try await options.configuration()
            let signer = try BadgeSigner(keyFile: try options.badgeKeyPath(in: configuration))
            let participant = try await ForumDatabase.open(path: try options.databasePath(in: configuration)).participant(id: id)
            guard participant.status == .registered else { throw CLIError.refused("регистрация участника №\(id) отменена: бейдж не выдаётся") }
            let code = try signer.code(for: participant)
            if let qr { try writeQR(code, to: qr) }
            Terminal.output(code)
        }
    }
}

/// Writes a QR code as PNG or, for a `.svg` name, as SVG.
private func writeQR(_ text: String, to path: String) throws {
    let code = try QRCode(text)
    try writeOutput(path.lowercased().hasSuffix(".svg") ? try QRImage.svg(code) : try QRImage.png(code), to: path)
}
