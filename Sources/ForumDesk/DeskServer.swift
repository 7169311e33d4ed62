import AsyncHTTPClient
import ForumAPI
import ForumDomain
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// The forum server as a desk talks to it: check in, look people up, fetch the snapshot, in
/// `ForumAPI`'s wire types. A request that gets no answer within `timeout` is `unreachable`, and
/// so is a server error or any answer that is not forumops' own; the desk then decides by
/// itself. Only a refusal forumops itself wrote (`ProblemDocument`) is final.
public final class DeskServer: Sendable {
    public let url: String
    let token: String
    let timeout: TimeAmount
    let client: HTTPClient

    /// Talks to `url` over a client of its own: HTTPS trusting the system's roots, and `ca`'s
    /// certificates (PEM) if given. Plain `http://` is refused to anything but this machine
    /// unless `insecureHTTP`: on venue Wi-Fi anyone can read it, or answer in the server's name.
    public init(url: String, token: String, timeout: Duration = .seconds(1), ca: String? = nil, insecureHTTP: Bool = false) throws(DeskError) {
        try Self.checkAddress(url, insecureHTTP: insecureHTTP)
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(ca)
            } catch {
                throw .untrusted("\(ca): сертификат центра сертификации (PEM) не прочитан: \(error)")
            }
            guard !certificates.isEmpty else { throw .untrusted("\(ca): в файле нет сертификата PEM") }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.timeout = TimeAmount(timeout)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        // A refused connection is an answer at once (the server is down): the desk decides by
        // itself now, and the synchroniser tries again within a second. Retrying until the
        // deadline made the first scans after a server stopped wait the whole timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections and waits until they are closed (when the desk stops).
    public func shutdown() async {
        try? await client.shutdown()
    }

    deinit {
        // Closes what `shutdown()` did not; a second shutdown only reports that it was one.
        client.shutdown { _ in }
    }

