import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How to reach the SMTP relay (`mail.*` in the configuration).
public struct SMTPSettings: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain connection upgraded by STARTTLS before anything else (submission, port 587); refused if the server cannot.
        case starttls
        /// TLS from the first byte (port 465).
        case tls
        /// No encryption: only for a relay on this machine or the local network, and never with a password.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// Extra certificates (PEM) trusted besides the system's, for a relay with a private CA.
    public var trustedCertificates: String?
    /// The name this client gives in `EHLO`.
    public var clientName: String
    /// The longest wait for any answer from the server.
    public var timeout: Duration

    public init(
        host: String, port: Int = 587, security: Security = .starttls, username: String? = nil, password: String? = nil,
        trustedCertificates: String? = nil, clientName: String = "forumops.localhost", timeout: Duration = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificates = trustedCertificates
        self.clientName = clientName
        self.timeout = timeout
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: `EHLO`, STARTTLS or implicit TLS with NIOSSL
/// (certificates and host name verified), `AUTH PLAIN` or `LOGIN`, then messages one after
/// another over the same connection.
public enum SMTPClient {
    /// Connects, greets, secures and logs in, runs `body` with the session, then says `QUIT`.
    public static func withSession<Result: Sendable>(
        _ settings: SMTPSettings, _ body: (SMTPSession) async throws -> Result
    ) async throws -> Result {
        if settings.security == .none, settings.password != nil {
            throw MailError.unsupported("пароль к почтовому серверу без шифрования не отправляется: mail.security — starttls или tls")
        }
        let tls = try tlsContext(settings)
        let timeout = TimeAmount(settings.timeout)
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handlers = channel.pipeline.syncOperations
                        if settings.security == .tls {
                            try handlers.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName(settings.host)))
                        }
                        try handlers.addHandler(IdleStateHandler(readTimeout: timeout))
                        try handlers.addHandler(CloseOnIdle())
                        try handlers.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MailError.connection("\(settings.host):\(settings.port): \(error)")
        }
        return try await channel.executeThenClose { inbound, outbound in
            let session = SMTPSession(replies: inbound.makeAsyncIterator(), outbound: outbound)
            _ = try await session.expect(220, after: "приветствие")
            var extensions = try await session.hello(settings.clientName)
            if settings.security == .starttls {
                guard extensions.contains("STARTTLS") else {
                    throw MailError.unsupported("\(settings.host) не предлагает STARTTLS: письма не отправлены (mail.security)")
                }
                try await session.command("STARTTLS", expecting: 220)
                try await channel.channel.pipeline.addHandler(
                    try NIOSSLClientHandler(context: tls, serverHostname: serverName(settings.host)), position: .first
                ).get()
                extensions = try await session.hello(settings.clientName)
            }
            if let username = settings.username {
                try await session.logIn(username, password: settings.password ?? "", extensions: extensions)
            }
            let result = try await body(session)
            try? await session.command("QUIT", expecting: 221)
            return result
        }
    }

    private static func tlsContext(_ settings: SMTPSettings) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let path = settings.trustedCertificates {
            let certificates = (try? NIOSSLCertificate.fromPEMFile(path)) ?? []
            guard !certificates.isEmpty else { throw MailError.unsupported("\(path): сертификат (PEM) не прочитан (mail.trustedCertificates)") }
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// SNI carries host names only: an IP address is verified against the certificate without it.
    private static func serverName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }
}

/// One logged-in conversation with the relay; messages are sent one at a time.
public final class SMTPSession {
    private var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    init(replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.replies = replies
        self.outbound = outbound
    }

    /// Sends `message` to its `To` address. A refusal of this message (`MailError.refused` at
    /// `RCPT TO` or `DATA`) leaves the session ready for the next one.
    public func send(_ message: MailMessage) async throws {
        try await command("MAIL FROM:<\(message.from.address)>", expecting: 250)
        do {
            try await command("RCPT TO:<\(message.to.address)>", expecting: 250, 251)
            try await command("DATA", expecting: 354)
            try await outbound.write(ByteBuffer(bytes: Self.dotStuffed(message.data())))
            _ = try await expect(250, after: "DATA")
        } catch let error as MailError where error.concernsOnlyThisMessage {
            try await command("RSET", expecting: 250)
            throw error
        }
    }

