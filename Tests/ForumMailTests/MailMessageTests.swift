import Foundation
import NIOCore
import NIOEmbedded
import Testing

@testable import ForumMail

@Suite struct MailMessageTests {
    private func decodedWords(_ header: String) -> String {
        header.split(separator: " ").map { word in
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(payload))!, as: UTF8.self)
        }.joined()
    }

    @Test func cyrillicHeadersBecomeEncodedWordsThatDecodeBackAndBreakAfterSpaces() {
        #expect(MailHeader.encoded("Forum ticket") == "Forum ticket")
        let subject = "Ваш электронный билет — Всероссийский муниципальный форум «Малая Родина — сила России»"
        let encoded = MailHeader.encoded(subject)
        let words = encoded.split(separator: " ")
        #expect(words.count > 2)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 64 })
        #expect(decodedWords(encoded) == subject)
        // Every word but the last ends on a space: no decoder glues or splits a Russian word.
        #expect(words.dropLast().allSatisfy { decodedWords(String($0)).hasSuffix(" ") })
    }

    @Test func aNameCannotAddHeaders() throws {
        let ascii = try MailAddress("ivanov@mail.ru", name: "Ivan\r\nBcc: spy@evil.example")
        #expect(ascii.header == "\"IvanBcc: spy@evil.example\" <ivanov@mail.ru>")
        let russian = try MailAddress("ivanov@mail.ru", name: "Иванов\r\nBcc: spy@evil.example")
        #expect(!russian.header.contains("\n") && decodedWords(String(russian.header.split(separator: " <").first!)) == "ИвановBcc: spy@evil.example")
        for address in ["ivanov@mail", "ivanov", "a b@mail.ru", "<a>@mail.ru", "иванов@почта.рф", "a@mail.ru\r\nRCPT TO:<x@y.ru>", "@mail.ru", "a@mail.ru>"] {
            #expect(throws: MailError.badAddress(address)) { try MailAddress(address) }
        }
    }

    @Test func aCyrillicDomainTravelsAsIDNA() throws {
        // The values Python's `encodings.idna` gives.
        #expect(Punycode.asciiDomain("пример.рф") == "xn--e1afmkfd.xn--p1ai")
        #expect(Punycode.asciiDomain("Президент.РФ") == "xn--d1abbgf6aiiy.xn--p1ai")
        #expect(Punycode.asciiDomain("мэрия-города.рф") == "xn----8sbierxrane1l0a.xn--p1ai")
        #expect(Punycode.asciiDomain("bücher.de") == "xn--bcher-kva.de")
        #expect(try MailAddress("glava@мэрия-города.рф").address == "glava@xn----8sbierxrane1l0a.xn--p1ai")
        #expect(try MailAddress("ivanov@mail.ru").address == "ivanov@mail.ru")
    }

    @Test func aMessageIsCRLFLinesOfAtMost78CharactersWithMoscowDate() throws {
        let message = MailMessage(
            from: try MailAddress("bilet@forum.example.ru", name: "Форум «Малая Родина — сила России»"),
            to: try MailAddress("ivanov@mail.ru", name: "Иванов Иван Иванович"),
            subject: "Ваш электронный билет — Всероссийский муниципальный форум «Малая Родина — сила России»",
            date: Date(timeIntervalSince1970: 1_799_992_800),  // 2027-01-15 06:00 UTC
            body: .multipart("mixed", [.text(String(repeating: "Текст письма. ", count: 40), subtype: "plain"), .file(Data(count: 5000), type: "application/pdf", name: "badge-1.pdf")])
        )
        let text = String(decoding: message.data(), as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.contains("Date: Fri, 15 Jan 2027 09:00:00 +0300"))
        #expect(text.contains("MIME-Version: 1.0\r\n") && text.contains("Content-Disposition: attachment; filename=\"badge-1.pdf\""))
        #expect(message.messageID.hasSuffix("@forum.example.ru>"))
    }

    @Test func dataDoublesLeadingDotsAndEndsWithTheLoneDot() {
        let stuffed = SMTPSession.dotStuffed(Data(".first\r\nmiddle\r\n.\r\nlast".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..first\r\nmiddle\r\n..\r\nlast\r\n.\r\n")
    }

    @Test func repliesAreReadWholeAcrossLinesAndAnOverlongLineIsRefused() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: "250-smtp.example.ru\r\n250-STARTTLS\r\n250 AUTH PLAIN"))
        #expect(try channel.readInbound(as: SMTPReply.self) == nil)
        try channel.writeInbound(ByteBuffer(string: " LOGIN\r\n354 Start\r\n"))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 250, lines: ["smtp.example.ru", "STARTTLS", "AUTH PLAIN LOGIN"]))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 354, lines: ["Start"]))
        #expect(throws: MailError.self) { try channel.writeInbound(ByteBuffer(string: String(repeating: "x", count: 2100))) }
        let garbled = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        #expect(throws: MailError.self) { try garbled.writeInbound(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n")) }
    }
}
