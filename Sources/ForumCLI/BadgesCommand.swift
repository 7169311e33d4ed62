import ArgumentParser
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumStore
import Foundation

struct BadgesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "badges",
        abstract: "Бейджи: подписанные QR-коды участников.",
        subcommands: [Print.self, Reprint.self, Code.self]
    )

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Напечатать бейджи в один PDF для типографии: по одному на странице или по четыре A6 на листе A4 с метками реза.",
            discussion: "Только действующие регистрации. Макет — Config/badge.json (ключ badges.layout). Файл пишется по мере отрисовки, права 0600."
        )

        @OptionGroup var options: ForumOptions
        @Option(help: "PDF-файл.") var out: String
        @Option(help: "Только эта категория (код или по-русски).", transform: OptionValue.category)
        var category: ParticipantCategory?
        @Option(help: "Только этот регион (код или название).", transform: OptionValue.region)
        var region: String?
        @Option(help: "Порядок: surname (фамилия) или region (регион, затем фамилия) — для раздачи по стойкам.") var sort: BadgeOrder = .surname
        @Option(help: "Раскладка: single (бейдж на странице) или a4 (листы A4 с метками реза).") var sheet: BadgePDF.Sheet = .single

        func run() async throws {
            let (database, signer, configuration) = try await options.openForBadges()
            let layout = try options.badgeLayout(in: configuration)
            let forumName = try await database.forumName()
            let filter = ParticipantFilter(regionCode: region, category: category, status: .registered, page: Page(number: 1, size: nil))
            let participants = sort.sorted(try await database.participants(matching: filter).items)
            let file = try PrivateFile(path: out)
            let progress = ProgressBar("Бейджи", total: participants.count)
            do {
                let pdf = try BadgePDF(renderer: BadgeRenderer(layout: layout), sheet: sheet) { bytes in try file.append(bytes) }
                for (index, participant) in participants.enumerated() {
                    try pdf.add(BadgeContent(participant, code: try signer.code(for: participant), forumName: forumName))
                    if index % 100 == 99 { progress.update(index + 1) }
                }
                try pdf.finish()
                progress.update(participants.count)
                progress.finish()
                try file.finish()
            } catch {
                file.discard()
                throw error
            }
            Terminal.message("Бейджей: \(participants.count) → \(out)")
        }
    }

    struct Reprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Перевыпустить бейдж: номер серии растёт, прежний бейдж на входе получает отказ «Бейдж заменён».",
            discussion: "С --qr записывает QR-код нового бейджа (PNG или SVG по расширению); с --notify сразу отправляет участнику новый электронный билет (настройки mail.*)."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "Номер участника.") var id: Int64
        @Option(help: "Куда записать QR-код нового бейджа (.png или .svg).") var qr: String?
        @Flag(help: "Отправить участнику новый электронный билет по почте.") var notify = false

        func run() async throws {
            let (database, signer, _) = try await options.openForBadges()
            // The relay's settings are checked before the badge changes.
            let mailer = notify ? try await TicketMailer.open(options, needsRelay: true) : nil
            let participant = try await database.reprintBadge(id: id)
            let code = try signer.code(for: participant)
            if let qr { try writeQR(code, to: qr) }
            if let mailer {
                let report = try await mailer.sendTickets(to: [participant], post: mailer.mail.post(dryRunFolder: nil), recording: true)
                try show(report, json: false, verb: "Новый билет отправлен, писем")
            }
            if output.json { return try Terminal.outputJSON(["participant": String(participant.id), "badgeSerial": String(participant.badgeSerial), "code": code]) }
            Terminal.message("Бейдж участника №\(participant.id) перевыпущен: серия \(participant.badgeSerial); прежние бейджи больше не действуют.")
            Terminal.output(code)
        }
    }

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Показать подписанный код текущего бейджа участника (и записать QR с --qr).",
            discussion: "С --all — коды всех зарегистрированных, по строке «номер код» (с --json — массив), например для внешней печати или проверки стоек."
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "Номер участника.") var id: Int64?
        @Flag(help: "Коды всех зарегистрированных участников.") var all = false
        @Option(help: "Куда записать QR-код (.png или .svg).") var qr: String?
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard (id == nil) == all else { throw ValidationError("укажите номер участника или --all") }
            if all, qr != nil { throw ValidationError("--qr записывает один код: без --all") }
        }

        func run() async throws {
            let (database, signer, _) = try await options.openForBadges()
            guard let id else {
                let filter = ParticipantFilter(status: .registered, page: Page(number: 1, size: nil))
                let codes = try await database.participants(matching: filter).items.map { (participant: String($0.id), code: try signer.code(for: $0)) }
                if output.json { return try Terminal.outputJSON(codes.map { ["participant": $0.participant, "code": $0.code] }) }
                return Terminal.output(codes.map { "\($0.participant) \($0.code)" }.joined(separator: "\n"))
            }
            let participant = try await database.participant(id: id)
            guard participant.status == .registered else { throw CLIError.refused("регистрация участника №\(id) отменена: бейдж не выдаётся") }
            let code = try signer.code(for: participant)
            if let qr { try writeQR(code, to: qr) }
            if output.json { return try Terminal.outputJSON(["participant": String(participant.id), "code": code]) }
            Terminal.output(code)
        }
    }
}

/// The order badges are printed in, so that they can be handed out by region and surname.
enum BadgeOrder: String, ExpressibleByArgument, CaseIterable {
    case surname
    case region

    func sorted(_ participants: [Participant]) -> [Participant] {
        func key(_ participant: Participant) -> [String] {
            let details = participant.details
            let name = [RussianText.searchKey(details.lastName), RussianText.searchKey(details.firstName), String(participant.id).leftPadded(to: 10)]
            return self == .region ? [RussianText.searchKey(details.region.name)] + name : name
        }
        return participants.sorted { key($0).lexicographicallyPrecedes(key($1)) }
    }
}

extension BadgePDF.Sheet: ExpressibleByArgument {}

/// Writes a QR code as PNG or, for a `.svg` name, as SVG.
private func writeQR(_ text: String, to path: String) throws {
    let code = try QRCode(text)
    try writeOutput(path.lowercased().hasSuffix(".svg") ? try QRImage.svg(code) : try QRImage.png(code), to: path)
}
