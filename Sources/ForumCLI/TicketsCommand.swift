import ArgumentParser
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumMail
import ForumServer
import ForumStore
import ForumTickets
import Foundation

struct TicketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "Электронные билеты: каждому участнику по почте его QR-код бейджа (в письме и PDF) и адрес личного календаря.",
        subcommands: [Send.self]
    )

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Отправить билеты тем, кому текущий бейдж ещё не отправлен (перевыпущенный бейдж — снова).",
            discussion: """
                Почтовый сервер и отправитель — ключи mail.* (mail.host, mail.port, mail.security: starttls | tls | none, \
                mail.username, mail.password — лучше переменной FORUM_MAIL_PASSWORD, mail.from, mail.perMinute). \
                Отправленное отмечается в базе: повторный запуск ничего не шлёт дважды и продолжает прерванную рассылку. \
                С --dry-run --out ПАПКА письма пишутся в файлы .eml, в базе ничего не отмечается. \
                Код выхода 0 — все письма ушли; 1 — какие-то не ушли (перечислены; запустите снова, когда исправите).
                """
        )

        @OptionGroup var options: ForumOptions
        @Option(help: "Только эта категория (код или по-русски).", transform: OptionValue.category)
        var category: ParticipantCategory?
        @Option(help: "Только этот регион (код или название).", transform: OptionValue.region)
        var region: String?
        @Flag(help: "Только тем, кому билет ещё не отправлялся ни разу (без перевыпущенных).") var onlyNew = false
        @Flag(help: "Ничего не отправлять: записать письма в --out.") var dryRun = false
        @Option(help: "Папка для писем .eml (с --dry-run).") var out: String?
        @Option(help: "Не больше стольких писем за этот запуск.") var limit: Int?
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard dryRun == (out != nil) else { throw ValidationError("--dry-run и --out указываются вместе: письма пишутся в папку вместо отправки") }
            if let limit, limit < 1 { throw ValidationError("--limit: \(limit) — от 1") }
        }

        func run() async throws {
            let mailer = try await TicketMailer.open(options, needsRelay: !dryRun)
            var due = try await mailer.database.ticketsDue(ParticipantFilter(regionCode: region, category: category), onlyNew: onlyNew)
            if let limit { due = Array(due.prefix(limit)) }
            let report = try await mailer.sendTickets(to: due, post: mailer.mail.post(dryRunFolder: out), recording: !dryRun)
            try show(report, json: output.json, verb: dryRun ? "Записано писем" : "Отправлено билетов", to: out)
        }
    }
}

/// What the commands that send letters share: the forum, the badge signer, the letter and the `mail` settings.
struct TicketMailer {
    let database: ForumDatabase
    let signer: BadgeSigner
    let letter: TicketLetter
    let mail: MailConfiguration
    let server: ServerSettings

    /// Opens the forum and reads the `mail` settings (`needsRelay`: a relay must be configured).
    static func open(_ options: ForumOptions, needsRelay: Bool) async throws -> TicketMailer {
        let (database, signer, configuration) = try await options.openForBadges()
        let forumName = try await database.forumName()
        let mail = try MailConfiguration(configuration, forumName: forumName, needsRelay: needsRelay)
        let renderer = BadgeRenderer(layout: try options.badgeLayout(in: configuration))
        return TicketMailer(
            database: database, signer: signer, letter: TicketLetter(forumName: forumName, sender: mail.sender, renderer: renderer), mail: mail,
            server: try configuration.read { try ServerSettings(reader: $0.scoped(to: "http")) }
        )
    }

    /// Mails each participant's e-ticket; with `recording`, each sent one is noted so that it is not sent again.
    func sendTickets(to participants: [Participant], post: Post, recording: Bool) async throws -> MailingReport {
        try await post.deliver(participants, label: "Билеты") { participant in
            try letter.ticket(for: participant, code: try signer.code(for: participant), calendarURL: server.personalCalendarURL(feedToken: participant.feedToken))
        } delivered: { participant, message in
            guard recording else { return }
            try await database.recordTicket(TicketSent(
                participantID: participant.id, badgeSerial: participant.badgeSerial, address: message.to.address, messageID: message.messageID, sentAt: Date()
            ))
        }
    }
}

/// Prints a mailing's outcome (or its JSON) and exits 1 if any letter did not go out.
func show(_ report: MailingReport, json: Bool, verb: String, to folder: String? = nil) throws {
    if json {
        try Terminal.outputJSON(report)
    } else {
        Terminal.message("\(verb): \(report.sent)" + (folder.map { " → \($0)" } ?? ""))
        for unsent in report.unsent {
            Terminal.message("Не отправлено участнику №\(unsent.participant) (\(PlainText.printable(unsent.address))): \(unsent.reason)")
        }
        if let reason = report.stoppedBecause {
            Terminal.message("Рассылка остановлена: \(reason). Исправьте причину и запустите снова — отправленные повторно не уйдут.")
        }
    }
    if !report.unsent.isEmpty || report.stoppedBecause != nil { throw ExitCode(1) }
}