    /// The message's lines with a leading dot doubled, ended by the lone dot (RFC 5321 4.5.2).
    static func dotStuffed(_ data: Data) -> Data {
        var result = Data(capacity: data.count + 64)
        var atLineStart = true
        for byte in data {
            if atLineStart, byte == UInt8(ascii: ".") { result.append(byte) }
            result.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !atLineStart { result.append(contentsOf: Array("\r\n".utf8)) }
        result.append(contentsOf: Array(".\r\n".utf8))
        return result
    }

    /// `EHLO`; the extensions the server offers, by their keyword (`STARTTLS`, `AUTH PLAIN LOGIN`…).
    func hello(_ name: String) async throws -> [String] {
        let reply = try await command("EHLO \(name)", expecting: 250)
        return reply.lines.dropFirst().map { $0.uppercased() }.flatMap { line in
            [line, String(line.split(separator: " ").first ?? "")]
        }
    }

    func logIn(_ username: String, password: String, extensions: [String]) async throws {
        let methods = extensions.first { $0.hasPrefix("AUTH ") }?.split(separator: " ").dropFirst().map(String.init) ?? []
        if methods.contains("PLAIN") {
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            try await command("AUTH PLAIN \(token)", expecting: 235, stage: "AUTH")
        } else if methods.contains("LOGIN") {
            try await command("AUTH LOGIN", expecting: 334, stage: "AUTH")
            try await command(Data(username.utf8).base64EncodedString(), expecting: 334, stage: "AUTH")
            try await command(Data(password.utf8).base64EncodedString(), expecting: 235, stage: "AUTH")
        } else {
            throw MailError.unsupported("почтовый сервер не предлагает вход по паролю (AUTH PLAIN или LOGIN), а mail.username задан")
        }
    }

    /// Sends one command line; its reply, which must have one of `codes`.
    @discardableResult
    func command(_ line: String, expecting codes: Int..., stage: String? = nil) async throws -> SMTPReply {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        let stage = stage ?? ["MAIL FROM", "RCPT TO"].first { line.hasPrefix($0) } ?? String(line.prefix { $0 != " " })
        return try await expect(codes, after: stage)
    }

    func expect(_ codes: Int..., after stage: String) async throws -> SMTPReply {
        try await expect(codes, after: stage)
    }

    private func expect(_ codes: [Int], after stage: String) async throws -> SMTPReply {
        let reply: SMTPReply?
        do {
            reply = try await replies.next()
        } catch {
            throw MailError.connection("\(stage): \(error)")
        }
        guard let reply else { throw MailError.connection("\(stage): сервер закрыл соединение (или не ответил вовремя)") }
        guard codes.contains(reply.code) else {
            throw MailError.refused(stage: stage, code: reply.code, text: reply.lines.joined(separator: " "))
        }
        return reply
    }
}

/// A reply of the server: its code and the text of its lines.
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]
}

/// Reads replies: lines `250-…` continue, `250 …` ends; a line longer than 2,000 bytes or without
/// a code is an error, and so is a reply of more than 100 lines.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 2000 { throw MailError.connection("строка ответа сервера длиннее 2000 байт") }
            return .needMoreData
        }
        let length = end - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        guard line.utf8.count >= 3, let code = Int(line.prefix(3)), lines.count < 100 else {
            throw MailError.connection("непонятный ответ сервера: «\(line.prefix(80))»")
        }
        let separator = line.dropFirst(3).first
        lines.append(String(line.dropFirst(4)))
        if separator == "-" { return .continue }
        context.fireChannelRead(Self.wrapInboundOut(SMTPReply(code: code, lines: lines)))
        lines = []
        return .continue
    }
}

/// Closes the connection when the server has said nothing for the timeout.
private final class CloseOnIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }
}
