import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct ForumDatabaseTests {
    @Test func fileIsPrivateAndMigrated() throws {
        let temporary = try TemporaryDatabase()
        let attributes = try FileManager.default.attributesOfItem(atPath: temporary.database.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try temporary.database.appliedMigrations() == ["v1 participants and tokens"])
        // Opening again applies nothing new and keeps the data.
        _ = try temporary.database.register([Sample.details()])
        let reopened = try ForumDatabase(path: temporary.database.path)
        #expect(try reopened.participants(matching: ParticipantFilter()).total == 1)
        try reopened.close()
    }

    @Test func sameEmailOrExternalIDIsTheSamePerson() throws {
        let temporary = try TemporaryDatabase()
        let database = temporary.database
        let first = try database.register([Sample.details(1)])
        guard case .created(let id) = first.outcomes[0] else { Issue.record("not created"); return }

        var sameEmail = Sample.details(1)
        sameEmail.position = "Глава города"
        sameEmail.externalID = nil
        #expect(try database.register([sameEmail]).outcomes == [.updated(id: id)])
        #expect(try database.participant(id: id).details.externalID == "MR-1")

        var sameExternalID = Sample.details(1)
        sameExternalID.email = "new.address@mail.ru"
        #expect(try database.register([sameExternalID]).outcomes == [.updated(id: id)])
        let stored = try database.participant(id: id)
        #expect(stored.details.email == "new.address@mail.ru")
        #expect(try database.participants(matching: ParticipantFilter()).total == 1)
    }

    @Test func registeringTheSameRowsAgainChangesNothing() throws {
        let temporary = try TemporaryDatabase()
        let rows = (1...20).map { Sample.details($0, lastName: "Иванов\(["", "а"][$0 % 2])") }
        let first = try temporary.database.register(rows)
        #expect(first.created == 20 && first.committed)
        let before = try temporary.database.participants(matching: ParticipantFilter()).items
        let second = try temporary.database.register(rows, at: Date().addingTimeInterval(60))
        #expect(second.unchanged == 20 && second.created == 0 && second.updated == 0)
        #expect(try temporary.database.participants(matching: ParticipantFilter()).items == before)
    }

    @Test func laterRowOfABatchSupersedesAnEarlierOne() throws {
        let temporary = try TemporaryDatabase()
        var corrected = Sample.details(1)
        corrected.position = "Исправленная должность"
        let report = try temporary.database.register([Sample.details(1), Sample.details(2), corrected])
        #expect(report.outcomes[0] == .superseded(byRow: 2))
        #expect(report.created == 2)
        let again = try temporary.database.register([Sample.details(1), Sample.details(2), corrected])
        #expect(again.unchanged == 2 && again.updated == 0)
    }

    @Test func conflictingRowWritesNothingUnlessSkipped() throws {
        let temporary = try TemporaryDatabase()
        _ = try temporary.database.register([Sample.details(1), Sample.details(2)])
        var clash = Sample.details(1)
        clash.email = Sample.details(2).email  // external id of person 1, e-mail of person 2
        let refused = try temporary.database.register([Sample.details(3), clash])
        #expect(!refused.committed)
        #expect(refused.conflicts.map(\.row) == [1])
        #expect(try temporary.database.participants(matching: ParticipantFilter()).total == 2)

        let skipped = try temporary.database.register([Sample.details(3), clash], policy: .skipConflicts)
        #expect(skipped.committed && skipped.created == 1)
        #expect(try temporary.database.participants(matching: ParticipantFilter()).total == 3)
    }

    @Test func dryRunWritesNothing() throws {
        let temporary = try TemporaryDatabase()
        let report = try temporary.database.register([Sample.details(1)], dryRun: true)
        #expect(report.created == 1 && !report.committed)
        #expect(try temporary.database.participants(matching: ParticipantFilter()).total == 0)
    }

    @Test func likelyDuplicatesAreReportedNotMerged() throws {
        let temporary = try TemporaryDatabase()
        _ = try temporary.database.register([Sample.details(1, lastName: "Фёдорова")])
        let report = try temporary.database.register([Sample.details(2, lastName: "ФЕДОРОВА"), Sample.details(3, lastName: "федорова")])
        #expect(report.created == 2)
        #expect(report.likelyDuplicates.map(\.row) == [0, 1])
        #expect(report.likelyDuplicates[0].existingID == 1)
        #expect(try temporary.database.participants(matching: ParticipantFilter()).total == 3)
        #expect(try temporary.database.likelyDuplicateGroups().map { $0.map(\.id) } == [[1, 2, 3]])
        _ = try temporary.database.cancelParticipant(id: 2)
        _ = try temporary.database.cancelParticipant(id: 3)
        #expect(try temporary.database.likelyDuplicateGroups().isEmpty)
    }

    @Test func searchIgnoresCaseAndYo() throws {
        let temporary = try TemporaryDatabase()
        _ = try temporary.database.register([
            Sample.details(1, lastName: "Фёдоров", firstName: "Пётр"),
            Sample.details(2, lastName: "Федотов", firstName: "Семён"),
            Sample.details(3, lastName: "Ёлкина", firstName: "Алёна"),
            Sample.details(4, lastName: "Смирнов", firstName: "Фёдор"),
        ])
        func surnames(_ filter: ParticipantFilter) throws -> [String] {
            try temporary.database.participants(matching: filter).items.map(\.details.lastName)
        }
        #expect(try surnames(ParticipantFilter(surname: "ФЕДО")) == ["Фёдоров", "Федотов"])
        #expect(try surnames(ParticipantFilter(surname: "фёдоров")) == ["Фёдоров"])
        #expect(try surnames(ParticipantFilter(surname: "елк")) == ["Ёлкина"])
        #expect(try surnames(ParticipantFilter(text: "федор")) == ["Смирнов", "Фёдоров"])
        #expect(try surnames(ParticipantFilter(text: "АЛЕНА ёлк")) == ["Ёлкина"])
        #expect(try surnames(ParticipantFilter(text: "person3@мэрия.рф")) == ["Ёлкина"])
        #expect(try surnames(ParticipantFilter(text: "казань")).count == 4)
        #expect(try surnames(ParticipantFilter(text: "\"; DROP TABLE participant; --")) == [])
    }

    @Test func pagesCarryTheTotal() throws {
        let temporary = try TemporaryDatabase()
        _ = try temporary.database.register((1...25).map { Sample.details($0, lastName: "Петров") })
        let page = try temporary.database.participants(matching: ParticipantFilter(page: Page(number: 3, size: 10)))
        #expect(page.total == 25 && page.items.count == 5 && page.page == 3)
        let all = try temporary.database.participants(matching: ParticipantFilter(page: Page(number: 1, size: nil)))
        #expect(all.items.count == 25)
        #expect(throws: ValidationFailure.self) { try Page(number: 0, size: 10).validated() }
    }

    @Test func updateValidatesAndRefusesTakenEmail() throws {
        let temporary = try TemporaryDatabase()
        _ = try temporary.database.register([Sample.details(1, lastName: "Петров"), Sample.details(2, lastName: "Сидоров")])
        var patch = ParticipantForm()
        patch.lastName = "Петров-Водкин"
        let updated = try temporary.database.updateParticipant(id: 1, with: patch)
        #expect(updated.details.lastName == "Петров-Водкин")
        #expect(try temporary.database.participants(matching: ParticipantFilter(surname: "петров-в")).total == 1)
        patch.email = Sample.details(2).email
        #expect(throws: StoreError.self) { try temporary.database.updateParticipant(id: 1, with: patch) }
        #expect(throws: StoreError.participantNotFound(id: 99)) { try temporary.database.updateParticipant(id: 99, with: ParticipantForm()) }
    }

    @Test func cancellationIsKeptOnReimport() throws {
        let temporary = try TemporaryDatabase()
        _ = try temporary.database.register([Sample.details(1)])
        #expect(try temporary.database.cancelParticipant(id: 1).status == .cancelled)
        #expect(try temporary.database.cancelParticipant(id: 1).status == .cancelled)
        _ = try temporary.database.register([Sample.details(1)])
        #expect(try temporary.database.participant(id: 1).status == .cancelled)
        #expect(try temporary.database.participants(matching: ParticipantFilter(status: .registered)).total == 0)
    }

    @Test func tokensAreStoredAsHashesAndCanBeRevoked() throws {
        let temporary = try TemporaryDatabase()
        let (token, secret) = try temporary.database.createToken(name: "Вход 1", role: .desk)
        #expect(secret.count > 40)
        #expect(try temporary.database.authenticate(secret: secret)?.id == token.id)
        #expect(try temporary.database.authenticate(secret: secret + "x") == nil)
        for file in [temporary.database.path, temporary.database.path + "-wal"] {
            let raw = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(raw.range(of: Data(secret.utf8)) == nil)
        }
        #expect(try temporary.database.revokeToken(id: token.id).revokedAt != nil)
        #expect(try temporary.database.authenticate(secret: secret) == nil)
        #expect(throws: StoreError.tokenNotFound(id: 42)) { try temporary.database.revokeToken(id: 42) }
        #expect(throws: ValidationFailure.self) { try temporary.database.createToken(name: "  ", role: .admin) }
    }
}
