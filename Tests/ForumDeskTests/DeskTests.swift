import Crypto
import ForumAPI
import ForumCredentials
import ForumDesk
import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// `SampleProgramme.doorForum` and its badge key.
private struct Forum {
    let database: ForumDatabase
    let signer: BadgeSigner
    /// Nothing listens there: a desk pointed at it is offline at once.
    static let nowhere = "http://127.0.0.1:9"

    init() async throws {
        database = try ForumDatabase.inMemory()
        signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: try database.editionIdentity())
        try await SampleProgramme.doorForum(database)
    }

    /// The forum restored from a backup into `database`, with the same badge key.
    init(restored database: ForumDatabase, signer: BadgeSigner) {
        self.database = database
        self.signer = signer
    }

    /// The forum served on a free port, the entrance open for an hour, and a desk token.
    func live(_ body: @Sendable (_ url: String, _ token: String) async throws -> Void) async throws {
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        let token = try await database.createToken(name: "Вход 3", role: .desk).secret
        let application = try buildApplication(
            settings: ServerSettings(port: 0), database: database, badges: signer, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await application.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))", token)
        }
    }

    func code(_ id: Int64, serial: Int = 1) throws -> String {
        try signer.code(for: BadgeCredential(participantID: id, serial: serial))
    }

    /// Brings a desk up to date as its synchroniser would, straight from the store.
    func refresh(_ desk: Desk, _ store: DeskStore, whole: Bool = false) async throws {
        let cursor = whole ? DeskSnapshot.Cursor() : try store.copy()?.cursor ?? .init()
        var snapshot = try await database.deskSnapshot(list: desk.list, since: cursor)
        snapshot.publicKey = signer.verifier.keyText
        snapshot.edition = signer.edition
        try await desk.take(snapshot, whole: cursor.isEmpty)
    }

    /// The same scan at the server and, offline, at `desk` (serving the list it scans for): both
    /// must give the same answer, and the desk must keep its scan before it shows it.
    func scanBoth(_ id: Int64?, serial: Int = 1, at desk: (desk: Desk, store: DeskStore), moment: Date) async throws -> CheckInResult {
        let code = try id.map { try self.code($0, serial: serial) } ?? "FOAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        let server = try await database.checkIn(
            CheckInRequest(credential: try? signer.verifier.credential(code), list: desk.desk.list, desk: "Вход 3", nonce: UUID().uuidString),
            at: moment
        ).record.result
        let answer = await desk.desk.decideHere(code: code, participantID: nil, at: moment)
        #expect(answer.offline && answer.failure == nil)
        #expect(try desk.store.waiting(limit: 1000).contains { $0.nonce == answer.nonce }, "kept before it is shown")
        #expect(answer.result == server, "desk \(answer.result), server \(server)")
        return answer.result
    }

    /// A desk at `list` with the list's snapshot and no server.
    func offlineDesk(_ list: String = "entrance") async throws -> (desk: Desk, store: DeskStore) {
        let store = try DeskStore(path: nil)
        let desk = try Desk(list: list, name: "Вход 3", store: store, server: try DeskServer(url: Forum.nowhere, token: "x"))
        try await refresh(desk, store)
        return (desk, store)
    }
}

@Suite struct DeskOfflineTests {
    private typealias S = SampleProgramme

