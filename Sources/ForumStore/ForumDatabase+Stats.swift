import ForumDomain
import Foundation
import GRDB

extension ForumDatabase {
    /// The organisers' figures at `now`, read in one transaction with a handful of grouped
    /// queries (no query reads a row per person twice).
    public func stats(at now: Date = Date(), defaultServiceSeconds: Double = 12, targetWaitMinutes: Double = 2) async throws -> ForumStats {
        try await writer.read { db in
            try StatsQueries(db: db, now: now).stats(defaultServiceSeconds: defaultServiceSeconds, targetWaitMinutes: targetWaitMinutes)
        }
    }
}

/// The queries behind `ForumDatabase.stats`. Stored times are UTC text that sorts as time
/// does: a ten-minute bucket is its first 15 characters, and `StoredDate.seconds` reads the
/// rest without SQLite's date functions (which cost a microsecond a row).
private struct StatsQueries {
    let db: Database
    let now: Date

    func stats(defaultServiceSeconds: Double, targetWaitMinutes: Double) throws -> ForumStats {
        let programme = try ProgrammeRecord.load(db)
        let lists = try CheckInLists.all(programme: programme, in: db)
        let people = try peopleByCategoryAndRegion()
        let outcomes = try listOutcomes()
        let recent = try recentScans()
        let working = Dictionary(grouping: recent.filter { $0.scanned >= now.timeIntervalSince1970 - 900 && $0.scanned <= now.timeIntervalSince1970 }) { $0.list }
        let listStats = lists.compactMap { list -> ListStats? in
            let outcome = outcomes[list.slug] ?? ListOutcome()
            // The entrance always; a hall once anybody has been scanned there.
            guard list.slug == CheckInList.entranceSlug || outcome.scans > 0 else { return nil }
            let scans = working[list.slug] ?? []
            let desks = Dictionary(grouping: scans) { $0.desk }.values.map { $0.map(\.scanned).sorted() }
            let active = desks.filter { now.timeIntervalSince1970 - ($0.last ?? 0) <= 300 }
            let forecast = active.isEmpty ? nil : QueueForecast(
                QueueForecast.Input(
                    scansPerMinute: Self.perMinute(scans.map(\.scanned), now: now), deskServiceSeconds: active.map(QueueForecast.serviceSeconds),
                    defaultServiceSeconds: defaultServiceSeconds, targetWaitMinutes: targetWaitMinutes
                ),
                place: list.title
            )
            return ListStats(
                slug: list.slug, title: list.title, checkedIn: outcome.checkedIn, refused: outcome.refused, annulled: outcome.annulled,
                arrivals: ArrivalBucket.series(outcome.arrivals), forecast: forecast
            )
        }
        let registered = people.reduce(0) { $0 + $1.value.registered }
        let arrived = people.reduce(0) { $0 + $1.value.arrived }
        return ForumStats(
            generatedAt: now, registered: registered, noShows: registered - arrived, lists: listStats,
            categories: ParticipantCategory.allCases.compactMap { category in
                let rows = people.filter { $0.key.category == category.rawValue }.map(\.value)
                return rows.isEmpty ? nil : GroupStats(
                    code: category.rawValue, name: category.russianName, registered: rows.reduce(0) { $0 + $1.registered }, arrived: rows.reduce(0) { $0 + $1.arrived }
                )
            },
            regions: Dictionary(grouping: people) { $0.key.region }.map { code, rows in
                GroupStats(
                    code: code, name: FederalSubject.named(byCode: code).name,
                    registered: rows.reduce(0) { $0 + $1.value.registered }, arrived: rows.reduce(0) { $0 + $1.value.arrived }
                )
            }.sorted { $0.code < $1.code },
            sessions: try sessions(programme, outcomes: outcomes),
            desks: try desks(recent: recent)
        )
    }

    struct Group: Hashable {
        let category: String
        let region: String
    }

