// `forum-bench`: the figures DESIGN.md sets targets for. Run with `make bench` (release build).
import ForumDomain
import ForumRoster
import ForumStore
import Foundation

/// Wall-clock milliseconds of `runs` runs of `work` (after `setUp` for each run): the median,
/// and the fastest, which is what the code costs on this machine with the noise taken out.
func measure<State>(runs: Int, setUp: () async throws -> State, _ work: (State) async throws -> Void) async rethrows -> (median: Double, fastest: Double) {
    var times: [Double] = []
    for _ in 0..<runs {
        let state = try await setUp()
        let start = ContinuousClock.now
        try await work(state)
        times.append((ContinuousClock.now - start) / .milliseconds(1))
    }
    let sorted = times.sorted()
    return (sorted[sorted.count / 2], sorted[0])
}

func format(_ time: (median: Double, fastest: Double)) -> String {
    String(format: "%8.1f ms (fastest %6.1f ms)", time.median, time.fastest)
}

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 7500
let runs = 9
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

var demo = DemoRoster(seed: 2027)
let csv = try RosterWriter.csv(columns: RosterWriter.formColumns, rows: demo.forms(count: count).map(RosterWriter.cells))
let windows1251 = String(decoding: csv.dropFirst(3), as: UTF8.self).data(using: .windowsCP1251)!
print("forumops import benchmark: \(count) rows, \(csv.count / 1024) KiB of CSV, median of \(runs) runs")

func freshDatabase() throws -> ForumDatabase {
    try ForumDatabase.open(path: directory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path)
}

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
