import ForumDomain
import ForumRoster
import ForumStore
import ForumWorkbook
import Foundation
import Hummingbird

/// Makes an attendance report from the database: the one way the API and `forum checkins
/// export` make it. `list` narrows the arrivals; `now` is the moment the figures are for.
public func attendanceReport(_ report: AttendanceReport, from database: ForumDatabase, list: String? = nil, at now: Date = Date()) async throws -> WorkbookTable {
    switch report {
    case .arrivals:
        let titles = Dictionary(try await database.checkInLists().map { ($0.slug, $0.title) }) { first, _ in first }
        return AttendanceReport.arrivals(try await database.arrivals(list: list), lists: titles)
    case .sessions:
        return AttendanceReport.sessions(try await database.stats(at: now))
    case .noShows:
        return AttendanceReport.noShows(try await database.stats(at: now))
    }
}

/// `GET /api/v1/reports/{arrivals,sessions,no-shows}.csv` (admin): the reports as downloads
/// for Russian Excel.
struct ReportsController {
    let database: ForumDatabase

    func addRoutes(to router: Router<ForumRequestContext>) {
        let admins = router.group("api/v1/reports").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
        for report in AttendanceReport.allCases {
            admins.get(RouterPath(report.fileName())) { request, _ in
                let query = QueryParameters(request)
                let data = try RosterWriter.csv(try await attendanceReport(report, from: database, list: try query.slug("list"), at: try query.moment("at") ?? Date()))
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(report.fileName())\"", .cacheControl: "no-store",
                    ],
                    body: .init(byteBuffer: ByteBuffer(data: data))
                )
            }
        }
    }
}
