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
        let people = try arrivedByCategoryAndRegion()
        let outcomes = try listOutcomes()
        let recent = try recentScans()
        let listStats = lists.compactMap { list -> ListStats? in
            let outcome = outcomes[list.slug] ?? ListOutcome()
            // The entrance always; a hall once anybody has been scanned there.
            guard list.slug == CheckInList.entranceSlug || outcome.scans > 0 else { return nil }
            let desks = recent[list.slug] ?? [:]
            let active = desks.values.filter { now.timeIntervalSince1970 - ($0.last ?? 0) <= 300 }
            let forecast = active.isEmpty ? nil : QueueForecast(
                QueueForecast.Input(
                    scansPerMinute: Self.perMinute(desks.values.flatMap { $0 }, now: now), deskServiceSeconds: active.map(QueueForecast.serviceSeconds),
                    defaultServiceSeconds: defaultServiceSeconds, targetWaitMinutes: targetWaitMinutes
                ),
                place: list.title
            )
            return ListStats(
                slug: list.slug, title: list.title, checkedIn: outcome.checkedIn, refused: outcome.refused, annulled: outcome.annulled,
                arrivals: ArrivalBucket.series(outcome.arrivals), forecast: forecast
            )
        }
        let registered = people.reduce(0) { $0 + $1.registered }
        let arrived = people.reduce(0) { $0 + $1.arrived }
        return ForumStats(
            generatedAt: now, registered: registered, noShows: registered - arrived, lists: listStats,
            categories: ParticipantCategory.allCases.compactMap { category in
                let rows = people.filter { $0.category == category.rawValue }
                return rows.isEmpty ? nil : GroupStats(
                    code: category.rawValue, name: category.russianName, registered: rows.reduce(0) { $0 + $1.registered }, arrived: rows.reduce(0) { $0 + $1.arrived }
                )
            },
            regions: Dictionary(grouping: people) { $0.region }.map { code, rows in
                GroupStats(code: code, name: FederalSubject.named(byCode: code).name, registered: rows.reduce(0) { $0 + $1.registered }, arrived: rows.reduce(0) { $0 + $1.arrived })
            }.sorted { $0.code < $1.code },
            sessions: try sessions(programme, outcomes: outcomes),
            desks: try desks()
        )
    }

    /// Registered and arrived at the entrance, by category and region.
    private func arrivedByCategoryAndRegion() throws -> [(category: String, region: String, registered: Int, arrived: Int)] {
        try Array(Row.fetchCursor(db, sql: """
            SELECT p.category, p.region_code, COUNT(*), COUNT(c.id) FROM participant p
            LEFT JOIN checkin c ON c.participant_id = p.id AND c.list_slug = ? AND c.result = 'ok' AND c.annulled_at IS NULL
            WHERE p.status = 'registered' GROUP BY p.category, p.region_code
            """, arguments: [CheckInList.entranceSlug]).map { ($0[0], $0[1], $0[2], $0[3]) })
    }

    struct ListOutcome {
        var scans = 0
        var checkedIn = 0
        var refused: [String: Int] = [:]
        var annulled = 0
        /// Standing check-ins by ten-minute bucket (its number: seconds since 1970 / 600).
        var arrivals: [Int: Int] = [:]
    }

    /// Every list's scans by result, annulment and ten-minute bucket, in one pass.
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

    /// Every scan of the last fifteen minutes, in seconds since 1970, by list and desk, ascending:
    /// enough gaps to measure a working desk, few rows to read.
    private func recentScans() throws -> [String: [String: [Double]]] {
        var scans: [String: [String: [Double]]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT list_slug, desk, scanned_at FROM checkin WHERE scanned_at >= ? AND scanned_at <= ? ORDER BY scanned_at
            """, arguments: [now.addingTimeInterval(-900), now])
        while let row = try rows.next() {
            guard let moment = StoredDate.seconds(row[2]) else { continue }
            scans[row[0], default: [:]][row[1], default: []].append(moment)
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

    private func desks() throws -> [DeskStats] {
        let tenMinutesAgo = now.addingTimeInterval(-600)
        return try Array(Row.fetchCursor(db, sql: """
            SELECT desk, token_name, COUNT(*), SUM(recorded_at >= :since), SUM(result <> 'ok'), MAX(recorded_at),
                   SUM(source = 'offline'), SUM(source = 'offline' AND recorded_at >= :since)
            FROM checkin GROUP BY desk, token_name
            """, arguments: ["since": tenMinutesAgo]).map { row in
            DeskStats(
                desk: row[0], token: row[1], scans: row[2], scansLast10Minutes: row[3], refusals: row[4], lastSeen: row[5],
                lateUploads: row[6], lateUploadsLast10Minutes: row[7], now: now
            )
        }).sorted { first, second in
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
