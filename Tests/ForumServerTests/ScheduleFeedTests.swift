import ForumDomain
@testable import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ScheduleFeedTests {
    static let paths = ["/api/v1/schedule", "/schedule.json", "/schedule.xml", "/schedule.ics"]

    /// A forum with registered attendees, a speaker linked by e-mail, and release 1 published.
    private func publishedForum() async throws -> (ForumDatabase, attendees: [Participant]) {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register((1...5).map { Sample.details($0, lastName: "Зрителева") })
        let attendees = try await database.participants(matching: ParticipantFilter()).items
        let speaker = SessionPerson(name: "Иван Примеров", position: "Глава района", role: .speaker, email: attendees[0].details.email)
        _ = try await database.importProgramme(SampleProgramme.programme([
            SampleProgramme.session("rt-turizm", from: "10:00", to: "11:30", capacity: 80, people: [speaker]),
        ]))
        _ = try await database.publishProgramme(note: "Первый выпуск")
        return (database, attendees)
    }

    @Test func beforeTheFirstReleaseEveryFeedIs404AsProblem() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.importProgramme(SampleProgramme.programme([]))  // a draft is never served
        try await API.withClient(database: database) { client in
            for path in Self.paths {
                try await client.execute(uri: path, method: .get) { response throws in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
                }
            }
        }
    }

    @Test func feedsArePublicCacheableAndCompressed() async throws {
        let (database, _) = try await publishedForum()
        try await API.withClient(database: database) { client in
            for path in Self.paths {
                let etag = try await client.execute(uri: path, method: .get) { response throws -> String in
                    #expect(response.status == .ok)
                    #expect(response.headers[.accessControlAllowOrigin] == "*")
                    #expect(response.headers[.cacheControl]?.hasPrefix("public") == true)
                    #expect(response.headers[.lastModified]?.hasSuffix("GMT") == true)
                    #expect(response.headers[.contentEncoding] == nil)
                    return try #require(response.headers[.eTag])
                }
                try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: etag]) { response throws in
                    #expect(response.status == .notModified)
                    #expect(response.body.readableBytes == 0)
                    #expect(response.headers[.eTag] == etag)
                }
                try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: "\"r0-other\""]) { response throws in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "gzip, deflate, br"]) { response throws in
                    #expect(response.headers[.contentEncoding] == "gzip")
                    #expect(response.body.getBytes(at: response.body.readerIndex, length: 2) == [0x1F, 0x8B])
                    #expect(response.headers[.eTag] != etag)
                }
                try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "gzip;q=0"]) { response throws in
                    #expect(response.headers[.contentEncoding] == nil)
                }
            }
        }
    }

    @Test func theScheduleShowsOnlyTheLatestReleaseNeverTheDraft() async throws {
        let (database, _) = try await publishedForum()
        _ = try await database.updateSession("rt-turizm") { $0.title = "Черновое название" }
        try await API.withClient(database: database) { client in
            try await client.execute(uri: "/api/v1/schedule", method: .get) { response throws in
                let body = String(buffer: response.body)
                #expect(body.contains("Сессия rt-turizm") && !body.contains("Черновое название"))
                let document = try API.decode(response.body)
                #expect((document["release"] as? [String: Any])?["number"] as? Int == 1)
            }
        }
    }

    @Test func noAttendeesNameEMailOrPhoneAppearsInAnyPublicFeed() async throws {
        let (database, attendees) = try await publishedForum()
        try await API.withClient(database: database) { client in
            for path in Self.paths {
                try await client.execute(uri: path, method: .get) { response throws in
                    let body = String(buffer: response.body)
                    #expect(body.contains("Иван Примеров"))  // the speaker's public name
                    for attendee in attendees {
                        for personal in [attendee.details.email, attendee.details.lastName, attendee.details.phone ?? "-"] {
                            #expect(!body.contains(personal), "\(path) shows \(personal)")
                        }
                    }
                }
            }
        }
    }
}

@Suite struct ScheduleSchemaTests {
    /// `/api/v1/schedule` of the shipped programme matches the `Schedule` schema of the OpenAPI
    /// document (Debian's python3-jsonschema and python3-yaml, installed by the README's commands).
    @Test func theOwnScheduleMatchesItsJSONSchema() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.importProgramme(SampleProgramme.programme([
            SampleProgramme.session("rt-turizm", from: "10:00", to: "11:30", capacity: 80, people: [SessionPerson(name: "Иван Примеров", role: .speaker)]),
            SampleProgramme.session("panel", kind: .panel, room: "hall-c", from: "12:00", to: "13:00"),
        ]))
        _ = try await database.publishProgramme(note: "Первый выпуск")
        let schedule = try await API.withClient(database: database) { client in
            try await client.execute(uri: "/api/v1/schedule", method: .get) { response throws in Data(buffer: response.body) }
        }
        try OpenAPISchema.expectValid(schedule, as: "Schedule")
    }
}