    /// Refuses what the desk must not talk to: not `http(s)://host`, or plain HTTP to another machine.
    public static func checkAddress(_ url: String, insecureHTTP: Bool) throws(DeskError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty,
              scheme == "http" || scheme == "https"
        else { throw .badAddress("«\(url)» — нужен адрес вида https://host:port") }
        if scheme == "http" && !insecureHTTP && !isLoopback(host) {
            throw .badAddress(
                "\(url): без шифрования токен стойки и список участников видны всем в сети площадки, а ответить стойке может кто угодно. Используйте https:// (forum serve с http.tls.certificate и http.tls.key; свой центр сертификации — --ca FILE) или, если сеть точно своя, --insecure-http"
            )
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public func checkIn(_ scan: ScanRequest) async throws(DeskServerError) -> ScanAnswer {
        try await call(.POST, "/api/v1/checkins", body: scan, as: ScanAnswer.self)
    }

    /// The first `limit` people whose surname starts with `prefix`, and how many there are.
    public func search(_ prefix: String, list: String, limit: Int = 9) async throws(DeskServerError) -> DeskSearchAnswer {
        let query = "?list=\(Self.escaped(list))&limit=\(limit)&q=\(Self.escaped(prefix))"
        return try await call(.GET, "/api/v1/desk/search" + query, as: DeskSearchAnswer.self)
    }

    /// The whole snapshot for `list` (given five timeouts: a whole roster is a few megabytes),
    /// or what changed since `cursor`.
    public func snapshot(list: String, since cursor: DeskSnapshot.Cursor) async throws(DeskServerError) -> DeskSnapshot {
        let query = "?list=\(Self.escaped(list))&people=\(cursor.people)&checkIns=\(cursor.checkIns)"
        return try await call(.GET, "/api/v1/desk/snapshot" + query, as: DeskSnapshot.self, patience: cursor.isEmpty ? 5 : 1)
    }

    /// Reprints a participant's badge — the old one is refused from now on — and returns the new
    /// badge as a PDF to print, with its serial. Given five timeouts: the server draws the badge.
    public func reprint(participant id: Int64) async throws(DeskServerError) -> (pdf: Data, serial: Int?) {
        try await exchange(.POST, "/api/v1/participants/\(id)/reprint", accepting: "application/pdf", patience: 5) { bytes, headers throws(DeskServerError) in
            guard headers.first(name: "Content-Type") == "application/pdf" else { throw .unexpected("ответ на перевыпуск — не PDF") }
            return (Data(buffer: bytes), headers.first(name: "Badge-Serial").flatMap { Int($0) })
        }
    }

    private func call<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as: Answer.Type, patience: Int64 = 1
    ) async throws(DeskServerError) -> Answer {
        try await exchange(method, path, body: body, accepting: "application/json", patience: patience) { bytes, _ throws(DeskServerError) in
            do {
                return try APIJSON.decoder.decode(Answer.self, from: bytes)
            } catch {
                throw DeskServerError.unexpected("непонятный ответ (другая версия или не forumops?): \(error)")
            }
        }
    }

    /// One request within the deadline; a success is made into the answer by `read`, anything
    /// else into the error that says what the desk should do.
    private func exchange<Answer>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, accepting accept: String, patience: Int64,
        read: (ByteBuffer, HTTPHeaders) throws(DeskServerError) -> Answer
    ) async throws(DeskServerError) -> Answer {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: accept)
        do {
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(data: try APIJSON.encoder.encode(body)))
            }
            let limit = timeout * patience
            // One deadline for the whole exchange: AsyncHTTPClient's covers only the head.
            let (status, headers, bytes) = try await Self.within(limit) { [client, request] in
                let response = try await client.execute(request, timeout: limit)
                return (response.status, response.headers, try await response.body.collect(upTo: 64 << 20))
            }
            let problem = ProblemDocument.forumops(in: Data(buffer: bytes), contentType: headers.first(name: "Content-Type"))
            if (200..<300).contains(status.code) { return try read(bytes, headers) }
            if let problem, status.code == 401 || status.code == 403 {
                throw DeskServerError.unauthorized(problem.detail ?? "сервер не принимает токен стойки")
            }
            if let problem, problem.refusesTheRequest {
                throw DeskServerError.refused(status: Int(status.code), detail: problem.detail ?? problem.title)
            }
            // Someone else's answer (a proxy, another server at this address) or a server error: retried.
            let who = problem == nil ? "ответ не от forumops" : "ошибка сервера"
            throw DeskServerError.unexpected("\(who): \(status.code) \(status.reasonPhrase)" + (problem?.detail.map { " — " + $0 } ?? ""))
        } catch let error as DeskServerError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw DeskServerError.unreachable("нет ответа за \(Double(timeout.nanoseconds * patience) / 1e9) с")
        } catch {
            throw DeskServerError.unreachable(Self.words(error))
        }
    }

    /// A connection failure in words; an untrusted certificate says what to do.
    static func words(_ error: any Error) -> String {
        let text = String(describing: error)
        if error is NIOSSLError || error is BoringSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate") {
            return "сервер предъявил сертификат, которому стойка не доверяет (\(text)): укажите сертификат центра сертификации площадки (--ca FILE) или проверьте адрес"
        }
        return "нет соединения (\(text))"
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

    private static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Why the server gave the desk no answer to act on.
public enum DeskServerError: Error, Sendable, Equatable {
    /// No answer in time, or no connection: decide locally and retry later.
    case unreachable(String)
    /// An answer, but not one to act on — a server error, a proxy's or another server's page, a
    /// body this desk cannot read: decide locally, retry later, and say so on screen.
    case unexpected(String)
    /// forumops refused the token: nothing will upload until someone fixes it.
    case unauthorized(String)
    /// forumops refused the request itself for good (400, 404, 409, 410, 422 with its own
    /// problem document: an unknown list, a malformed scan).
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
    /// An address the desk will not talk to.
    case badAddress(String)
    /// A certificate authority that cannot be used.
    case untrusted(String)
    /// `--key` is not the key the desk's file already trusts.
    case otherKey(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): не открывается файл стойки: \(reason)"
        case .unreadable(let reason): reason
        case .noSnapshot(let server, let reason):
            "стойка не получила снимок списка с сервера \(server): \(reason.hasSuffix(".") ? String(reason.dropLast()) : reason). Сохранённого снимка нет, и без него стойке нечем проверять бейджи: подключитесь к серверу хотя бы раз."
        case .otherList(let path, let holds): "\(path): в этом файле снимок списка «\(holds)»; укажите другой --state для этого списка"
        case .badAddress(let reason): "--server: \(reason)"
        case .untrusted(let reason): "--ca: \(reason)"
        case .otherKey(let path):
            "\(path): стойка уже доверяет другому ключу проверки бейджей, чем --key. Проверьте ключ (forum keys public на сервере) или начните с нового файла стойки (--state)."
        }
    }
}
