import ForumBadges
import ForumDomain
import ForumMail
import Foundation

/// The letters a participant receives: the e-ticket (their badge code as a QR image shown in
/// the letter and as a one-page badge PDF, with their personal calendar's address), and the
/// notice that their registration was cancelled. Everything from the registration form is
/// escaped: a name is text in the letter, never markup.
public struct TicketLetter: Sendable {
    public var forumName: String
    public var sender: MailAddress
    public var renderer: BadgeRenderer

    public init(forumName: String, sender: MailAddress, renderer: BadgeRenderer) {
        self.forumName = forumName
        self.sender = sender
        self.renderer = renderer
    }

    /// The e-ticket for `participant`'s current badge, whose signed code is `code`;
    /// `calendarURL` is their personal calendar (`…/feeds/TOKEN/schedule.ics`).
    public func ticket(for participant: Participant, code: String, calendarURL: String, date: Date = Date()) throws -> MailMessage {
        let details = participant.details
        let greeting = Self.greeting(details)
        let qr = try QRImage.png(try QRCode(code), scale: 8)
        let badge = try BadgePDF.data([BadgeContent(participant, code: code, forumName: forumName)], renderer: renderer)
        let subscribe = CalendarSubscription.webcal(calendarURL)
        let replaced = participant.badgeSerial > 1
            ? "Это новый бейдж (№ \(participant.badgeSerial)): прежний QR-код больше не действует."
            : nil
        let text = [
            "\(greeting)!",
            "",
            "Вы зарегистрированы на форум «\(forumName)».",
            "Ваш электронный билет — QR-код в этом письме и бейдж в приложенном PDF. Покажите QR-код на входе с экрана телефона или распечатайте PDF.",
            replaced,
            "",
            "Участник: \(details.fullName)",
            "Регион: \(details.region.name)",
            "Номер регистрации: \(participant.id)",
            "",
            "Ваша программа форума в календаре (подписка обновляется сама):",
            calendarURL,
            "",
            "Не пересылайте это письмо: QR-код — ваш пропуск.",
        ].compactMap { $0 }.joined(separator: "\n")
        let html = """
            <!DOCTYPE html>
            <html lang="ru"><head><meta charset="utf-8"><title>\(PlainText.markup(forumName))</title></head>
            <body style="font-family: Arial, sans-serif; color: #1a1a1a;">
            <p>\(PlainText.markup(greeting))!</p>
            <p>Вы зарегистрированы на форум «\(PlainText.markup(forumName))». Ваш электронный билет — этот QR-код и бейдж в приложенном PDF. Покажите QR-код на входе с экрана телефона или распечатайте PDF.</p>
            \(replaced.map { "<p><strong>\(PlainText.markup($0))</strong></p>" } ?? "")
            <p><img src="cid:\(Self.qrContentID)" width="264" height="264" alt="QR-код бейджа"></p>
            <p>Участник: <strong>\(PlainText.markup(details.fullName))</strong><br>
            Регион: \(PlainText.markup(details.region.name))<br>
            Номер регистрации: \(participant.id)</p>
            <p>Ваша программа форума в календаре: <a href="\(PlainText.markup(subscribe))">подписаться</a><br>
            <span style="font-size: small;">\(PlainText.markup(calendarURL))</span></p>
            <p style="font-size: small; color: #555;">Не пересылайте это письмо: QR-код — ваш пропуск.</p>
            </body></html>
            """
        return MailMessage(
            from: sender, to: try recipient(participant),
            subject: "Ваш электронный билет — \(forumName)", date: date,
            body: .multipart("mixed", [
                .multipart("related", [
                    .multipart("alternative", [.text(text, subtype: "plain"), .text(html, subtype: "html")]),
                    .file(qr, type: "image/png", name: "qr-\(participant.id).png", contentID: Self.qrContentID),
                ]),
                .file(badge, type: "application/pdf", name: "badge-\(participant.id).pdf"),
            ])
        )
    }

    /// The notice that `participant`'s registration was cancelled and their badge no longer admits.
    public func cancellation(for participant: Participant, date: Date = Date()) throws -> MailMessage {
        let text = """
            \(Self.greeting(participant.details))!

            Ваша регистрация на форум «\(forumName)» (номер \(participant.id)) отменена. Присланный ранее QR-код и бейдж больше не действуют.

            Если это ошибка, ответьте на это письмо или обратитесь к организаторам.
            """
        return MailMessage(
            from: sender, to: try recipient(participant),
            subject: "Регистрация отменена — \(forumName)", date: date,
            body: .text(text, subtype: "plain")
        )
    }

    private func recipient(_ participant: Participant) throws(MailError) -> MailAddress {
        try MailAddress(participant.details.email, name: participant.details.fullName)
    }

    /// «Здравствуйте, Иван Петрович» — the given name and patronymic, as a Russian letter addresses a person.
    static func greeting(_ details: ParticipantDetails) -> String {
        "Здравствуйте, " + [details.firstName, details.patronymic].compactMap { $0 }.joined(separator: " ")
    }

    static let qrContentID = "qr@forumops"
}
