import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct ForumDatabaseTests {
    @Test func fileIsPrivateAndMigrated() async throws {
        let temporary = try TemporaryDatabase()
        let attributes = try FileManager.default.attributesOfItem(atPath: temporary.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try await temporary.database.appliedMigrations() == ["v1 participants and tokens", "v2 programme and releases", "v3 enrollments", "v4 check-ins", "v5 participant revisions", "v6 accountable trail and forum identity", "v7 metrics role", "v8 kiosk links", "v9 statistics indexes", "v10 statistics by time", "v11 backups", "v12 e-tickets", "v13 organisers' check-in lists", "v14 reprints at the desk", "v15 sign-up by participants"])
        // Opening again applies nothing new and keeps the data.
        _ = try await temporary.database.register([Sample.details()])
        let reopened = try ForumDatabase.open(path: temporary.path)
        #expect(try await reopened.participants(matching: ParticipantFilter()).total == 1)
        try reopened.close()
    }

    @Test func sameEmailOrExternalIDIsTheSamePerson() async throws {
        let database = try ForumDatabase.inMemory()
        let first = try await database.register([Sample.details(1)])
        guard case .created(let id) = first.outcomes[0] else { Issue.record("not created"); return }

        var sameEmail = Sample.details(1)
        sameEmail.position = "Глава города"
        sameEmail.externalID = nil
        #expect(try await database.register([sameEmail]).outcomes == [.updated(id: id)])
        #expect(try await database.participant(id: id).details.externalID == "MR-1")

        var sameExternalID = Sample.details(1)
        sameExternalID.email = "new.address@mail.ru"
        #expect(try await database.register([sameExternalID]).outcomes == [.updated(id: id)])
        let stored = try await database.participant(id: id)
        #expect(stored.details.email == "new.address@mail.ru")
        #expect(try await database.participants(matching: ParticipantFilter()).total == 1)
    }

    @Test func registeringTheSameRowsAgainChangesNothing() async throws {
        let database = try ForumDatabase.inMemory()
        let rows = (1...20).map { Sample.details($0, lastName: "Иванов\(["", "а"][$0 % 2])") }
        let first = try await database.register(rows)
        #expect(first.created == 20 && first.committed)
        let before = try await database.participants(matching: ParticipantFilter()).items
        let second = try await database.register(rows, at: Date().addingTimeInterval(60))
        #expect(second.unchanged == 20 && second.created == 0 && second.updated == 0)
        #expect(try await database.participants(matching: ParticipantFilter()).items == before)
    }

    @Test func laterRowOfABatchSupersedesAnEarlierOne() async throws {
        let database = try ForumDatabase.inMemory()
        var corrected = Sample.details(1)
        corrected.position = "Исправленная должность"
        let report = try await database.register([Sample.details(1), Sample.details(2), corrected])
        #expect(report.outcomes[0] == .superseded(byRow: 2))
        #expect(report.created == 2)
        let again = try await database.register([Sample.details(1), Sample.details(2), corrected])
        #expect(again.unchanged == 2 && again.updated == 0)
    }

    @Test func fieldsARowDoesNotProvideAreKept() async throws {
        let database = try ForumDatabase.inMemory()
        var speaker = Sample.details(1)
        speaker.category = .speaker
        _ = try await database.register([speaker])
        var partial = Sample.details(1)
        partial.phone = nil
        partial.category = .participant
        partial.position = "Мэр"
        let report = try await database.register([
            RegistrationRow(partial, provided: [.lastName, .firstName, .email, .regionCode, .municipality, .position])
        ])
        #expect(report.updated == 1)
        let stored = try await database.participant(id: 1).details
        #expect(stored.phone == Sample.details(1).phone)
        #expect(stored.category == .speaker)
        #expect(stored.position == "Мэр")
    }

    @Test func twoRowsForOneRegisteredPersonConflict() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1)])
        var byEmail = Sample.details(1)
        byEmail.externalID = nil
        var byExternalID = Sample.details(1)
        byExternalID.email = "other@mail.ru"
        let report = try await database.register([byEmail, byExternalID])
        #expect(report.conflicts.map(\.row) == [0, 1])
        #expect(!report.committed)
        #expect(try await database.participant(id: 1).details == Sample.details(1))
        let skipped = try await database.register([byEmail, byExternalID], policy: .skipConflicts)
        #expect(skipped.committed && skipped.updated == 0)
        #expect(try await database.participant(id: 1).details == Sample.details(1))
    }

    @Test func conflictingRowWritesNothingUnlessSkipped() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        var clash = Sample.details(1)
        clash.email = Sample.details(2).email  // external id of person 1, e-mail of person 2
        let refused = try await database.register([Sample.details(3), clash])
        #expect(!refused.committed)
        #expect(refused.conflicts.map(\.row) == [1])
        #expect(try await database.participants(matching: ParticipantFilter()).total == 2)

        let skipped = try await database.register([Sample.details(3), clash], policy: .skipConflicts)
        #expect(skipped.committed && skipped.created == 1)
        #expect(try await database.participants(matching: ParticipantFilter()).total == 3)
    }

    @Test func dryRunWritesNothing() async throws {
        let database = try ForumDatabase.inMemory()
        let report = try await database.register([Sample.details(1)], dryRun: true)
        #expect(report.created == 1 && !report.committed)
        #expect(try await database.participants(matching: ParticipantFilter()).total == 0)
    }

    @Test func likelyDuplicatesAreReportedNotMerged() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1, lastName: "Фёдорова")])
        let report = try await database.register([Sample.details(2, lastName: "ФЕДОРОВА"), Sample.details(3, lastName: "федорова")])
        #expect(report.created == 2)
        #expect(report.likelyDuplicates.map(\.row) == [0, 1])
        #expect(report.likelyDuplicates[0].existingID == 1)
        #expect(try await database.participants(matching: ParticipantFilter()).total == 3)
        #expect(try await database.likelyDuplicateGroups().map { $0.map(\.id) } == [[1, 2, 3]])
        _ = try await database.cancelParticipant(id: 2)
        _ = try await database.cancelParticipant(id: 3)
        #expect(try await database.likelyDuplicateGroups().isEmpty)
    }

    @Test func searchIgnoresCaseAndYo() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([
            Sample.details(1, lastName: "Фёдоров", firstName: "Пётр"),
            Sample.details(2, lastName: "Федотов", firstName: "Семён"),
            Sample.details(3, lastName: "Ёлкина", firstName: "Алёна"),
            Sample.details(4, lastName: "Смирнов", firstName: "Фёдор"),
        ])
        func surnames(_ filter: ParticipantFilter) async throws -> [String] {
            try await database.participants(matching: filter).items.map(\.details.lastName)
        }
        #expect(try await surnames(ParticipantFilter(surname: "ФЕДО")) == ["Фёдоров", "Федотов"])
        #expect(try await surnames(ParticipantFilter(surname: "фёдоров")) == ["Фёдоров"])
        #expect(try await surnames(ParticipantFilter(surname: "елк")) == ["Ёлкина"])
        #expect(try await surnames(ParticipantFilter(text: "федор")) == ["Смирнов", "Фёдоров"])
        #expect(try await surnames(ParticipantFilter(text: "АЛЕНА ёлк")) == ["Ёлкина"])
        #expect(try await surnames(ParticipantFilter(text: "person3@мэрия.рф")) == ["Ёлкина"])
        #expect(try await surnames(ParticipantFilter(text: "казань")).count == 4)
        #expect(try await surnames(ParticipantFilter(text: "\"; DROP TABLE participant; --")) == [])
    }

    @Test func pagesCarryTheTotal() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register((1...25).map { Sample.details($0, lastName: "Петров") })
        let page = try await database.participants(matching: ParticipantFilter(page: Page(number: 3, size: 10)))
        #expect(page.total == 25 && page.items.count == 5 && page.page == 3)
        let all = try await database.participants(matching: ParticipantFilter(page: Page(number: 1, size: nil)))
        #expect(all.items.count == 25)
        #expect(throws: ValidationFailure.self) { try Page(number: 0, size: 10).validated() }
    }

    @Test func updateValidatesAndRefusesTakenEmail() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1, lastName: "Петров"), Sample.details(2, lastName: "Сидоров")])
        var patch = ParticipantForm()
        patch[.lastName] = "Петров-Водкин"
        let updated = try await database.updateParticipant(id: 1, with: patch)
        #expect(updated.details.lastName == "Петров-Водкин")
        #expect(try await database.participants(matching: ParticipantFilter(surname: "петров-в")).total == 1)
        patch[.email] = Sample.details(2).email
        await #expect(throws: StoreError.self) { try await database.updateParticipant(id: 1, with: patch) }
        await #expect(throws: StoreError.notFound(.participant, id: 99)) { try await database.updateParticipant(id: 99, with: ParticipantForm()) }
    }

    @Test func cancellationIsKeptOnReimport() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1)])
        #expect(try await database.cancelParticipant(id: 1).status == .cancelled)
        #expect(try await database.cancelParticipant(id: 1).status == .cancelled)
        _ = try await database.register([Sample.details(1)])
        #expect(try await database.participant(id: 1).status == .cancelled)
        #expect(try await database.participants(matching: ParticipantFilter(status: .registered)).total == 0)
    }

    @Test func tokensAreStoredAsHashesAndCanBeRevoked() async throws {
        let temporary = try TemporaryDatabase()
        let (token, secret) = try await temporary.database.createToken(name: "Вход 1", role: .desk)
        #expect(secret.count > 40)
        #expect(temporary.database.authenticate(secret: secret)?.id == token.id)
        #expect(temporary.database.authenticate(secret: secret + "x") == nil)
        for file in [temporary.path, temporary.path + "-wal"] {
            let raw = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(raw.range(of: Data(secret.utf8)) == nil)
        }
        #expect(try await temporary.database.revokeToken(id: token.id).revokedAt != nil)
        #expect(temporary.database.authenticate(secret: secret) == nil)
        await #expect(throws: StoreError.notFound(.token, id: 42)) { try await temporary.database.revokeToken(id: 42) }
        await #expect(throws: ValidationFailure.self) { try await temporary.database.createToken(name: "  ", role: .admin) }
    }
}
