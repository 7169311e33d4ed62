import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite struct LifecycleTests {
    @Test func gracefulShutdownStopsTheServerAndClosesTheDatabase() async throws {
        let temporary = try TemporaryDatabase()
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let application = try buildApplication(settings: ServerSettings(port: 0), database: temporary.database, logger: API.quiet) { _, bound in
            port.yield(bound)
        }
        let group = buildServiceGroup(application: application, database: temporary.database, logger: API.quiet, signals: [])
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let bound = try #require(await iterator.next())
            #expect(bound > 0)
            #expect(try await !temporary.database.appliedMigrations().isEmpty)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await #expect(throws: (any Error).self) { try await temporary.database.appliedMigrations() }
    }

    @Test func aServerThatFailsToStartStillClosesTheDatabase() async throws {
        let temporary = try TemporaryDatabase()
        let application = try buildApplication(settings: ServerSettings(host: "203.0.113.255", port: 1), database: temporary.database, logger: API.quiet)
        let group = buildServiceGroup(application: application, database: temporary.database, logger: API.quiet, signals: [])
        await #expect(throws: (any Error).self) { try await group.run() }
        await #expect(throws: (any Error).self) { try await temporary.database.appliedMigrations() }
    }

    @Test func aRevocationByAnotherProcessTakesEffectWithinASecond() async throws {
        let temporary = try TemporaryDatabase()
        let (token, secret) = try await temporary.database.createToken(name: "Вход 1", role: .desk)
        // Another process — `forum tokens revoke` — opens the same file and revokes it.
        let other = try ForumDatabase.open(path: temporary.path)
        _ = try await other.revokeToken(id: token.id)
        try other.close()
        #expect(temporary.database.authenticate(secret: secret) != nil)  // not seen yet: only memory is read

        let service = ForumDatabaseService(database: temporary.database, logger: API.quiet)
        let group = ServiceGroup(services: [service], logger: API.quiet)
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let start = ContinuousClock.now
            while temporary.database.authenticate(secret: secret) != nil, ContinuousClock.now - start < .seconds(3) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(temporary.database.authenticate(secret: secret) == nil)
            // The refresh runs every second; the rest is slack for a loaded CI machine (2 cores, tests in parallel).
            #expect(ContinuousClock.now - start < .milliseconds(2_500))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