    /// Registered and arrived at the entrance, by category and region: the registered from the
    /// people's index, the arrived from the entrance's standing check-ins (two passes over an
    /// index each, rather than a lookup in the trail for every person).
    private func peopleByCategoryAndRegion() throws -> [Group: (registered: Int, arrived: Int)] {
        var people: [Group: (registered: Int, arrived: Int)] = [:]
        let registered = try Row.fetchCursor(db, sql: """
            SELECT category, region_code, COUNT(*) FROM participant WHERE status = 'registered' GROUP BY 1, 2
            """)
        while let row = try registered.next() { people[Group(category: row[0], region: row[1]), default: (0, 0)].registered = row[2] }
        let arrived = try Row.fetchCursor(db, sql: """
            SELECT p.category, p.region_code, COUNT(*) FROM checkin c JOIN participant p ON p.id = c.participant_id
            WHERE c.list_slug = ? AND c.result = 'ok' AND c.annulled_at IS NULL AND p.status = 'registered' GROUP BY 1, 2
            """, arguments: [CheckInList.entranceSlug])
        while let row = try arrived.next() { people[Group(category: row[0], region: row[1]), default: (0, 0)].arrived = row[2] }
        return people
    }

    struct ListOutcome {
        var scans = 0
        var checkedIn = 0
        var refused: [String: Int] = [:]
        var annulled = 0
        /// Standing check-ins by ten-minute bucket (its number: seconds since 1970 / 600).
        var arrivals: [Int: Int] = [:]
    }

