import ForumDomain
import Foundation

/// The desk's terminal screen as text: a status line, the counters, the last answer big and in
/// colour, a numbered search result, the scans the server judged otherwise, and a hint. With
/// `colour` off (a pipe, `NO_COLOR`) it is the same words without escape sequences.
public struct DeskScreen: Sendable {
    public var colour: Bool
    public var width: Int

    public init(colour: Bool, width: Int = 80) {
        self.colour = colour
        self.width = max(width, 40)
    }

    /// What the desk shows between scans.
    public struct State: Sendable {
        public var title: String
        public var desk: String
        public var online: Bool
        public var trouble: String?
        public var counters: DeskCounters
        public var answer: DeskAnswer?
        public var matches: DeskSearch?
        /// The server offers another badge key than the desk's (`Desk.keyWarning`).
        public var keyWarning: String?
        public var disagreements: [(scan: DeskScan, person: DoorPerson?)]
        public var notice: String?

        public init(title: String, desk: String, online: Bool, trouble: String?, counters: DeskCounters) {
            self.title = title
            self.desk = desk
            self.online = online
            self.trouble = trouble
            self.counters = counters
            disagreements = []
        }
    }

    public static let hint = "Сканируйте бейдж или наберите фамилию · номер из списка — отметить · ? — справка · Ctrl+D — выход"

    /// The whole screen, from the top.
    public func render(_ state: State) -> String {
        var lines = [statusLine(state), countersLine(state.counters), rule()]
        if let trouble = state.trouble { lines.append(paint(fit("⚠ " + trouble), "1;33")) }
        if let warning = state.keyWarning { lines.append(paint(fit("⚠ " + warning), "1;97;41")) }
        lines.append("")
        if let answer = state.answer { lines += banner(answer) }
        if let matches = state.matches { lines += list(matches) }
        if let notice = state.notice { lines += ["", PlainText.printable(notice, keepingLineBreaks: true)] }
        if !state.disagreements.isEmpty {
            lines += ["", paint("Сервер решил иначе (покажите старшему смены):", "1;33")]
            let time = ForumTime()
            for (scan, person) in state.disagreements {
                let who = person?.fullName ?? scan.participantID.map { "участник № \($0)" } ?? "нечитаемый бейдж"
                lines.append(fit("  • \(time.time(scan.scannedAt)) \(who)"))
                lines.append(fit("    на стойке: «\(scan.result.russianName)» → сервер: «\(scan.serverMessage ?? scan.serverResult?.russianName ?? "")»"))
            }
        }
        lines += ["", rule(), paint(fit(Self.hint), "2")]
        return (colour ? "\u{1B}[H\u{1B}[2J" : "") + lines.joined(separator: "\n") + "\n> "
    }

    /// The first two lines alone, drawn in place (cursor saved and restored) when the desk goes
    /// online or offline or the counters move while the operator types.
    public func header(_ state: State) -> String {
        guard colour else { return "" }
        return "\u{1B}7\u{1B}[1;1H" + statusLine(state) + "\u{1B}[K\n" + countersLine(state.counters) + "\u{1B}[K\u{1B}8"
    }

    func statusLine(_ state: State) -> String {
        let left = fit(PlainText.printable("\(state.title) · стойка «\(state.desk)»"), leaving: 26)
        let right = state.online ? "● онлайн" : "● ОФЛАЙН — решает стойка"
        let gap = max(1, width - left.count - right.count)
        return paint(left, "1") + String(repeating: " ", count: gap) + paint(right, state.online ? "1;32" : "1;37;41")
    }

    func countersLine(_ counters: DeskCounters) -> String {
        "Эта стойка: \(Self.grouped(counters.desk)) · Всего по списку: \(Self.grouped(counters.list)) · Ждут отправки: "
            + paint(Self.grouped(counters.waiting), counters.waiting > 0 ? "1;33" : "0")
    }

    /// The answer, five lines tall, in a full-width band of green or red.
    func banner(_ answer: DeskAnswer) -> [String] {
        let passed = answer.result == .ok && answer.failure == nil
        let glyph = passed ? Self.tick : Self.cross
        let person = answer.person
        let details = [person?.categoryName, person?.regionName].compactMap { $0 }.joined(separator: " · ")
        let position = [person?.position, person?.municipality].compactMap { $0 }.joined(separator: ", ")
        let text = [
            answer.words.uppercased(),
            person?.fullName ?? "",
            details,
            position,
            answer.offline ? "офлайн — решено на стойке, уйдёт на сервер при связи" : "",
        ]
        let style = passed ? "1;97;42" : "1;97;41"
        return zip(glyph, text).map { glyph, text in
            let line = fit(" " + glyph + "   " + text)
            return paint(line + String(repeating: " ", count: max(0, width - line.count)), style)
        }
    }

    func list(_ matches: DeskSearch) -> [String] {
        guard !matches.found.isEmpty else {
            return ["", fit("По «\(matches.query)» никого нет\(matches.offline ? " в снимке стойки" : ""). Проверьте первые буквы фамилии.")]
        }
        let time = ForumTime()
        let shown = matches.total > matches.found.count
            ? " — показаны \(matches.found.count) из \(Self.grouped(matches.total)), наберите ещё букву, чтобы сузить"
            : ""
        var lines = ["", fit("Найдено по «\(matches.query)»\(matches.offline ? " (снимок стойки, офлайн)" : "")\(shown):")]
        for (index, match) in matches.found.enumerated() {
            let person = match.person
            let note = if person.status == .cancelled {
                "  ✗ регистрация отменена"
            } else if let earlier = match.earlier {
                "  ✓ уже прошёл(а) в \(time.time(earlier.at)), «\(earlier.desk)»"
            } else {
                ""
            }
            let line = fit("  \(index + 1). \(person.fullName) — \(person.regionName)" + (person.position.map { ", " + $0 } ?? ""), leaving: note.count)
            lines.append(line + paint(PlainText.printable(note), person.status == .cancelled ? "31" : "33"))
        }
        lines.append("Наберите номер и Enter, чтобы отметить; или отсканируйте бейдж.")
        return lines
    }

    func rule() -> String { String(repeating: "─", count: width) }

    /// The text cut to the width (with «…»), leaving room for `leaving` more characters; only
    /// printable text, whatever the server or the copy holds.
    func fit(_ text: String, leaving: Int = 0) -> String {
        let text = PlainText.printable(text)
        let room = max(width - leaving, 10)
        return text.count > room ? String(text.prefix(room - 1)) + "…" : text
    }

    func paint(_ text: String, _ style: String) -> String {
        colour && style != "0" ? "\u{1B}[\(style)m\(text)\u{1B}[0m" : text
    }

    /// «3 811»: thousands apart, as Russian prints them.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        return String(digits.enumerated().flatMap { index, digit in
            (index > 0 && (digits.count - index) % 3 == 0) ? [" ", digit] : [digit]
        })
    }

    static let tick = ["       ██", "      ██ ", " ██  ██  ", "  ████   ", "   ██    "]
    static let cross = [" ██   ██ ", "  ██ ██  ", "   ███   ", "  ██ ██  ", " ██   ██ "]

    /// The terminal bell, rung on a refusal.
    public static let bell = "\u{07}"
}
