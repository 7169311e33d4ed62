// `forum-bench`: the figures DESIGN.md sets targets for. Run with `make bench` (release build).
// `forum-bench [COUNT]` runs everything; `forum-bench import|http|badges|checkins|stats|desk|rush [COUNT]` one part.
import ForumAgenda
import ForumDomain
import ForumRoster
import ForumStore
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let parts = Set(arguments.filter { Int($0) == nil })
let count = arguments.compactMap(Int.init).first ?? 7500
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

var demo = DemoRoster(seed: 2027)
let forms = demo.forms(count: count)

if parts.isEmpty || parts.contains("import") {
    try await ImportBenchmark(forms: forms, directory: directory).run()
}
// Badges before http: the peak RSS it reports is over the child processes so far.
if parts.isEmpty || parts.contains("badges") {
    try await BadgesBenchmark(forms: forms, directory: directory).run()
}
if parts.isEmpty || parts.contains("http") {
    try await HTTPBenchmark(forms: forms, directory: directory).run()
}
if parts.isEmpty || parts.contains("checkins") {
    try await CheckInBenchmark(directory: directory, http: HTTPBenchmark(forms: forms, directory: directory)).run()
}
if parts.isEmpty || parts.contains("stats") {
    try await StatsBenchmark(forms: forms, directory: directory, http: HTTPBenchmark(forms: forms, directory: directory)).run()
}
if parts.isEmpty || parts.contains("desk") {
    try await DeskBenchmark(forms: forms, directory: directory).run()
}
if parts.isEmpty || parts.contains("rush") {
    try await RushBenchmark(forms: forms, directory: directory, http: HTTPBenchmark(forms: forms, directory: directory)).run()
}