    /// Every list's scans by result, annulment and ten-minute bucket, in one pass over an index.
    private func listOutcomes() throws -> [String: ListOutcome] {
        var outcomes: [String: ListOutcome] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT list_slug, result, annulled_at IS NOT NULL, substr(scanned_at, 1, 15), COUNT(*) FROM checkin GROUP BY 1, 2, 3, 4
            """)
        while let row = try rows.next() {
            let result: String = row[1], annulled: Bool = row[2], count: Int = row[4]
            var outcome = outcomes[row[0], default: ListOutcome()]
            outcome.scans += count
            if annulled {
                outcome.annulled += count
            } else if result == CheckInResult.ok.rawValue {
                outcome.checkedIn += count
                if let start = StoredDate.seconds((row[3] as String) + "0") { outcome.arrivals[Int(start / ForumStats.bucket), default: 0] += count }
            } else {
                outcome.refused[result, default: 0] += count
            }
            outcomes[row[0]] = outcome
        }
        return outcomes
    }

    /// A scan that reached the server lately; its times in seconds since 1970.
    struct RecentScan {
        let list: String
        let desk: String
        let token: String?
        let scanned: Double
        let recorded: Double
        let offline: Bool
    }

    /// Every scan that reached the server in the last twenty minutes, from an index in the
    /// order they came: enough for each desk's last ten minutes and to hold every scan made in
    /// the last fifteen (a desk's clock is believed up to five minutes ahead of the server's).
    private func recentScans() throws -> [RecentScan] {
        var scans: [RecentScan] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT list_slug, desk, token_name, scanned_at, recorded_at, source = 'offline' FROM checkin WHERE recorded_at >= ?
            """, arguments: [now.addingTimeInterval(-1200)])
        while let row = try rows.next() {
            guard let scanned = StoredDate.seconds(row[3]), let recorded = StoredDate.seconds(row[4]) else { continue }
            scans.append(RecentScan(list: row[0], desk: row[1], token: row[2], scanned: scanned, recorded: recorded, offline: row[5]))
        }
        return scans
    }

    /// Scans per minute over the ten minutes before `now`, oldest first.
    private static func perMinute(_ moments: [Double], now: Date) -> [Int] {
        var minutes = [Int](repeating: 0, count: 10)
        for moment in moments {
            let ago = Int((now.timeIntervalSince1970 - moment) / 60)
            if (0..<10).contains(ago) { minutes[9 - ago] += 1 }
        }
        return minutes
    }

    private func sessions(_ programme: Programme?, outcomes: [String: ListOutcome]) throws -> [SessionStats] {
        guard let programme else { return [] }
        var enrolled: [String: (seated: Int, waitlisted: Int)] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT s.slug, e.state, COUNT(*) FROM enrollment e JOIN session s ON s.id = e.session_id GROUP BY 1, 2")
        while let row = try rows.next() {
            let state: String = row[1], count: Int = row[2]
            if state == Enrollment.State.seated.rawValue { enrolled[row[0], default: (0, 0)].seated = count } else { enrolled[row[0], default: (0, 0)].waitlisted = count }
        }
        return programme.sessions.filter { !$0.isCancelled }.sorted { ($0.start, $0.slug) < ($1.start, $1.slug) }.map { session in
            SessionStats(
                slug: session.slug, title: session.title, start: session.start, seats: session.capacity ?? programme.room(session.room)?.room.capacity,
                signedUp: enrolled[session.slug]?.seated ?? 0, waitlisted: enrolled[session.slug]?.waitlisted ?? 0,
                checkedIn: outcomes[session.slug]?.checkedIn ?? 0
            )
        }
    }

    struct Desk: Hashable {
        let desk: String
        let token: String?
    }

    /// Each desk's totals from its index (grouped in the index's order, no sort; the last scan
    /// of a group is the last entry of its part of the index), and its last ten minutes from
    /// the recent scans.
    private func desks(recent: [RecentScan]) throws -> [DeskStats] {
        var totals: [Desk: (scans: Int, refusals: Int, offline: Int, lastSeen: String)] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT desk, token_name, result <> 'ok', source = 'offline', COUNT(*), (
                SELECT MAX(recorded_at) FROM checkin latest
                WHERE latest.desk = scan.desk AND latest.token_name IS scan.token_name AND latest.result = scan.result AND latest.source = scan.source
            ) FROM checkin scan GROUP BY desk, token_name, result, source
            """)
        while let row = try rows.next() {
            let refused: Bool = row[2], offline: Bool = row[3], count: Int = row[4], lastSeen: String = row[5]
            var total = totals[Desk(desk: row[0], token: row[1]), default: (0, 0, 0, "")]
            total.scans += count
            if refused { total.refusals += count }
            if offline { total.offline += count }
            total.lastSeen = max(total.lastSeen, lastSeen)
            totals[Desk(desk: row[0], token: row[1])] = total
        }
        let tenMinutesAgo = now.timeIntervalSince1970 - 600
        var lately: [Desk: (scans: Int, offline: Int)] = [:]
        for scan in recent where scan.recorded >= tenMinutesAgo {
            lately[Desk(desk: scan.desk, token: scan.token), default: (0, 0)].scans += 1
            if scan.offline { lately[Desk(desk: scan.desk, token: scan.token), default: (0, 0)].offline += 1 }
        }
        return totals.map { desk, total in
            DeskStats(
                desk: desk.desk, token: desk.token, scans: total.scans, scansLast10Minutes: lately[desk]?.scans ?? 0, refusals: total.refusals,
                lastSeen: Date.fromDatabaseValue(total.lastSeen.databaseValue) ?? .distantPast,
                lateUploads: total.offline, lateUploadsLast10Minutes: lately[desk]?.offline ?? 0, now: now
            )
        }.sorted { first, second in
            // «Вход 2» before «Вход 10», as people number desks.
            switch first.desk.compare(second.desk, options: .numeric) {
            case .orderedAscending: true
            case .orderedDescending: false
            case .orderedSame: (first.token ?? "") < (second.token ?? "")
            }
        }
    }
}

extension ForumDatabase {
    /// The standing check-ins (`ok`, not annulled) with who it was, of one list or of all, in
    /// the order they were scanned: who arrived when, where, at which desk.
    public func arrivals(list: String? = nil) async throws -> [(checkIn: CheckInRecord, person: DoorPerson)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(DeskRow.personColumns), \(CheckInRecords.qualifiedSelection("c")) FROM checkin c JOIN participant p ON p.id = c.participant_id
                WHERE c.result = 'ok' AND c.annulled_at IS NULL AND (?1 IS NULL OR c.list_slug = ?1) ORDER BY c.scanned_at, c.id
                """, arguments: [list]).map { row in
                let match = DeskRow(row: row)
                return (try match.checkIn(), try match.person())
            }
        }
    }
}
