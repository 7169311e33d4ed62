import ForumAPI
import ForumCredentials
import ForumDomain
import Foundation

/// One check-in desk at one list: asks the server while it answers, decides by itself when it
/// does not (about a second), and uploads what it decided, in order, once the server is back.
/// Every scan is on the desk's disk before its answer is shown. The desk verifies badges with
/// the key it pinned — the first it received, or the one it was given — and never replaces it.
public actor Desk {
    nonisolated public let list: String
    nonisolated public let name: String
    let store: DeskStore
    let server: DeskServer
    private var copy: DeskStore.Copy?
    private var verifier: BadgeVerifier?
    /// Whether the last call to the server got an answer (until one fails, the desk assumes so).
    public private(set) var isOnline = true
    /// What keeps the desk from its server other than the network (a refused token, someone
    /// else answering), for the screen.
    public private(set) var trouble: String?
    /// Set when the server offers another badge key than the pinned one (or none).
    public private(set) var keyWarning: String?
    private var synchronising = false
    private var refreshedAt = Date.distantPast
    private var wholeAt = Date.distantPast

    /// How often a desk online asks for changes, and takes the whole list again (annulments
    /// reach it then).
    static let refreshEvery: TimeInterval = 5
    static let wholeEvery: TimeInterval = 300

    /// A desk over its file; `key` (from `forum keys public`) is pinned if the file holds none,
    /// and must be the one it holds otherwise.
    public init(list: String, name: String, store: DeskStore, server: DeskServer, key: BadgeVerifier? = nil) throws {
        self.list = list
        self.name = name
        self.store = store
        self.server = server
        copy = try store.copy()
        verifier = try store.pinnedKey()
        if let key {
            if let verifier, verifier != key { throw DeskError.otherKey(path: store.path ?? ":memory:") }
            if verifier == nil { try store.pin(key) }
            verifier = key
        }
    }

    /// Fetches the list's snapshot (or checks the copy is this list's); without a server and
    /// without a copy the desk cannot work.
    public func start(path: String) async throws {
        if let copy, copy.list.slug != list { throw DeskError.otherList(path: path, holds: copy.list.slug) }
        do {
            try await refresh(whole: true)
        } catch {
            if copy == nil { throw DeskError.noSnapshot(server: server.url, reason: Self.words(error)) }
            note(error)
        }
    }

    // MARK: Scans

    /// A scanned badge code.
    public func checkIn(code: String) async -> DeskAnswer {
        await checkIn(code: code, participantID: nil)
    }

    /// A person picked by the operator from a search.
    public func checkIn(participantID: Int64) async -> DeskAnswer {
        await checkIn(code: nil, participantID: participantID)
    }

    private func checkIn(code: String?, participantID: Int64?) async -> DeskAnswer {
        let nonce = UUID().uuidString.lowercased()
        let now = Date()
        let scan = ScanRequest(code: code, participantId: participantID, list: list, desk: name, nonce: nonce, scannedAt: now, offline: false)
        if isOnline, (try? store.waitingCount()) == 0 {
            do {
                let answer = try await server.checkIn(scan)
                markOnline()
                try? await store.record(DeskScan(
                    nonce: nonce, code: code, participantID: answer.participant?.id ?? participantID, picked: code == nil, list: list, desk: name,
                    scannedAt: now, result: answer.result, offline: false, uploadedAt: Date(), serverResult: answer.result, serverMessage: nil,
                    checkInID: answer.checkIn.id
                ))
                return DeskAnswer(answer, nonce: nonce)
            } catch {
                note(error)
            }
        }
        return await decideHere(code: code, participantID: participantID, nonce: nonce, at: now)
    }

    /// The desk's own decision, kept (to upload later) before it is returned.
    public func decideHere(code: String?, participantID: Int64?, nonce: String = UUID().uuidString.lowercased(), at now: Date = Date()) async -> DeskAnswer {
        let credential = code.flatMap { code in try? verifier?.credential(code) }
        let id = credential?.participantID ?? (code == nil ? participantID : nil)
        var answer = DeskAnswer(result: verifier == nil ? .cannotVerify : .invalidSignature, person: nil, earlier: nil, offline: true, nonce: nonce)
        do {
            guard let copy else { throw DeskError.unreadable("нет снимка списка") }
            if let id {
                let facts = try store.facts(participant: id, list: copy.list)
                let credential = credential ?? facts.person.map { BadgeCredential(participantID: $0.id, serial: $0.badgeSerial) }
                answer.person = facts.person
                answer.earlier = facts.earlier
                answer.result = CheckInFacts(
                    credential: credential, participant: facts.person, list: copy.list, now: now,
                    alreadyIn: facts.earlier != nil, seated: facts.seated, admitted: facts.admitted, canVerify: verifier != nil
                ).result
                if answer.result != .alreadyCheckedIn { answer.earlier = nil }
            }
            try await store.record(DeskScan(
                nonce: nonce, code: code, participantID: id, picked: code == nil, list: list, desk: name, scannedAt: now,
                result: answer.result, offline: true, uploadedAt: nil, serverResult: nil, serverMessage: nil
            ))
        } catch {
            // Not on disk: the desk must not let anyone in on an answer it could lose.
            answer.result = .unknown
            answer.failure = "скан не сохранён: \(error)"
        }
        return answer
    }

    /// People by surname: the server's answer while it answers, the desk's copy otherwise.
    public func search(_ prefix: String, limit: Int = 9) async -> DeskSearch {
        if isOnline {
            do {
                let answer = try await server.search(prefix, list: list, limit: limit)
                markOnline()
                let matches = answer.items.map { DeskMatch(person: $0.participant, earlier: $0.checkedIn.map { .init(desk: $0.desk, at: $0.scannedAt) }) }
                return DeskSearch(query: prefix, found: matches, total: answer.total, offline: false)
            } catch {
                note(error)
            }
        }
        let found = (try? store.search(prefix, limit: limit)) ?? (matches: [], total: 0)
        return DeskSearch(query: prefix, found: found.matches, total: found.total, offline: true)
    }

    // MARK: Reprints

    /// Reprints `participantID`'s badge at the server — their old badge is refused from now on —
    /// and prints the new one on `printer`. Only with the server: it keeps the serials.
    public func reprint(participantID: Int64, on printer: BadgePrinter) async -> DeskReprint {
        var outcome = DeskReprint(participantID: participantID, person: person(participantID))
        do {
            let (pdf, serial) = try await server.reprint(participant: participantID)
            markOnline()
            outcome.serial = serial
            // The copy learns the new serial now, so that the old badge is refused here offline too.
            try? await refresh(whole: false)
            outcome.person = person(participantID) ?? outcome.person
            outcome.printed = try printer.print(pdf, title: "Бейдж №\(participantID)")
        } catch let error as DeskServerError {
            if case .unreachable = error { note(error) }
            outcome.failure = switch error {
            case .unreachable(let reason): "нет связи с сервером (\(reason)): бейдж перевыпускается только через сервер"
            case .unauthorized(let detail), .refused(_, let detail): detail
            case .unexpected(let reason): reason
            }
        } catch {
            outcome.failure = "бейдж перевыпущен (серия \(outcome.serial.map(String.init) ?? "?")), но не напечатан: \(error). Прежний бейдж уже не действует: исправьте принтер и перевыпустите ещё раз"
        }
        return outcome
    }

    // MARK: Synchronising

    /// Uploads waiting scans in order, each acknowledged before it leaves the queue, then
    /// refreshes the copy: called every second or so. Going online or offline happens here.
    public func synchronise() async {
        // One at a time: a call arriving while another waits on the server returns at once.
        guard !synchronising else { return }
        synchronising = true
        defer { synchronising = false }
        do {
            try await upload()
            let now = Date()
            if now.timeIntervalSince(wholeAt) >= Self.wholeEvery {
                do {
                    try await refresh(whole: true)
                    return
                } catch {
                    // A whole list is slow to build on a busy server: not a reason to go
                    // offline. Changes instead, and the whole list again in a minute.
                    wholeAt = now.addingTimeInterval(60 - Self.wholeEvery)
                }
            }
            if !isOnline || now.timeIntervalSince(refreshedAt) >= Self.refreshEvery {
                try await refresh(whole: false)
            }
        } catch {
            note(error)
        }
    }

    /// Sends waiting scans oldest first. A scan leaves the queue when forumops answered it, or
    /// refused it for good with its own problem document; anything else stops the upload and
    /// keeps it (and the rest) for the next try.
    private func upload() async throws {
        while true {
            let waiting = try store.waiting(limit: 50)
            if waiting.isEmpty { return }
            for scan in waiting {
                let upload = ScanRequest(
                    code: scan.code, participantId: scan.picked ? scan.participantID : nil, list: scan.list, desk: scan.desk,
                    nonce: scan.nonce, scannedAt: scan.scannedAt, offline: true
                )
                let outcome: Result<ScanAnswer, DeskServerError>
                do { outcome = .success(try await server.checkIn(upload)) } catch { outcome = .failure(error) }
                switch outcome {
                case .success(let answer):
                    markOnline()
                    let judged = answer.result == scan.result ? nil : DeskAnswer(answer, nonce: scan.nonce).words
                    try await store.acknowledge(nonce: scan.nonce, result: answer.result, checkInID: answer.checkIn.id, message: judged)
                case .failure(.refused(_, let detail)):
                    markOnline()
                    try await store.acknowledge(nonce: scan.nonce, result: nil, checkInID: nil, message: "сервер не принял скан: \(detail)")
                case .failure(let error):
                    throw error
                }
            }
        }
    }

    private func refresh(whole: Bool) async throws {
        let since = whole ? DeskSnapshot.Cursor() : copy?.cursor ?? DeskSnapshot.Cursor()
        let snapshot = try await server.snapshot(list: list, since: since)
        markOnline()
        try await take(snapshot, whole: since.isEmpty)
        refreshedAt = Date()
        if since.isEmpty { wholeAt = refreshedAt }
    }

    /// Keeps a snapshot (whole, or the changes since the copy's cursor) and decides by it from
    /// now on. Its badge key is pinned if the desk has none; another one (or none) is not
    /// taken, and the desk says so.
    public func take(_ snapshot: DeskSnapshot, whole: Bool) async throws {
        try await store.apply(snapshot, whole: whole)
        copy = try store.copy()
        let offered = snapshot.publicKey.flatMap { key in snapshot.edition.flatMap { BadgeVerifier(edition: $0, keyText: key) } }
        if verifier == nil, let offered {
            try store.pin(offered)
            verifier = offered
        }
        keyWarning = offered == verifier ? nil : Self.keyWarning(offered: offered)
    }

    static func keyWarning(offered: BadgeVerifier?) -> String {
        offered == nil
            ? "Сервер не дал ключа проверки бейджей — стойка проверяет своим, прежним. Сообщите старшему смены: на сервере нет ключа."
            : "Сервер предлагает ДРУГОЙ ключ проверки бейджей — стойка его не приняла и проверяет своим. Сообщите старшему смены: это подмена сервера или новый ключ."
    }

    private func markOnline() {
        isOnline = true
        trouble = nil
    }

    private func note(_ error: any Error) {
        isOnline = false
        switch error as? DeskServerError {
        case .unauthorized(let detail): trouble = "сервер не принимает токен стойки: \(detail)"
        case .refused(_, let detail): trouble = detail
        case .unexpected(let detail): trouble = "сервер отвечает не так, как ждёт стойка (\(detail)) — сканы ждут отправки"
        case .unreachable, nil: trouble = nil
        }
    }

    // MARK: What the screen shows

    public func counters() -> DeskCounters {
        (try? store.counters(desk: name)) ?? DeskCounters(desk: 0, list: 0, waiting: 0)
    }

    public func disagreements() -> [DeskScan] {
        (try? store.disagreements()) ?? []
    }

    /// The list's title as the copy has it.
    public var title: String { copy?.list.title ?? list }

    /// Who a stored scan was about, by the copy.
    public func person(_ id: Int64?) -> DoorPerson? {
        id.flatMap { id in try? store.person(id) }
    }

    static func words(_ error: any Error) -> String {
        switch error as? DeskServerError {
        case .unreachable(let reason), .unauthorized(let reason), .unexpected(let reason): reason
        case .refused(_, let detail): detail
        case nil: "\(error)"
        }
    }
}

