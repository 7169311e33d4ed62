import ArgumentParser
import ForumDesk
import ForumDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct DeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Стойка регистрации: сканер QR-кодов, поиск по фамилии, работа без сети.",
        discussion: """
            Подключите ручной сканер (он «печатает» код и Enter) и запустите:
              forum desk --server http://10.0.0.2:8080 --list entrance --desk "Вход 3"

            После скана на экране крупно: зелёная ✓ с именем, категорией и регионом — или красный ✗ с причиной и звонок. Раскладка (русская или латинская) и Caps Lock не мешают.

            Потерян бейдж: наберите фамилию (или её начало) и Enter — появится список; номер и Enter отмечают человека.

            Если сервер не ответил за секунду, стойка решает сама по своему снимку (подписи, отмены, замены бейджей, отметки), сохраняет скан на диск до показа ответа и пишет «офлайн». Когда сервер снова отвечает, сканы уходят по порядку; расхождения (например, бейдж уже прошёл на другой стойке) показываются на экране. Снимок и сканы лежат в файле --state: закрытие стойки ничего не теряет.

            Токен лучше передать переменной FORUM_DESK_TOKEN (её не видно в списке процессов). С --json стойка печатает по строке JSON на каждый ответ, без экрана (для скриптов).
            """
    )

    @Option(help: "Адрес сервера forumops, например http://10.0.0.2:8080.")
    var server: String

    @Option(help: "Токен стойки (forum tokens create --role desk); или переменная FORUM_DESK_TOKEN.")
    var token: String?

    @Option(help: "Список: entrance (вход) или код сессии (зал).")
    var list = CheckInList.entranceSlug

    @Option(help: "Название стойки, как его увидят в журнале: «Вход 3».")
    var desk: String

    @Option(help: "Файл стойки (снимок и сканы); по умолчанию desk-<список>.sqlite в текущей папке.")
    var state: String?

    @Option(help: "Сколько секунд ждать сервер, прежде чем решать на стойке.")
    var timeout = 1.0

    @Flag(help: "Без экрана: по строке JSON на каждый ответ.")
    var json = false

    func validate() throws {
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else { throw ValidationError("--server: «\(server)» — нужен адрес вида http://host:port") }
        guard (0.05...30).contains(timeout) else { throw ValidationError("--timeout: от 0.05 до 30 секунд") }
        guard RussianText.tidy(desk) != nil else { throw ValidationError("--desk: укажите название стойки") }
        guard secret != nil else { throw ValidationError("нужен токен стойки: --token или переменная FORUM_DESK_TOKEN") }
    }

    private var secret: String? { token ?? ProcessInfo.processInfo.environment["FORUM_DESK_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } }

    func run() async throws {
        let path = state ?? "desk-\(list).sqlite"
        let store = try DeskStore(path: path)
        let desk = try Desk(
            list: list, name: RussianText.tidy(self.desk)!, store: store,
            server: DeskServer(url: server, token: secret!, timeout: .milliseconds(Int(timeout * 1000)))
        )
        try await desk.start(path: path)
        let console = DeskConsole(desk: desk, json: json)
        try await console.run()
    }
}

/// The desk's loop: lines from the scanner or the keyboard in, answers on screen; a
/// synchroniser in the background uploads and refreshes every second.
struct DeskConsole {
    let desk: Desk
    let json: Bool
    let screen: DeskScreen

    init(desk: Desk, json: Bool) {
        self.desk = desk
        self.json = json
        let colour = !json && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        screen = DeskScreen(colour: colour, width: Self.columns())
    }

    func run() async throws {
        let painter = Painter(screen: screen, json: json)
        var state = await painter.state(of: desk)
        painter.draw(state)
        let synchroniser = Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: .seconds(1)) } catch { break }
                await desk.synchronise()
                var fresh = await painter.state(of: desk)
                fresh.answer = nil
                painter.refreshHeader(fresh)
            }
        }
        defer { synchroniser.cancel() }
        for await line in Self.lines() {
            let typed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            var answer: DeskAnswer?
            var matches = state.matches
            var notice: String?
            if typed.isEmpty {
                matches = nil
            } else if typed == "?" {
                notice = DeskCommand.configuration.discussion
            } else if let code = ScannerInput.badgeCode(typed) {
                answer = await desk.checkIn(code: code)
                matches = nil
            } else if let number = Int(typed) {
                if let found = state.matches?.found, found.indices.contains(number - 1) {
                    answer = await desk.checkIn(participantID: found[number - 1].person.id)
                    matches = nil
                } else {
                    notice = "Нет строки с номером \(number): сначала наберите фамилию."
                }
            } else if typed.count < 32 {
                let found = await desk.search(typed)
                matches = (typed, found.matches, found.offline)
            } else {
                answer = await desk.checkIn(code: typed)  // a long unreadable text: refused as a badge that does not verify
            }
            state = await painter.state(of: desk)
            state.answer = answer
            state.matches = matches
            state.notice = notice
            painter.draw(state)
            if let answer { painter.report(answer, ringing: answer.result != .ok || answer.failure != nil) }
            if json, let matches { painter.report(matches.found) }
        }
        synchroniser.cancel()
        await synchroniser.value
        await desk.synchronise()
        let waiting = await desk.counters().waiting
        if waiting > 0 { Terminal.message("Ждут отправки: \(waiting) — они уйдут на сервер при следующем запуске стойки (файл стойки хранит их).") }
    }

    /// Lines typed or scanned, read on a thread of their own so that the synchroniser runs.
    static func lines() -> AsyncStream<String> {
        AsyncStream { continuation in
            Thread.detachNewThread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
        }
    }

    static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
    }
}

/// Writes the screen (or JSON lines) to stdout.
struct Painter: Sendable {
    let screen: DeskScreen
    let json: Bool

    func state(of desk: Desk) async -> DeskScreen.State {
        var state = DeskScreen.State(
            title: await desk.title, desk: desk.name, online: await desk.isOnline, trouble: await desk.trouble, counters: await desk.counters()
        )
        for scan in await desk.disagreements() {
            state.disagreements.append((scan, await desk.person(scan.participantID)))
        }
        return state
    }

    func draw(_ state: DeskScreen.State) {
        guard !json else { return }
        write(screen.render(state))
    }

    func refreshHeader(_ state: DeskScreen.State) {
        guard !json else { return }
        write(screen.header(state))
    }

    func report(_ answer: DeskAnswer, ringing: Bool) {
        if json {
            struct Line: Encodable {
                var result: CheckInResult
                var message: String
                var offline: Bool
                var nonce: String
                var participant: DoorPerson?
            }
            let line = Line(result: answer.result, message: answer.words, offline: answer.offline, nonce: answer.nonce, participant: answer.person)
            write(String(decoding: (try? Self.encoder.encode(line)) ?? Data(), as: UTF8.self) + "\n")
        } else if ringing {
            write(DeskScreen.bell)
        }
    }

    func report(_ matches: [DeskMatch]) {
        let people = matches.map(\.person)
        write(String(decoding: (try? Self.encoder.encode(people)) ?? Data(), as: UTF8.self) + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