    @Test func offlineTheDeskDecidesEveryReasonAsTheServerWould() async throws {
        let forum = try await Forum()
        var desks: [String: (desk: Desk, store: DeskStore)] = [:]
        for list in ["entrance", "rt", "talk"] {
            desks[list] = try await forum.offlineDesk(list)
        }
        func refreshAll() async throws {
            for desk in desks.values { try await forum.refresh(desk.desk, desk.store) }
        }
        func scan(_ id: Int64?, serial: Int = 1, list: String = "entrance", at clock: String = "10:30") async throws -> CheckInResult {
            try await forum.scanBoth(id, serial: serial, at: try #require(desks[list]), moment: S.at(clock))
        }
        #expect(try await scan(1) == .ok)
        #expect(try await scan(1) == .alreadyCheckedIn)
        #expect(try await scan(nil) == .invalidSignature)
        #expect(try await scan(99) == .unknown)
        _ = try await forum.database.reprintBadge(id: 2)
        try await refreshAll()
        #expect(try await scan(2, serial: 1) == .revoked)
        #expect(try await scan(2, serial: 2) == .ok)
        _ = try await forum.database.cancelParticipant(id: 3)
        try await refreshAll()
        #expect(try await scan(3) == .cancelled)
        _ = try await forum.database.reinstateParticipant(id: 3)
        try await refreshAll()
        #expect(try await scan(3, at: "08:00") == .outsideHours)
        #expect(try await scan(2, serial: 2, list: "rt") == .notEnrolled)
        #expect(try await scan(1, list: "rt") == .ok)
        #expect(try await scan(1, list: "talk") == .ok)
        #expect(try await scan(2, serial: 2, list: "talk") == .sessionFull)
        _ = try await forum.database.restrictCheckInList("entrance", to: [.speaker, .press])
        try await refreshAll()
        #expect(try await scan(3) == .wrongList)
        // A person picked by surname is checked by the same rules.
        let picked = try await #require(desks["entrance"]).desk.decideHere(code: nil, participantID: 1)
        #expect(picked.result == .wrongList && picked.person?.id == 1)
    }

    @Test func organisersListsAdmitOnceOrManyWithinTheirHoursAndCategoriesAtTheServerAndOfflineAlike() async throws {
        let forum = try await Forum()
        _ = try await forum.database.addCheckInList(
            "badges", title: "Выдача бейджей", opens: S.at("08:00"), closes: S.at("12:00"), categories: nil, repeatable: false
        )
        _ = try await forum.database.addCheckInList(
            "bus", title: "Трансфер", opens: S.at("07:00"), closes: S.at("20:00"), categories: [.participant], repeatable: true
        )
        let badges = try await forum.offlineDesk("badges")
        let bus = try await forum.offlineDesk("bus")
        #expect(try await forum.scanBoth(1, at: badges, moment: S.at("09:00")) == .ok)
        #expect(try await forum.scanBoth(1, at: badges, moment: S.at("09:05")) == .alreadyCheckedIn)
        #expect(try await forum.scanBoth(2, at: badges, moment: S.at("12:30")) == .outsideHours)
        for minute in ["08:00", "13:00", "18:30"] {
            #expect(try await forum.scanBoth(1, at: bus, moment: S.at(minute)) == .ok, "the bus takes a person every time")
        }
        #expect(try await forum.scanBoth(1, at: bus, moment: S.at("21:00")) == .outsideHours)
        #expect(try await forum.database.admittedCount(list: "bus") == 3)
        // A surname search lists a person once however often they rode, with their first ride.
        let surname = try await forum.database.participant(id: 1).details.lastName
        let found = try await forum.database.deskSearch(surname, list: "bus") { row in
            (id: row.id, firstRide: row.checkInID == nil ? nil : try row.checkIn().scannedAt)
        }
        #expect(found.items.filter { $0.id == 1 }.map(\.firstRide) == [S.at("08:00")])
        // Restricted to speakers and with one admission now: the change reaches a desk with its copy.
        _ = try await forum.database.editCheckInList("bus", CheckInListChange(categories: .some([.speaker]), repeatable: false))
        try await forum.refresh(bus.desk, bus.store)
        #expect(try await forum.scanBoth(2, at: bus, moment: S.at("10:00")) == .wrongList)
        _ = try await forum.database.editCheckInList("bus", CheckInListChange(categories: .some(nil)))
        try await forum.refresh(bus.desk, bus.store)
        #expect(try await forum.scanBoth(1, at: bus, moment: S.at("19:00")) == .alreadyCheckedIn)
        #expect(try await forum.scanBoth(2, at: bus, moment: S.at("19:00")) == .ok)
        // A list with scans keeps its trail; an unused one goes; the programme's lists are not the organisers'.
        await #expect(throws: StoreError.self) { try await forum.database.removeCheckInList("bus") }
        _ = try await forum.database.addCheckInList("lunch", title: "Обед", opens: S.at("12:00"), closes: S.at("15:00"), categories: nil, repeatable: false)
        try await forum.database.removeCheckInList("lunch")
        #expect(try await forum.database.checkInLists().map(\.slug).prefix(3) == ["entrance", "bus", "badges"])
        await #expect(throws: StoreError.self) { try await forum.database.editCheckInList("rt", CheckInListChange(title: "Зал")) }
        await #expect(throws: StoreError.self) {
            try await forum.database.addCheckInList("rt", title: "Занято", opens: S.at("08:00"), closes: S.at("09:00"), categories: nil, repeatable: false)
        }
    }

