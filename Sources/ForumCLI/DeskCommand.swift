import ArgumentParser
import ForumAPI
import ForumCredentials
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
              forum desk --server https://10.0.0.2:8443 --ca venue-ca.pem --key "$(cat forum-key.txt)" --list entrance --desk "Вход 3"

            Адрес — https:// (сервер с http.tls.certificate); сертификат своего центра сертификации площадки — --ca. Обычный http:// разрешён только к этой же машине (127.0.0.1) или с --insecure-http.

            Ключ проверки бейджей (forum keys public на сервере) лучше закрепить сразу: --key. Без --key стойка закрепляет ключ, полученный от сервера при первом подключении, и дальше не меняет его: если сервер предложит другой ключ (или никакого), стойка проверяет своим и показывает красное предупреждение — сообщите старшему смены.

            После скана на экране крупно: зелёная ✓ с именем, категорией и регионом — или красный ✗ с причиной и звонок. Раскладка (русская или латинская) и Caps Lock не мешают.

            Потерян бейдж: наберите фамилию (или её начало) и Enter — появится список; номер и Enter отмечают человека.

            Перевыпуск бейджа (со стойкой, запущенной с --printer, и токеном с правом перевыпуска: forum tokens create --role desk --may-reprint): после поиска наберите «п» и номер строки (п 2), подтвердите «да». Прежний бейдж сразу перестаёт действовать, новый печатается на принтере стойки (lp). Только при связи с сервером.

            Если сервер не ответил за секунду, стойка решает сама по своему снимку (подписи, отмены, замены бейджей, отметки), сохраняет скан на диск до показа ответа и пишет «офлайн». Когда сервер снова отвечает, сканы уходят по порядку; расхождения (например, бейдж уже прошёл на другой стойке) показываются на экране. Снимок и сканы лежат в файле --state: закрытие стойки ничего не теряет.

            Токен лучше передать переменной FORUM_DESK_TOKEN (её не видно в списке процессов). С --json стойка печатает по строке JSON на каждый ответ, без экрана (для скриптов).
            """
    )

    @Option(help: "Адрес сервера forumops, например https://10.0.0.2:8443.")
    var server: String

    @Option(help: "Сертификат центра сертификации площадки (PEM), которому доверять, кроме системных.")
    var ca: String?

    @Flag(help: "Разрешить http:// к другой машине (без шифрования: токен и список видны в сети).")
    var insecureHTTP = false

    @Option(help: "Ключ проверки бейджей (вывод forum keys public): закрепить его на стойке.")
    var key: String?

    @Option(help: "Токен стойки (forum tokens create --role desk); или переменная FORUM_DESK_TOKEN.")
    var token: String?

    @Option(help: "Список: entrance (вход), код сессии (зал) или свой список организаторов (lunch-15, bus…).")
    var list = CheckInList.entranceSlug

    @Option(help: "Название стойки, как его увидят в журнале: «Вход 3».")
    var desk: String

    @Option(help: "Файл стойки (снимок и сканы); по умолчанию desk-<список>.sqlite в текущей папке.")
    var state: String?

    @Option(help: "Сколько секунд ждать сервер, прежде чем решать на стойке.")
    var timeout = 1.0

    @Flag(help: "Без экрана: по строке JSON на каждый ответ.")
    var json = false

    @Option(help: "Принтер стойки (CUPS, lpstat -p) для перевыпущенных бейджей: «п НОМЕР» после поиска.")
    var printer: String?

    @Flag(help: "Отправить серверу заново все сканы этой стойки — после того как сервер восстановили из копии: сканы, принятые после копии, вернутся на сервер, а те, что у него есть, он узнает и не задвоит.")
    var resend = false

    func validate() throws {
        do {
            try DeskServer.checkAddress(server, insecureHTTP: insecureHTTP)
        } catch {
            throw ValidationError(error.description)
        }
        guard (0.05...30).contains(timeout) else { throw ValidationError("--timeout: от 0.05 до 30 секунд") }
        do {
            guard try PlainText.line(desk, field: "--desk", maximumLength: ScanRequest.Limit.desk) != nil else {
                throw ValidationError("--desk: укажите название стойки")
            }
        } catch let failure as ValidationFailure {
            throw ValidationError(failure.summary)
        }
        if let problem = Slug.problem(list) { throw ValidationError("--list: \(problem)") }
        if let key, BadgeVerifier(key) == nil { throw ValidationError("--key: «\(PlainText.printable(String(key.prefix(80))))» — ожидается вывод forum keys public (ИДЕНТИФИКАТОР:ключ)") }
        guard secret != nil else { throw ValidationError("нужен токен стойки: --token или переменная FORUM_DESK_TOKEN") }
    }

    private var secret: String? { token ?? ProcessInfo.processInfo.environment["FORUM_DESK_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } }

    func run() async throws {
        let path = state ?? "desk-\(list).sqlite"
        let store = try DeskStore(path: path)
        if resend {
            Terminal.message("Стойка отправит серверу заново сканов: \(try await store.queueEverythingAgain())")
        }
        let connection = try DeskServer(url: server, token: secret!, timeout: .milliseconds(Int(timeout * 1000)), ca: ca, insecureHTTP: insecureHTTP)
        do {
            let desk = try Desk(list: list, name: RussianText.tidy(self.desk)!, store: store, server: connection, key: key.flatMap(BadgeVerifier.init))
            try await desk.start(path: path)
            try await DeskConsole(desk: desk, json: json, printer: printer.map(BadgePrinter.init)).run()
        } catch {
            await connection.shutdown()
            throw error
        }
        await connection.shutdown()
    }
}

/// The desk's loop: lines from the scanner or the keyboard in, answers on screen; a
/// synchroniser in the background uploads and refreshes every second.
struct DeskConsole {
    let desk: Desk
    let json: Bool
    let screen: DeskScreen
    /// Where reprinted badges go; without one the desk does not reprint.
    let printer: BadgePrinter?

    init(desk: Desk, json: Bool, printer: BadgePrinter? = nil) {
        self.desk = desk
        self.json = json
        self.printer = printer
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
        /// The person whose reprint waits for «да».
        var reprinting: DoorPerson?
        for await line in Self.lines() {
            var answer: DeskAnswer?
            var matches = state.matches
            var notice: String?
            let typed = DeskLine(line)
            if let person = reprinting, let printer {
                // «да» reprints; anything else cancels, and only a scanned badge is then handled as usual.
                reprinting = nil
                let confirmed = DeskLine.confirms(line)
                if confirmed {
                    let outcome = await desk.reprint(participantID: person.id, on: printer)
                    notice = Self.words(outcome, printer: printer)
                    painter.report(outcome)
                } else {
                    notice = "Перевыпуск отменён."
                    painter.say("notice", notice!)
                }
                switch typed {
                case .code, .unreadable: break
                default:
                    state = await painter.state(of: desk)
                    state.matches = matches
                    state.notice = notice
                    painter.draw(state)
                    continue
                }
            }
            switch typed {
            case .empty:
                matches = nil
            case .help:
                notice = DeskCommand.configuration.discussion
            case .code(let code), .unreadable(let code):
                answer = await desk.checkIn(code: code)
                matches = nil
            case .pick(let number):
                if let found = state.matches?.found, found.indices.contains(number - 1) {
                    answer = await desk.checkIn(participantID: found[number - 1].person.id)
                    matches = nil
                } else {
                    notice = "Нет строки с номером \(number): сначала наберите фамилию."
                }
            case .reprint(let number):
                guard let printer else {
                    notice = "Принтер не указан: перезапустите стойку с --printer ИМЯ (lpstat -p покажет принтеры)."
                    break
                }
                if let found = state.matches?.found, found.indices.contains(number - 1) {
                    let person = found[number - 1].person
                    reprinting = person
                    notice = "Перевыпустить бейдж: \(person.fullName), № \(person.id)? Прежний бейдж перестанет действовать, новый напечатается на принтере «\(printer.name)». Введите «да» и Enter; другое — отмена."
                    painter.say("confirm", notice!)
                } else {
                    notice = "Нет строки с номером \(number): сначала наберите фамилию."
                }
            case .search(let text):
                matches = await desk.search(text)
                if json, let matches { painter.report(matches.found) }
            }
            state = await painter.state(of: desk)
            state.answer = answer
            state.matches = matches
            state.notice = notice
            painter.draw(state)
            if let answer { painter.report(answer, ringing: answer.result != .ok || answer.failure != nil) }
        }
        synchroniser.cancel()
        await synchroniser.value
        await desk.synchronise()
        let waiting = await desk.counters().waiting
        if waiting > 0 { Terminal.message("Ждут отправки: \(waiting) — они уйдут на сервер при следующем запуске стойки (файл стойки хранит их).") }
    }

    /// A reprint's outcome in words.
    static func words(_ outcome: DeskReprint, printer: BadgePrinter) -> String {
        let who = outcome.person.map { "\($0.fullName), № \($0.id)" } ?? "участник"
        if let failure = outcome.failure { return "✗ Бейдж не перевыпущен или не напечатан (\(who)): \(failure)" }
        return "✓ Бейдж перевыпущен (\(who), серия \(outcome.serial.map(String.init) ?? "?")) и отправлен на принтер «\(printer.name)»"
            + (outcome.printed.map { $0.isEmpty ? "" : " (\($0))" } ?? "") + ". Прежний бейдж больше не действует."
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
        state.keyWarning = await desk.keyWarning
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

    /// With `--json`: what the desk says besides answers — `confirm`, the question before a
    /// reprint; `notice`, that it was cancelled — as a line.
    func say(_ kind: String, _ text: String) {
        guard json else { return }
        write(String(decoding: (try? Self.encoder.encode([kind: text])) ?? Data(), as: UTF8.self) + "\n")
    }

    /// With `--json`: how a reprint went, as a line; on screen a failure rings.
    func report(_ outcome: DeskReprint) {
        guard json else {
            if outcome.failure != nil { write(DeskScreen.bell) }
            return
        }
        struct Line: Encodable {
            struct Reprint: Encodable {
                var participant: Int64?
                var serial: Int?
                var printed: String?
                var failure: String?
            }
            var reprint: Reprint
        }
        let line = Line(reprint: .init(participant: outcome.participantID, serial: outcome.serial, printed: outcome.printed, failure: outcome.failure))
        write(String(decoding: (try? Self.encoder.encode(line)) ?? Data(), as: UTF8.self) + "\n")
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
