import ForumDomain
@testable import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The programme as pages and «Мой форум» at the personal link, driven as a browser without
/// JavaScript would: GETs and form POSTs.
@Suite struct AttendeePagesTests {
    private typealias S = SampleProgramme

    /// Three participants; a round table of `capacity` seats, a lecture at the same time, a
    /// panel later; release 1 published, sign-up open unless `opensIn` says when.
    private func forum(capacity: Int = 1, opensIn: TimeInterval? = -60) async throws -> ForumDatabase {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register((1...3).map { Sample.details($0, lastName: "Зрителева") })
        _ = try await database.importProgramme(S.programme([
            S.session("rt", from: "10:00", to: "11:30", capacity: capacity, people: [SessionPerson(name: "Иван Примеров", position: "Глава района", role: .moderator)]),
            S.session("talk", kind: .lecture, room: "hall-b", from: "11:00", to: "12:00", capacity: 50),
            S.session("panel", kind: .panel, room: "hall-c", from: "14:00", to: "15:00"),
        ]))
        _ = try await database.publishProgramme(note: "Первый выпуск")
        if let opensIn { _ = try await database.openSignUp(at: Date().addingTimeInterval(opensIn)) }
        return database
    }

    private func page(_ client: any TestClientProtocol, _ path: String) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
        try await client.execute(uri: path, method: .get) { response in (response.status, String(buffer: response.body), response.headers) }
    }

    /// Sends a form as a browser does; the answer's status, location and body.
    private func post(
        _ client: any TestClientProtocol, _ path: String, _ fields: [String: String]
    ) async throws -> (status: HTTPResponse.Status, location: String?, body: String) {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = ByteBuffer(string: components.percentEncodedQuery ?? "")
        return try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: body) { response in
            (response.status, response.headers[.location], String(buffer: response.body))
        }
    }

    private func csrf(_ page: String) throws -> String {
        let start = try #require(page.range(of: #"name="csrf" value=""#))
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    private func token(_ database: ForumDatabase, _ id: Int64) async throws -> String {
        try await database.participant(id: id).feedToken
    }

    @Test func theProgrammePagesShowThePublishedReleaseWithFiltersAndAreCached() async throws {
        let database = try await forum()
        // A draft changed after the release is not what the pages show.
        _ = try await database.importProgramme(S.programme([S.session("draft-only", from: "16:00", to: "17:00")]))
        try await API.withClient(database: database) { client in
            let programme = try await page(client, "/programme")
            #expect(programme.status == .ok && programme.headers[.contentType] == "text/html; charset=utf-8")
            #expect(programme.body.contains("/programme/sessions/rt") && programme.body.contains("/programme/sessions/panel"))
            #expect(!programme.body.contains("draft-only"))
            #expect(programme.body.contains("Свободно мест: 1 из 1") && programme.body.contains("Вход свободный, без записи"))
            #expect(programme.headers[.cacheControl] == "public, max-age=10" && programme.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let etag = try #require(programme.headers[.eTag])
            try await client.execute(uri: "/programme", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
            }
            let lectures = try await page(client, "/programme?kind=lecture")
            #expect(lectures.body.contains("/programme/sessions/talk") && !lectures.body.contains("/programme/sessions/rt\""))
            #expect(lectures.body.contains(#"<option value="lecture" selected>"#))
            let nonsense = try await page(client, "/programme?kind=%3Cscript%3E&pavilion=nowhere")
            #expect(nonsense.status == .ok && !nonsense.body.contains("<script>") && nonsense.body.contains("/programme/sessions/rt"))
            let session = try await page(client, "/programme/sessions/rt")
            #expect(session.status == .ok && session.body.contains("Иван Примеров") && session.body.contains("модератор") && session.body.contains("Глава района"))
            let speaker = try #require(session.body.range(of: "/programme/speakers/")).upperBound
            let speakerPage = try await page(client, "/programme/speakers/" + session.body[speaker...].prefix { $0 != "\"" })
            #expect(speakerPage.status == .ok && speakerPage.body.contains("Иван Примеров") && speakerPage.body.contains("/programme/sessions/rt"))
            #expect(try await page(client, "/programme/sessions/draft-only").status == .notFound)
            #expect(try await page(client, "/programme/speakers/nobody").status == .notFound)
        }
    }

    @Test func seatsLeftFollowSignUps() async throws {
        let database = try await forum(capacity: 2)
        try await API.withClient(database: database) { client in
            #expect(try await page(client, "/programme/sessions/rt").body.contains("Свободно мест: 2 из 2"))
            _ = try await database.enroll(participant: 3, in: "rt")
            // The server reads the seats again every second.
            var body = ""
            for _ in 0..<40 where !body.contains("Свободно мест: 1 из 2") {
                try await Task.sleep(for: .milliseconds(100))
                body = try await page(client, "/programme/sessions/rt").body
            }
            #expect(body.contains("Свободно мест: 1 из 2"))
        }
    }

    @Test func thePersonalPageSignsUpQueuesRefusesOverlapsAndWithdraws() async throws {
        let database = try await forum(capacity: 1)
        let first = try await token(database, 1), second = try await token(database, 2)
        try await API.withClient(database: database) { client in
            let mine = try await page(client, "/my/\(first)")
            #expect(mine.status == .ok && mine.headers[.cacheControl] == "private, no-store" && mine.body.contains("Мой форум"))
            #expect(mine.body.contains("/feeds/\(first)/schedule.ics") && mine.body.contains("Записаться"))
            let seated = try await post(client, "/my/\(first)/sign-up", ["csrf": try csrf(mine.body), "session": "rt"])
            #expect(seated.status == .seeOther && seated.location == "/my/\(first)?done=seated&session=rt")
            let after = try await page(client, try #require(seated.location))
            #expect(after.body.contains("место за вами") && after.body.contains("Место за вами") && after.body.contains("Отказаться от записи"))
            // Again: the same answer, not a second place.
            let again = try await post(client, "/my/\(first)/sign-up", ["csrf": try csrf(mine.body), "session": "rt"])
            #expect(again.location == "/my/\(first)?done=already&session=rt")
            #expect(try await database.enrollments(in: "rt").count == 1)
            // The lecture overlaps the round table: refused, with the reason on the page.
            #expect(after.body.contains("Идёт в то же время, что «"))
            let overlap = try await post(client, "/my/\(first)/sign-up", ["csrf": try csrf(mine.body), "session": "talk"])
            #expect(overlap.status == .seeOther && overlap.location == "/my/\(first)?done=refused&session=talk")
            #expect(try await page(client, try #require(overlap.location)).body.contains("нельзя: идёт в то же время, что «"))
            #expect(try await database.enrollments(in: "talk").isEmpty)
            // The second participant gets the queue, and the seat when the first withdraws.
            let theirs = try await page(client, "/my/\(second)")
            let queued = try await post(client, "/my/\(second)/sign-up", ["csrf": try csrf(theirs.body), "session": "rt"])
            #expect(queued.location == "/my/\(second)?done=waitlisted&session=rt")
            #expect(try await page(client, "/my/\(second)").body.contains("В листе ожидания: 1-й"))
            let withdrawn = try await post(client, "/my/\(first)/withdraw", ["csrf": try csrf(mine.body), "session": "rt"])
            #expect(withdrawn.location == "/my/\(first)?done=withdrawn&session=rt")
            #expect(try await page(client, "/my/\(second)").body.contains("Место за вами"))
            // A session without sign-up or not in the programme is not one to sign up for.
            #expect(try await post(client, "/my/\(first)/sign-up", ["csrf": try csrf(mine.body), "session": "panel"]).status == .notFound)
            #expect(try await post(client, "/my/\(first)/sign-up", ["csrf": try csrf(mine.body), "session": "nowhere"]).status == .notFound)
        }
    }

    @Test func everyFormNeedsTheCSRFTokenOfItsOwnPage() async throws {
        let database = try await forum()
        let first = try await token(database, 1), second = try await token(database, 2)
        try await API.withClient(database: database) { client in
            let othersToken = try csrf(try await page(client, "/my/\(second)").body)
            for fields in [["session": "rt"], ["csrf": "", "session": "rt"], ["csrf": othersToken, "session": "rt"], ["csrf": "x" + othersToken.dropFirst(), "session": "rt"]] {
                let refused = try await post(client, "/my/\(first)/sign-up", fields)
                #expect(refused.status == .forbidden && refused.body.contains("Страница устарела"))
            }
            #expect(try await database.enrollments(in: "rt").isEmpty)
        }
    }

    @Test func beforeTheOpeningThePagesSayWhenAndNobodySignsUp() async throws {
        let database = try await forum(opensIn: 3600)
        let first = try await token(database, 1)
        try await API.withClient(database: database) { client in
            let mine = try await page(client, "/my/\(first)")
            #expect(mine.body.contains("Запись откроется") && !mine.body.contains(">Записаться<"))
            #expect(try await page(client, "/programme").body.contains("Запись откроется"))
            // A form kept from before would carry a good token: still refused until the moment.
            let early = try await post(client, "/my/\(first)/sign-up", ["csrf": try await PageForms(database: database).csrfToken(for: first), "session": "rt"])
            #expect(early.status == .seeOther && early.location == "/my/\(first)?done=refused&session=rt")
            #expect(try await page(client, try #require(early.location)).body.contains("нельзя: запись откроется"))
            #expect(try await database.enrollments(in: "rt").isEmpty)
        }
    }

    @Test func aCancelledRegistrationsLinkSaysSoAndAWrongLinkIsNotFound() async throws {
        let database = try await forum()
        let first = try await token(database, 1)
        _ = try await database.cancelParticipant(id: 1)
        try await API.withClient(database: database) { client in
            let mine = try await page(client, "/my/\(first)")
            #expect(mine.status == .ok && mine.body.contains("Ваша регистрация отменена") && !mine.body.contains("<svg"))
            let refused = try await post(client, "/my/\(first)/sign-up", ["csrf": try await PageForms(database: database).csrfToken(for: first), "session": "rt"])
            #expect(refused.status == .seeOther && refused.location == "/my/\(first)?done=refused&session=rt")
            #expect(try await page(client, try #require(refused.location)).body.contains("нельзя: регистрация отменена"))
            #expect(try await database.enrollments(in: "rt").isEmpty)
            let wrong = try await page(client, "/my/" + String(first.reversed()))
            let missing = try await page(client, "/my/nothing")
            let long = try await page(client, "/my/" + String(repeating: "a", count: 5000))
            #expect(wrong.status == .notFound && missing.status == .notFound && long.status == .notFound)
            #expect(wrong.body == missing.body, "a wrong link and a missing one look the same")
            #expect(try await post(client, "/my/nothing/sign-up", ["csrf": "x", "session": "rt"]).status == .notFound)
        }
    }

    @Test func fiftyClicksGetOneSignUpAndTheLimitSaysToWait() async throws {
        let database = try await forum(capacity: 5)
        let first = try await token(database, 1)
        var settings = ServerSettings()
        settings.signUpsPerLink = 10
        let application = try buildApplication(settings: settings, database: database, logger: API.quiet)
        try await application.test(.router) { client in
            let form = ["csrf": try csrf(try await page(client, "/my/\(first)").body), "session": "rt"]
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<50 { statuses.append(try await post(client, "/my/\(first)/sign-up", form).status) }
            #expect(statuses.prefix(10).allSatisfy { $0 == .seeOther } && statuses.dropFirst(10).allSatisfy { $0 == .tooManyRequests })
            let limited = try await client.execute(
                uri: "/my/\(first)/sign-up", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "session=rt")
            ) { response in (response.headers[.retryAfter], String(buffer: response.body)) }
            #expect(limited.0.flatMap { Int($0) }.map { (1...60).contains($0) } == true && limited.1.contains("Слишком много нажатий"))
        }
        let enrollments = try await database.enrollments(in: "rt")
        #expect(enrollments.count == 1 && enrollments.first?.participantID == 1)
    }
}