    @Test func theAnswerSaysWhenAndWhereAPersonCameIn() async throws {
        let forum = try await Forum()
        _ = try await forum.database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        _ = try await forum.database.checkIn(CheckInRequest(credential: BadgeCredential(participantID: 2, serial: 1), list: "entrance", desk: "Вход 5", nonce: "v5-1"))
        let (desk, _) = try await forum.offlineDesk()
        let answer = await desk.checkIn(code: try forum.code(2))
        #expect(answer.result == .alreadyCheckedIn && answer.offline)
        #expect(answer.words.hasPrefix("Уже отмечен в ") && answer.words.hasSuffix("стойка «Вход 5»"))
        #expect(await desk.counters() == DeskCounters(desk: 0, list: 1, waiting: 1))
        // The lookup by surname works from the copy, ё and case aside.
        let found = await desk.search("ЕЛК")
        #expect(found.offline)
        #expect(found.found.map(\.person.id) == [2] && found.found.first?.earlier?.desk == "Вход 5" && found.total == 1)
    }

    @Test func theDeskFileIsPrivate() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try DeskStore(path: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
    }

    @Test func aDeskWithoutACopyAndWithoutAServerRefusesToStart() async throws {
        let desk = try Desk(list: "entrance", name: "Вход 3", store: try DeskStore(path: nil), server: try DeskServer(url: Forum.nowhere, token: "x", timeout: .milliseconds(100)))
        await #expect(throws: DeskError.self) { try await desk.start(path: "desk.sqlite") }
    }

    @Test func theScreenSaysItInWords() {
        var state = DeskScreen.State(title: "Вход на форум", desk: "Вход 3", online: false, trouble: nil, counters: DeskCounters(desk: 1234, list: 3811, waiting: 2))
        var refusal = DeskAnswer(result: .revoked, person: nil, earlier: nil, offline: true, nonce: "n")
        refusal.person = DoorPerson(
            id: 7, lastName: "Ёлкина", firstName: "Алёна", patronymic: "Петровна", category: .guestOfHonour, regionCode: "50",
            municipality: "Городской округ Клин", position: nil, status: .registered, badgeSerial: 2
        )
        state.answer = refusal
        let plain = DeskScreen(colour: false).render(state)
        #expect(plain.contains("БЕЙДЖ ЗАМЕНЁН — ВЫДАН НОВЫЙ") && plain.contains("Ёлкина Алёна Петровна") && plain.contains("ОФЛАЙН"))
        #expect(plain.contains("Эта стойка: 1 234 · Всего по списку: 3 811 · Ждут отправки: 2"))
        #expect(!plain.contains("\u{1B}"))
        #expect(DeskScreen(colour: true).render(state).contains("\u{1B}[1;97;41m"))  // white on red
    }
}

@Suite struct DeskOnlineTests {
    @Test func theQueueUploadsInOrderOnceAndShowsWhatTheServerJudgedOtherwise() async throws {
        let forum = try await Forum()
        try await forum.live { url, token in
            let store = try DeskStore(path: nil)
            let online = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            try await online.start(path: "desk.sqlite")
            let first = await online.checkIn(code: try forum.code(1))
            let trouble = await online.trouble
            #expect(first.result == .ok && !first.offline, "\(trouble ?? "-")")

            // The server is gone for this desk: it decides by itself, in order.
            let cut = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: Forum.nowhere, token: token))
            let shown = [await cut.checkIn(code: try forum.code(2)), await cut.checkIn(code: try forum.code(3)), await cut.checkIn(code: try forum.code(1))]
            #expect(shown.map(\.result) == [.ok, .ok, .alreadyCheckedIn] && shown.allSatisfy(\.offline))
            // Meanwhile badge 3 went through another desk.
            _ = try await forum.database.checkIn(CheckInRequest(credential: BadgeCredential(participantID: 3, serial: 1), list: "entrance", desk: "Вход 5", nonce: "v5-1"))

