import ForumDomain
import ForumMail
import ForumServer
import Foundation

/// Where letters go: the SMTP relay of the `mail` settings, or — for a dry run — `.eml` files
/// in a folder, to be opened in a mail program and checked before anything is sent.
enum Post {
    case relay(SMTPSettings, perMinute: Int)
    case folder(String)
}

/// The `mail` settings: the relay, the sender and the pace.
struct MailConfiguration {
    var relay: SMTPSettings?
    var sender: MailAddress
    var perMinute: Int

    /// Reads `mail.*`. `mail.from` is required; `mail.host` only when `needsRelay`.
    init(_ configuration: ForumConfiguration, forumName: String, needsRelay: Bool) throws {
        let values = try configuration.read { reader in
            (
                host: reader.string(forKey: "mail.host"), port: reader.int(forKey: "mail.port"),
                security: reader.string(forKey: "mail.security", as: SMTPSettings.Security.self, default: .starttls),
                username: reader.string(forKey: "mail.username"), password: reader.string(forKey: "mail.password", isSecret: true),
                trusted: reader.string(forKey: "mail.trustedCertificates"),
                from: reader.string(forKey: "mail.from"), fromName: reader.string(forKey: "mail.fromName", default: forumName),
                perMinute: reader.int(forKey: "mail.perMinute", default: 120), timeout: reader.int(forKey: "mail.timeout", default: 60)
            )
        }
        guard let from = values.from else {
            throw InvalidSetting(key: "mail.from", message: "не задан адрес отправителя (например, \"forum@example.ru\"; переменная FORUM_MAIL_FROM)")
        }
        do {
            sender = try MailAddress(from, name: values.fromName)
        } catch {
            throw InvalidSetting(key: "mail.from", message: error.description)
        }
        guard (1...6000).contains(values.perMinute) else {
            throw InvalidSetting(key: "mail.perMinute", message: "\(values.perMinute) — писем в минуту, от 1 до 6000")
        }
        perMinute = values.perMinute
        guard let host = values.host else {
            if needsRelay { throw InvalidSetting(key: "mail.host", message: "не задан почтовый сервер (SMTP) для отправки; --dry-run --out ПАПКА пишет письма в файлы") }
            relay = nil
            return
        }
        let port = values.port ?? (values.security == .tls ? 465 : values.security == .starttls ? 587 : 25)
        guard (1...65535).contains(port) else { throw InvalidSetting(key: "mail.port", message: "порт \(port) вне диапазона 1…65535") }
        guard (1...600).contains(values.timeout) else { throw InvalidSetting(key: "mail.timeout", message: "\(values.timeout) — секунд, от 1 до 600") }
        if values.security == .none, values.password != nil {
            throw InvalidSetting(key: "mail.password", message: "пароль без шифрования не отправляется: mail.security — starttls или tls")
        }
        relay = SMTPSettings(
            host: host, port: port, security: values.security, username: values.username, password: values.password,
            trustedCertificates: values.trusted, clientName: sender.address.split(separator: "@").last.map(String.init) ?? "localhost",
            timeout: .seconds(values.timeout)
        )
    }

    /// The relay, or the folder of a dry run.
    func post(dryRunFolder: String?) -> Post {
        if let dryRunFolder { return .folder(dryRunFolder) }
        return .relay(relay!, perMinute: perMinute)
    }
}

/// What a mailing did: how many letters went out, and those that were not, with the reason.
struct MailingReport: Encodable {
    struct Unsent: Encodable {
        var participant: Int64
        var address: String
        var reason: String
    }

    var sent = 0
    var unsent: [Unsent] = []
    /// Why the mailing stopped before the end (the relay unreachable), if it did.
    var stoppedBecause: String?
}

extension Post {
    /// Delivers one letter per participant, in order: paced to `perMinute`, with a progress bar;
    /// `delivered` runs after each letter the relay accepted (or each file written). A letter the
    /// relay refuses for its address is noted and the next one goes on; a lost connection is
    /// retried three times, then the mailing stops — what went out was already `delivered`.
    func deliver(
        _ participants: [Participant], label: String,
        letter: (Participant) throws -> MailMessage,
        delivered: (Participant, MailMessage) async throws -> Void
    ) async throws -> MailingReport {
        var report = MailingReport()
        let progress = ProgressBar(label, total: participants.count)
        var next = 0
        func attempt(_ send: (MailMessage) async throws -> Void) async throws {
            while next < participants.count {
                let participant = participants[next]
                do {
                    let message = try letter(participant)
                    try await send(message)
                    try await delivered(participant, message)
                    report.sent += 1
                } catch let error as MailError where error.concernsOnlyThisMessage {
                    report.unsent.append(.init(participant: participant.id, address: participant.details.email, reason: error.description))
                }
                next += 1
                progress.update(next)
            }
        }
        switch self {
        case .folder(let folder):
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CLIError.refused("\(folder): папка для писем не создана: \(error.localizedDescription)")
            }
            try await attempt { message in
                try writeOutput(message.data(), to: (folder as NSString).appendingPathComponent("ticket-\(participants[next].id)-\(participants[next].badgeSerial).eml"))
            }
        case .relay(let settings, let perMinute):
            let pause = Duration.seconds(60) / perMinute
            var failures = 0
            var lastStart = ContinuousClock.now - pause
            while next < participants.count {
                do {
                    try await SMTPClient.withSession(settings) { session in
                        try await attempt { message in
                            try await ContinuousClock().sleep(until: lastStart + pause)
                            lastStart = .now
                            try await session.send(message)
                            failures = 0
                        }
                    }
                } catch let error as MailError {
                    guard case .connection = error, failures < 3 else {
                        report.stoppedBecause = error.description
                        break
                    }
                    failures += 1
                    try await Task.sleep(for: .seconds(failures))
                }
            }
        }
        progress.finish()
        return report
    }
}
