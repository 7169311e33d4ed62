import AsyncHTTPClient
import ForumDomain
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The forum server as a desk talks to it: check in, look people up, fetch the snapshot. A
/// request that gets no answer within `timeout` is `unreachable`, and so is a server error;
/// the desk then decides by itself.
public struct DeskServer: Sendable {
    public let url: String
    let token: String
    let timeout: TimeAmount
    let client: HTTPClient

    public init(url: String, token: String, timeout: Duration = .seconds(1), client: HTTPClient = .shared) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.client = client
    }

    /// A scan as the desk sends it: a badge's code, or a person picked from a search.
    public struct Scan: Sendable, Encodable {
        public var code: String?
        public var participantId: Int64?
        public var list: String
        public var desk: String
        public var nonce: String
        public var scannedAt: Date
        public var offline: Bool
    }

    /// The server's answer to a scan.
    public struct Answer: Sendable, Decodable {
        public var result: CheckInResult
        /// The scan as the server keeps it (its id places it against a snapshot's cursor).
        public var checkIn: CheckInRecord
        public var participant: DoorPerson?
        public var first: CheckInRecord?
        public var replayed: Bool
    }

    public func checkIn(_ scan: Scan) async throws(DeskServerError) -> Answer {
        try await call(.POST, "/api/v1/checkins", body: scan, as: Answer.self)
    }

    public func search(_ prefix: String, list: String) async throws(DeskServerError) -> [DeskMatch] {
        struct Found: Decodable {
            var participant: DoorPerson
            var checkedIn: CheckInRecord?
        }
        let query = "?list=\(Self.escaped(list))&limit=9&q=\(Self.escaped(prefix))"
        return try await call(.GET, "/api/v1/desk/search" + query, as: [Found].self).map { found in
            DeskMatch(person: found.participant, earlier: found.checkedIn.map { DeskStore.Earlier(desk: $0.desk, at: $0.scannedAt) })
        }
    }

    /// The whole snapshot for `list` (given five timeouts: a whole roster is a few megabytes),
    /// or what changed since `cursor`.
    public func snapshot(list: String, since cursor: DeskSnapshot.Cursor) async throws(DeskServerError) -> DeskSnapshot {
        let query = "?list=\(Self.escaped(list))&people=\(cursor.people)&checkIns=\(cursor.checkIns)"
        return try await call(.GET, "/api/v1/desk/snapshot" + query, as: DeskSnapshot.self, patience: cursor.isEmpty ? 5 : 1)
    }

    private func call<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Answer.Type, patience: Int64 = 1
    ) async throws(DeskServerError) -> Answer {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        do {
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(data: try DeskStore.encoder.encode(body)))
            }
            let limit = timeout * patience
            // One deadline for the whole exchange: AsyncHTTPClient's covers only the head.
            let (status, bytes) = try await Self.within(limit) { [client, request] in
                let response = try await client.execute(request, timeout: limit)
                return (response.status, try await response.body.collect(upTo: 64 << 20))
            }
            switch status.code {
            case 200..<300:
                do {
                    return try DeskStore.decoder.decode(Answer.self, from: bytes)
                } catch {
                    throw DeskServerError.unreachable("непонятный ответ сервера (другая версия?): \(error)")
                }
            case 401, 403:
                throw DeskServerError.unauthorized(Self.detail(bytes) ?? "сервер не принимает токен стойки")
            case 400, 404, 409, 410, 422:
                throw DeskServerError.refused(status: Int(status.code), detail: Self.detail(bytes) ?? status.reasonPhrase)
            default:
                throw DeskServerError.unreachable("сервер ответил \(status.code)\(Self.detail(bytes).map { ": " + $0 } ?? "")")
            }
        } catch let error as DeskServerError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw DeskServerError.unreachable("нет ответа за \(Double(timeout.nanoseconds * patience) / 1e9) с")
        } catch {
            throw DeskServerError.unreachable("нет соединения (\(error))")
        }
    }

    /// The result of `work`, or `HTTPClientError.deadlineExceeded` once `limit` has passed (the
    /// work is then cancelled).
    private static func within<Value: Sendable>(_ limit: TimeAmount, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(limit.nanoseconds))
                throw HTTPClientError.deadlineExceeded
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The `detail` of a problem+json answer.
    private static func detail(_ bytes: ByteBuffer) -> String? {
        struct Problem: Decodable { var detail: String?; var title: String? }
        return (try? JSONDecoder().decode(Problem.self, from: bytes)).flatMap { $0.detail ?? $0.title }
    }

    private static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Why the server gave the desk no answer to act on.
public enum DeskServerError: Error, Sendable, Equatable {
    /// No answer in time, no connection, a server error or an answer this desk cannot read:
    /// decide locally and retry later.
    case unreachable(String)
    /// The token was refused: nothing will upload until someone fixes it.
    case unauthorized(String)
    /// The request itself was refused for good (400, 404, 409, 410, 422: an unknown list, a
    /// malformed scan).
    case refused(status: Int, detail: String)
}

/// What stops a desk from working.
public enum DeskError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case unreadable(String)
    /// No copy of the list yet and no server to get one from.
    case noSnapshot(server: String, reason: String)
    /// The file holds another list's copy.
    case otherList(path: String, holds: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): не открывается файл стойки: \(reason)"
        case .unreadable(let reason): reason
        case .noSnapshot(let server, let reason):
            "стойка не получила снимок списка с сервера \(server): \(reason.hasSuffix(".") ? String(reason.dropLast()) : reason). Сохранённого снимка нет, и без него стойке нечем проверять бейджи: подключитесь к серверу хотя бы раз."
        case .otherList(let path, let holds): "\(path): в этом файле снимок списка «\(holds)»; укажите другой --state для этого списка"
        }
    }
}