/// The answer a desk shows after a scan.
public struct DeskAnswer: Sendable, Hashable {
    public var result: CheckInResult
    public var person: DoorPerson?
    /// For `already_checked_in`: when and where the person came in.
    public var earlier: DeskStore.Earlier?
    /// Decided by the desk itself.
    public var offline: Bool
    public var nonce: String
    /// Set when the scan could not be kept: nobody passes on it.
    public var failure: String?

    public init(result: CheckInResult, person: DoorPerson?, earlier: DeskStore.Earlier?, offline: Bool, nonce: String) {
        self.result = result
        self.person = person
        self.earlier = earlier
        self.offline = offline
        self.nonce = nonce
    }

    /// The server's answer, as the desk shows it.
    init(_ answer: ScanAnswer, nonce: String) {
        self.init(
            result: answer.result, person: answer.participant, earlier: answer.first.map { .init(desk: $0.desk, at: $0.scannedAt) },
            offline: false, nonce: nonce
        )
    }

    /// The reason in words: «Уже отмечен в 09:12, стойка «Вход 3»».
    public var words: String {
        if let failure { return "Ошибка стойки — \(failure)" }
        guard result == .alreadyCheckedIn, let earlier else { return result.russianName }
        let time = ForumTime()
        let day = time.day(earlier.at) == time.day(Date()) ? "" : " \(time.day(earlier.at))"
        return "\(result.russianName)\(day) в \(time.time(earlier.at)), стойка «\(earlier.desk)»"
    }
}

/// People found by surname at the desk: the first matches and how many there are in all.
/// How a reprint at the desk went: the new serial and the printer's word, or why it did not happen.
public struct DeskReprint: Sendable {
    public var participantID: Int64
    public var person: DoorPerson?
    public var serial: Int?
    /// What `lp` said (its request id).
    public var printed: String?
    public var failure: String?
}

public struct DeskSearch: Sendable {
    public var query: String
    public var found: [DeskMatch]
    public var total: Int
    /// Found in the desk's copy, the server not answering.
    public var offline: Bool

    public init(query: String, found: [DeskMatch], total: Int, offline: Bool) {
        self.query = query
        self.found = found
        self.total = total
        self.offline = offline
    }
}