/// Checks a document against a schema of the shipped OpenAPI document with Debian's
/// python3-jsonschema and python3-yaml (installed by the README's commands).
enum OpenAPISchema {
    static func expectValid(_ document: Data, as schema: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let openAPI = try ExternalTool.temporaryFile(OpenAPIDocument.yaml, named: "openapi.yaml")
        let file = try ExternalTool.temporaryFile(document, named: "\(schema).json")
        let script = """
            import json, sys, yaml, jsonschema
            document = yaml.safe_load(open(sys.argv[1]))
            resolver = jsonschema.RefResolver(base_uri="", referrer=document)
            validator = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/" + sys.argv[3]}, resolver=resolver, format_checker=jsonschema.FormatChecker())
            errors = list(validator.iter_errors(json.load(open(sys.argv[2]))))
            for error in errors[:10]: print(list(error.path), error.message[:300])
            sys.exit(1 if errors else 0)
            """
        let result = try ExternalTool.python(script, [openAPI, file, schema])
        #expect(result.status == 0, "\(result.output)\(result.errors)", sourceLocation: sourceLocation)
    }
}

@Suite struct PersonalFeedTests {
    @Test func aParticipantsOwnFeedHasTheirSeatsQueueAndTalks() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register((1...3).map { Sample.details($0) })
        let speaker = SessionPerson(name: "Алёна Кузьмина", role: .speaker, email: Sample.details(1).email)
        _ = try await database.importProgramme(SampleProgramme.programme([
            SampleProgramme.session("rt", from: "10:00", to: "11:00", capacity: 1),
            SampleProgramme.session("talk", kind: .lecture, room: "hall-c", from: "12:00", to: "13:00", people: [speaker]),
            SampleProgramme.session("other", room: "hall-b", from: "14:00", to: "15:00", capacity: 5),
        ]))
        _ = try await database.publishProgramme(note: "Первый выпуск")
        _ = try await database.enroll(participant: 2, in: "rt")
        _ = try await database.enroll(participant: 1, in: "rt")
        _ = try await database.enroll(participant: 3, in: "other")
        let token = try await database.participant(id: 1).feedToken
        try await API.withClient(database: database) { client in
            let etag = try await client.execute(uri: "/feeds/\(token)/schedule.json", method: .get) { response throws -> String in
                #expect(response.status == .ok)
                let document = try API.decode(response.body)
                let mine = try #require(document["mine"] as? [[String: Any]])
                #expect(mine.count == 2)
                #expect(mine.contains { $0["session"] as? String == "rt" && $0["kind"] as? String == "waitlisted" && $0["waitlistPosition"] as? Int == 1 })
                #expect(mine.contains { $0["session"] as? String == "talk" && $0["kind"] as? String == "speaker" })
                let sessions = try #require(document["sessions"] as? [[String: Any]])
                #expect(sessions.compactMap { $0["slug"] as? String } == ["rt", "talk"])
                let body = String(buffer: response.body)
                #expect(!body.contains(Sample.details(2).email) && !body.contains("@"))
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: "/feeds/\(token)/schedule.json", method: .get, headers: [.ifNoneMatch: etag]) { response throws in
                #expect(response.status == .notModified)
            }
            try await client.execute(uri: "/feeds/\(token)/schedule.ics", method: .get) { response throws in
                let calendar = String(buffer: response.body)
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(calendar.contains("UID:rt@test-forum.forumops") && calendar.contains("UID:talk@test-forum.forumops"))
                #expect(!calendar.contains("UID:other@"))
            }
            try await client.execute(uri: "/feeds/not-a-token/schedule.ics", method: .get) { response throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func theScheduleSaysHowManySeatsAreLeft() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register((1...2).map { Sample.details($0) })
        _ = try await database.importProgramme(SampleProgramme.programme([SampleProgramme.session("rt", from: "10:00", to: "11:00", capacity: 5)]))
        _ = try await database.publishProgramme(note: "Первый выпуск")
        _ = try await database.enroll(participant: 1, in: "rt")
        _ = try await database.enroll(participant: 2, in: "rt")
        try await API.withClient(database: database) { client in
            try await client.execute(uri: "/api/v1/schedule", method: .get) { response throws in
                let sessions = try #require(try API.decode(response.body)["sessions"] as? [[String: Any]])
                #expect(sessions.first?["seatsLeft"] as? Int == 3)
            }
        }
    }
}

@Suite struct FeedHeaderTests {
    @Test func ifNoneMatchInEveryFormHTTPAllows() {
        let etag = "\"r3-abc\""
        for header in [etag, "W/\"r3-abc\"", "\"r3-abc-gz\"", "\"x\", \"r3-abc\"", " \t\"r3-abc\" ", "*", "\"zz\",W/\"r3-abc-gz\""] {
            #expect(ScheduleFeeds.matches(header, etag), "\(header)")
        }
        for header in ["\"r3-ab\"", "r3-abcd", "\"r3-abc-gzip\"", "\"\"", "", ",", "W/", "\""] {
            #expect(!ScheduleFeeds.matches(header, etag), "\(header)")
        }
    }

    @Test func gzipUnlessItsQualityIsZero() {
        for header in ["gzip", "deflate, gzip", "GZIP;q=0.5", "*", "gzip; q=1"] { #expect(ScheduleFeeds.acceptsGzip(header), "\(header)") }
        for header in ["gzip;q=0", "gzip; q=0.0", "gzip;q=0.000", "br", "", "gzipx"] { #expect(!ScheduleFeeds.acceptsGzip(header), "\(header)") }
        #expect(!ScheduleFeeds.acceptsGzip(nil))
    }
}
