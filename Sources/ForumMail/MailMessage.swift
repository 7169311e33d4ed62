import Foundation

/// A mailbox: an address and, optionally, the name shown beside it («Иванов Иван <ivanov@mail.ru>»).
public struct MailAddress: Sendable, Equatable {
    public var name: String?
    public var address: String

    /// Refuses what cannot be an SMTP path or would break a header: no `@`, spaces, angle
    /// brackets, control characters, or letters outside ASCII before the `@` (SMTPUTF8 is not
    /// used). A domain in other letters (`мэрия.рф`) is carried as IDNA (`xn--…`).
    public init(_ address: String, name: String? = nil) throws(MailError) {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || "-.".unicodeScalars.contains($0) }) else {
            throw MailError.badAddress(address)
        }
        let ascii = parts[0] + "@" + Punycode.asciiDomain(String(parts[1]))
        let allowed = ascii.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) }
        guard !parts[0].isEmpty, parts[1].contains("."), ascii.utf8.count <= 254, allowed else {
            throw MailError.badAddress(address)
        }
        self.address = ascii
        self.name = name.map { $0.filter { !$0.isNewline } }
    }

    /// The mailbox as a header value, the name encoded by RFC 2047 when it is not plain ASCII.
    var header: String {
        guard let name, !name.isEmpty else { return address }
        return MailHeader.phrase(name) + " <" + address + ">"
    }
}

/// One part of a MIME message: text, a file (attached or shown inline by its `Content-ID`), or
/// parts that belong together (`multipart/alternative`, `related`, `mixed`).
public indirect enum MIMEPart: Sendable {
    case text(String, subtype: String)
    case file(Data, type: String, name: String, contentID: String? = nil)
    case multipart(String, [MIMEPart])
}

/// An Internet message (RFC 5322 with MIME): built as bytes for SMTP's `DATA` or an `.eml` file,
/// lines ending in CRLF, every header that is not plain ASCII encoded by RFC 2047, every body in
/// base64 so that no line is longer than 76 characters whatever the text.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var date: Date
    /// `<…@domain>`; unique per message.
    public var messageID: String
    public var body: MIMEPart

    public init(from: MailAddress, to: MailAddress, subject: String, date: Date = Date(), messageID: String? = nil, body: MIMEPart) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        self.messageID = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
        self.body = body
    }

    /// The message as sent: headers, a blank line, the body.
    public func data() -> Data {
        var text = ""
        text += MailHeader.line("From", from.header)
        text += MailHeader.line("To", to.header)
        text += MailHeader.line("Subject", MailHeader.encoded(subject))
        text += "Date: " + Self.dateHeader(date) + "\r\n"
        text += "Message-ID: " + messageID + "\r\n"
        text += "MIME-Version: 1.0\r\n"
        var boundaries = 0
        Self.render(body, into: &text, boundaries: &boundaries)
        return Data(text.utf8)
    }

    private static func render(_ part: MIMEPart, into text: inout String, boundaries: inout Int) {
        switch part {
        case .text(let content, let subtype):
            text += "Content-Type: text/\(subtype); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            text += base64Lines(Data(content.utf8))
        case .file(let data, let type, let name, let contentID):
            let parameter = MailHeader.encoded(name)
            text += "Content-Type: \(type); name=\"\(parameter)\"\r\nContent-Transfer-Encoding: base64\r\n"
            if let contentID {
                text += "Content-ID: <\(contentID)>\r\nContent-Disposition: inline; filename=\"\(parameter)\"\r\n\r\n"
            } else {
                text += "Content-Disposition: attachment; filename=\"\(parameter)\"\r\n\r\n"
            }
            text += base64Lines(data)
        case .multipart(let subtype, let parts):
            boundaries += 1
            let boundary = "=_forumops_\(boundaries)_" + UUID().uuidString.prefix(8)
            text += "Content-Type: multipart/\(subtype); boundary=\"\(boundary)\"\r\n\r\n"
            for part in parts {
                text += "--\(boundary)\r\n"
                render(part, into: &text, boundaries: &boundaries)
            }
            text += "--\(boundary)--\r\n"
        }
    }

    private static func base64Lines(_ data: Data) -> String {
        data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n"
    }

    /// RFC 5322's date in Moscow time: «Fri, 15 Jan 2027 09:00:00 +0300».
    static func dateHeader(_ date: Date) -> String {
        let moscow = TimeZone(identifier: "Europe/Moscow")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = moscow
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = moscow.secondsFromGMT(for: date) / 60
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(weekdays[parts.weekday! - 1]), \(two(parts.day!)) \(months[parts.month! - 1]) \(parts.year!) "
            + "\(two(parts.hour!)):\(two(parts.minute!)):\(two(parts.second!)) \(offset < 0 ? "-" : "+")\(two(abs(offset) / 60))\(two(abs(offset) % 60))"
    }
}

/// Header values by RFC 2047 and RFC 5322: encoded words for text that is not plain ASCII, and
/// long lines folded.
enum MailHeader {
    /// `text` as is when it is printable ASCII, otherwise as `=?UTF-8?B?…?=` words of at most 75
    /// characters. Words end after a space where they can (a space inside the encoded text
    /// survives every decoder), and between whole characters always.
    static func encoded(_ text: String) -> String {
        let clean = text.filter { !$0.isNewline }
        if clean.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return clean }
        // 39 bytes of UTF-8 make 52 of base64: with «=?UTF-8?B?» and «?=» a word is 64 characters,
        // which fits a line beside «Subject: ».
        let limit = 39
        var words: [String] = []
        var chunk = ""
        for character in clean {
            if chunk.utf8.count + String(character).utf8.count > limit {
                let cut = chunk.lastIndex(of: " ").map { chunk.index(after: $0) } ?? chunk.endIndex
                words.append(String(chunk[..<cut]))
                chunk = String(chunk[cut...])
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: " ")
    }

    /// A display name: encoded, or quoted when ASCII with characters that have a meaning in addresses.
    static func phrase(_ name: String) -> String {
        let value = encoded(name)
        guard value == name.filter({ !$0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `Name: value` and CRLF, folded at the value's spaces so that no line passes 78 characters.
    static func line(_ name: String, _ value: String) -> String {
        var lines: [String] = []
        var line = name + ":"
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if line.count + 1 + word.count > 78, line != name + ":" {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// Why a message could not be built or sent.
public enum MailError: Error, Equatable, CustomStringConvertible {
    /// Not an address a message can go to.
    case badAddress(String)
    /// The server refused (`code` 4xx: for now; 5xx: for good) at `stage`.
    case refused(stage: String, code: Int, text: String)
    /// The connection could not be made or was lost.
    case connection(String)
    /// The server lacks what the settings require (STARTTLS, AUTH).
    case unsupported(String)

    public var description: String {
        switch self {
        case .badAddress(let address): "«\(address)» — не адрес электронной почты, на который можно отправить письмо"
        case .refused(let stage, let code, let text): "почтовый сервер отказал (\(stage)): \(code) \(text)"
        case .connection(let reason): "нет связи с почтовым сервером: \(reason)"
        case .unsupported(let reason): reason
        }
    }

    /// Whether this refusal concerns only this message (a recipient refused), so that sending
    /// goes on with the next one.
    public var concernsOnlyThisMessage: Bool {
        switch self {
        case .badAddress: true
        case .refused(let stage, _, _): stage == "RCPT TO" || stage == "DATA"
        default: false
        }
    }
}
