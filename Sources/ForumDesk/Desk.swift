import Crypto
import ForumBadges
import ForumDomain
import Foundation

/// One check-in desk at one list: asks the server while it answers, decides by itself when it
/// does not (about a second), and uploads what it decided, in order, once the server is back.
/// Every scan is on the desk's disk before its answer is shown.
public actor Desk {
    nonisolated public let list: String
    nonisolated public let name: String
    let store: DeskStore
    let server: DeskServer
    private var copy: DeskStore.Copy?
    private var key: Curve25519.Signing.PublicKey?
    /// Whether the last call to the server got an answer (until one fails, the desk assumes so).
    public private(set) var isOnline = true
    /// What keeps the desk from its server other than the network (a refused token), for the screen.
    public private(set) var trouble: String?
    private var synchronising = false
    private var refreshedAt = Date.distantPast
    private var wholeAt = Date.distantPast

    /// How often a desk online asks for changes, and takes the whole list again (annulments
    /// reach it then).
    static let refreshEvery: TimeInterval = 5
    static let wholeEvery: TimeInterval = 300

    public init(list: String, name: String, store: DeskStore, server: DeskServer) throws {
        self.list = list
        self.name = name
        self.store = store
        self.server = server
        let copy = try store.copy()
        self.copy = copy
        key = copy?.publicKey.flatMap(BadgeKeys.publicKey)
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
        let scan = DeskServer.Scan(code: code, participantId: participantID, list: list, desk: name, nonce: nonce, scannedAt: now, offline: false)
        if isOnline, (try? store.waitingCount()) == 0 {
            do {
                let answer = try await server.checkIn(scan)
                markOnline()
                let shown = DeskAnswer(answer, nonce: nonce)
                try? store.record(DeskScan(
                    nonce: nonce, code: code, participantID: answer.participant?.id ?? participantID, picked: code == nil, list: list, desk: name,
                    scannedAt: now, result: answer.result, offline: false, uploadedAt: Date(), serverResult: answer.result, serverMessage: nil,
                    checkInID: answer.checkIn.id
                ))
                return shown
            } catch {
                note(error)
            }
        }
        return decideHere(code: code, participantID: participantID, nonce: nonce, at: now)
    }

    /// The desk's own decision, kept (to upload later) before it is returned.
    public func decideHere(code: String?, participantID: Int64?, nonce: String = UUID().uuidString.lowercased(), at now: Date = Date()) -> DeskAnswer {
        let credential = code.flatMap { code in key.flatMap { try? BadgeCode.decode(code, verifyingWith: $0) } }
        let id = credential?.participantID ?? (code == nil ? participantID : nil)
        var answer = DeskAnswer(result: .invalidSignature, person: nil, earlier: nil, offline: true, nonce: nonce)
        do {
            guard let copy else { throw DeskError.unreadable("нет снимка списка") }
            if let id {
                let facts = try store.facts(participant: id, list: copy.list)
                let credential = credential ?? facts.person.map { BadgeCredential(participantID: $0.id, serial: $0.badgeSerial) }
                answer.person = facts.person
                answer.earlier = facts.earlier
                answer.result = CheckInFacts(
                    credential: credential, participant: facts.person, list: copy.list, now: now,
                    alreadyIn: facts.earlier != nil, seated: facts.seated, admitted: facts.admitted
                ).result
                if answer.result != .alreadyCheckedIn { answer.earlier = nil }
            }
            try store.record(DeskScan(
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
    public func search(_ prefix: String) async -> (matches: [DeskMatch], offline: Bool) {
        if isOnline {
            do {
                let matches = try await server.search(prefix, list: list)
                markOnline()
                return (matches, false)
            } catch {
                note(error)
            }
        }
        return ((try? store.search(prefix)) ?? [], true)
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

    private func upload() async throws {
        while true {
            let waiting = try store.waiting(limit: 50)
            if waiting.isEmpty { return }
            for scan in waiting {
                let upload = DeskServer.Scan(
                    code: scan.code, participantId: scan.picked ? scan.participantID : nil, list: scan.list, desk: scan.desk,
                    nonce: scan.nonce, scannedAt: scan.scannedAt, offline: true
                )
                let outcome: Result<DeskServer.Answer, DeskServerError>
                do { outcome = .success(try await server.checkIn(upload)) } catch { outcome = .failure(error) }
                switch outcome {
                case .success(let answer):
                    markOnline()
                    let judged = answer.result == scan.result ? nil : DeskAnswer(answer, nonce: scan.nonce).words
                    try store.acknowledge(nonce: scan.nonce, result: answer.result, checkInID: answer.checkIn.id, message: judged)
                case .failure(.refused(_, let detail)):
                    markOnline()
                    try store.acknowledge(nonce: scan.nonce, result: nil, checkInID: nil, message: "сервер не принял скан: \(detail)")
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
        try take(snapshot, whole: since.isEmpty)
        refreshedAt = Date()
        if since.isEmpty { wholeAt = refreshedAt }
    }

    /// Keeps a snapshot (whole, or the changes since the copy's cursor) and decides by it from now on.
    public func take(_ snapshot: DeskSnapshot, whole: Bool) throws {
        try store.apply(snapshot, whole: whole)
        copy = try store.copy()
        key = copy?.publicKey.flatMap(BadgeKeys.publicKey)
    }

    private func markOnline() {
        isOnline = true
        trouble = nil
    }

    private func note(_ error: any Error) {
        isOnline = false
        if case .unauthorized(let detail) = error as? DeskServerError {
            trouble = "сервер не принимает токен стойки: \(detail)"
        } else if case .refused(_, let detail) = error as? DeskServerError {
            trouble = detail
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
        case .unreachable(let reason), .unauthorized(let reason): reason
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
    init(_ answer: DeskServer.Answer, nonce: String) {
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
