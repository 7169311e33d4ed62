import ForumDomain
import Foundation

/// The programme as an RFC 5545 calendar (`schedule.ics`, and a participant's own): a
/// VTIMEZONE for the forum's zone, one VEVENT per session with a stable UID and a SEQUENCE
/// that grows with the releases, CRLF line ends, escaped text, and lines folded at 75 octets
/// without splitting a character.
public struct ICalendar: Sendable {
    let context: FeedContext
    /// The calendar's name in a phone's list.
    let name: String

    public init(_ context: FeedContext, name: String? = nil) {
        self.context = context
        self.name = name ?? context.edition.fullName
    }

    /// The calendar with `sessions` (cancelled ones as STATUS:CANCELLED, so calendars that
    /// already have them drop them).
    public func render(_ sessions: [Session]) -> Data {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//forumops//\(context.edition.slug)//RU", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.escape(name), "X-WR-TIMEZONE:" + context.edition.timeZone,
        ]
        lines += timeZone()
        let stamp = Self.utc(context.release.publishedAt)
        for session in sessions {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(session.slug)@\(context.edition.slug).forumops",
                "DTSTAMP:\(stamp)",
                "SEQUENCE:\(context.release.number)",
                "DTSTART;TZID=\(context.edition.timeZone):\(local(session.start))",
                "DTEND;TZID=\(context.edition.timeZone):\(local(session.end))",
                "SUMMARY:" + Self.escape(session.title),
                "LOCATION:" + Self.escape(context.roomName(session) + ", " + context.edition.venue),
                "DESCRIPTION:" + Self.escape(description(session)),
                "CATEGORIES:" + Self.escape(session.kind.russianName),
                "URL:" + context.url(session),
                "STATUS:" + (session.isCancelled ? "CANCELLED" : "CONFIRMED"),
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return Data(lines.map(Self.fold).joined().utf8)
    }

    private func description(_ session: Session) -> String {
        ([session.description] + session.people.map { person in
            "\(person.role == .moderator ? "Модератор" : "Спикер"): \(person.name)" + (person.position.map { ", \($0)" } ?? "")
        }).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The zone's rule: Moscow keeps +03:00 all year (since 2014), which one STANDARD block says.
    private func timeZone() -> [String] {
        let zone = context.edition.zone
        let reference = context.edition.days.first?.opens ?? context.release.publishedAt
        let offset = Self.offset(zone.secondsFromGMT(for: reference))
        return [
            "BEGIN:VTIMEZONE", "TZID:" + zone.identifier,
            "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset, "TZOFFSETTO:" + offset,
            "TZNAME:" + (zone.abbreviation(for: reference) ?? offset), "END:STANDARD",
            "END:VTIMEZONE",
        ]
    }

    /// `20240115T100000`, wall clock in the forum's zone.
    private func local(_ date: Date) -> String {
        context.time.isoDay(date).replacingOccurrences(of: "-", with: "") + "T" + context.time.time(date).replacingOccurrences(of: ":", with: "") + "00"
    }

    static func utc(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false).timeSeparator(.omitted))
            .replacingOccurrences(of: "Z", with: "") + "Z"
    }

    static func offset(_ seconds: Int) -> String {
        (seconds < 0 ? "-" : "+") + String(abs(seconds) / 3600).leftPadded(to: 2) + String(abs(seconds) % 3600 / 60).leftPadded(to: 2)
    }

    /// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\n", "\r\n", "\r": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The line with CRLF, folded so that no line exceeds 75 octets; a fold never falls inside a
    /// UTF-8 sequence (Cyrillic letters are two octets).
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += size
        }
        return result + "\r\n"
    }
}
