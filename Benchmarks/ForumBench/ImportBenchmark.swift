import ForumDomain
import ForumRoster
import ForumStore
import Foundation

/// Importing the roster: parse, validate, register in one transaction, re-import, end to end.
struct ImportBenchmark {
    let forms: [ParticipantForm]
    let directory: URL
    let runs = 9

    func run() async throws {
        let count = forms.count
        let csv = try RosterWriter.csv(columns: RosterWriter.formColumns, rows: forms.map(RosterWriter.cells))
        let windows1251 = String(decoding: csv.dropFirst(3), as: UTF8.self).data(using: .windowsCP1251)!
        print("forumops import benchmark: \(count) rows, \(csv.count / 1024) KiB of CSV, median of \(runs) runs")

        let parse = try await measure(runs: runs, setUp: {}) { _ in _ = try RosterFile(data: csv) }
        let roster = try RosterFile(data: csv)
        let validate = await measure(runs: runs, setUp: {}) { _ in _ = roster.validate() }
        let rows = roster.validate().valid.map { RegistrationRow($0.details, provided: $0.provided) }
        let register = try await measure(runs: runs, setUp: freshDatabase) { database in
            let report = try await database.register(rows)
            precondition(report.created == count)
        }
        let reimport = try await measure(runs: runs, setUp: {
            let database = try freshDatabase()
            _ = try await database.register(rows)
            return database
        }) { database in
            let report = try await database.register(rows)
            precondition(report.unchanged == count)
        }
        let whole = try await measure(runs: runs, setUp: freshDatabase) { database in
            let (valid, problems) = try RosterFile(data: windows1251).validate()
            precondition(problems.isEmpty)
            _ = try await database.register(valid.map { RegistrationRow($0.details, provided: $0.provided) })
        }

        print("  read and parse CSV (UTF-8)           \(format(parse))")
        print("  validate rows                        \(format(validate))")
        print("  register in one transaction (new db) \(format(register))")
        print("  re-import, nothing changes           \(format(reimport))")
        print("import \(count) rows end to end (Windows-1251 file → committed): \(format(whole)), target < 500 ms")

        // One person registered with everyone else already there: the batch planner loads the
        // whole table inside the write transaction; the single-row path looks up indexes.
        let database = try freshDatabase()
        _ = try await database.register(rows)
        var number = 0
        func newcomer() throws -> RegistrationRow {
            number += 1
            var form = forms[number % count]
            form[.email] = "newcomer\(number)@bench.ru"
            form[.externalID] = nil
            return try RegistrationRow(form)
        }
        let batchPath = try await measure(runs: 31, setUp: newcomer) { row in _ = try await database.register([row]) }
        let singlePath = try await measure(runs: 31, setUp: newcomer) { row in _ = try await database.register(row) }
        print("register one participant with \(count) registered (writer held):")
        print("  through the batch planner (table load) \(format(batchPath))")
        print("  through indexed lookups                \(format(singlePath))")
    }

    func freshDatabase() throws -> ForumDatabase {
        try ForumDatabase.open(path: directory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path)
    }
}