            // Back: the queue goes up in order, each scan once, and the desk shows the disagreement.
            let back = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            await back.synchronise()
            await back.synchronise()
            #expect(try store.waiting().isEmpty)
            let trail = try await forum.database.checkIns(list: "entrance").reversed()
            #expect(trail.map(\.nonce) == [first.nonce, "v5-1"] + shown.map(\.nonce))
            #expect(trail.filter { $0.source == "offline" }.count == 3)
            let disagreements = await back.disagreements()
            #expect(disagreements.count == 1)
            #expect(disagreements.first?.nonce == shown[1].nonce && disagreements.first?.serverResult == .alreadyCheckedIn)
            #expect(disagreements.first?.serverMessage?.contains("Вход 5") == true)
            #expect(await back.isOnline)

            // Uploading again adds nothing: the nonce is the scan.
            for scan in try store.scans() {
                let again = try await forum.database.checkIn(CheckInRequest(credential: nil, participantID: scan.participantID, list: "entrance", desk: "Вход 3", nonce: scan.nonce))
                #expect(again.replayed)
            }
            #expect(try await forum.database.checkIns(list: "entrance").count == 5)
        }
    }

    @Test func aCheckInAnnulledAtTheServerNoLongerCountsAtTheDeskThatMadeIt() async throws {
        let forum = try await Forum()
        try await forum.live { url, token in
            let store = try DeskStore(path: nil)
            let desk = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            try await desk.start(path: "desk.sqlite")
            #expect(await desk.checkIn(code: try forum.code(1)).result == .ok)
            try await forum.refresh(desk, store)
            #expect(await desk.decideHere(code: try forum.code(1), participantID: nil).result == .alreadyCheckedIn)
            let standing = try #require(try await forum.database.checkIns(participant: 1).first { $0.result == .ok })
            _ = try await forum.database.annulCheckIn(id: standing.id, reason: "отметили не того", by: nil)
            try await forum.refresh(desk, store, whole: true)
            #expect(await desk.decideHere(code: try forum.code(1), participantID: nil).result == .ok)
        }
    }

    @Test func aDeskSendsEverythingAgainToAForumRestoredFromABackup() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "desk-resend-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = folder + "/forum.backup.sqlite"
        let forum = try await Forum()
        let store = try DeskStore(path: nil)
        // Badge 1 before the backup, badge 2 after it: the restored forum has only the first.
        try await forum.live { url, token in
            let desk = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            #expect(await desk.checkIn(code: try forum.code(1)).result == .ok)
            _ = try await forum.database.backup(to: backup)
            #expect(await desk.checkIn(code: try forum.code(2)).result == .ok)
        }
        #expect(try store.waitingCount() == 0)

        let restored = Forum(restored: try ForumDatabase.open(path: backup), signer: forum.signer)
        #expect(try await restored.database.checkIns(list: "entrance").count == 1)
        #expect(try await store.queueEverythingAgain() == 2)
        #expect(try await store.queueEverythingAgain() == 0)  // already queued: nothing more
        try await restored.live { url, token in
            let desk = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            await desk.synchronise()
            #expect(try store.waitingCount() == 0)
            let trail = try await restored.database.checkIns(list: "entrance")
            #expect(trail.compactMap(\.participantID).sorted() == [1, 2])  // the lost scan is back, the kept one not doubled
            #expect(try store.scans().map(\.serverResult) == [.ok, .ok])
        }
    }

    @Test func aServerThatDoesNotAnswerInTimeIsOffline() async throws {
        let forum = try await Forum()
        _ = try await forum.database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        let store = try await forum.offlineDesk().store
        let silent = try LocalSocket(listening: true)  // accepts connections, never answers
        defer { withExtendedLifetime(silent) {} }
        let port = silent.port
        let desk = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: "http://127.0.0.1:\(port)", token: "x", timeout: .milliseconds(300)))
        let started = ContinuousClock.now
        let answer = await desk.checkIn(code: try forum.code(1))
        let waited = ContinuousClock.now - started
        #expect(answer.result == .ok && answer.offline)
        #expect(waited >= .milliseconds(250) && waited < .seconds(3), "\(waited)")
        #expect(await !desk.isOnline)
    }
}
