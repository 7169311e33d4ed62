import ForumBadges
import ForumCredentials
import ForumDomain
import ForumStore
import Foundation
import Hummingbird
import HTTPTypes

/// `/api/v1/participants/{id}/qr.svg`, `qr.png`, `badge.pdf`, `badge.png`: a participant's
/// current badge and its signed QR code, for organisers; and `POST …/{id}/reprint`, a new badge
/// for a desk that may reprint (or an organiser), answered with the new badge's PDF.
struct BadgesController {
    let database: ForumDatabase
    /// `nil` until `forum keys init` has made the forum's key.
    let signer: BadgeSigner?
    let renderer: BadgeRenderer

    func addRoutes(to router: Router<ForumRequestContext>) {
        router.group("api/v1/participants")
            .add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
            .get(":id/qr.svg") { request, context in try await self.qr(context, png: false) }
            .get(":id/qr.png") { request, context in try await self.qr(context, png: true) }
            .get(":id/badge.pdf") { request, context in try await self.badge(context, png: false) }
            .get(":id/badge.png") { request, context in try await self.badge(context, png: true) }
        router.group("api/v1/participants")
            .add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin, .desk]))
            .post(":id/reprint") { request, context in try await self.reprint(context) }
    }

    /// Reprints the badge — the old one is `revoked` from now on — and answers the new one as a
    /// PDF to print. The key is checked before anything changes.
    private func reprint(_ context: ForumRequestContext) async throws -> Response {
        guard context.token?.canReprint == true else {
            throw Problem.forbidden("Этой стойке не разрешено перевыпускать бейджи: нужен токен стойки с правом перевыпуска (forum tokens create --role desk --may-reprint) или организатора.")
        }
        let (holder, signer) = try await badgeHolder(context)
        let participant = try await database.reprintBadge(id: holder.id, by: context.token)
        var response = try await badge(participant, signer: signer, png: false)
        response.headers[HTTPField.Name("Badge-Serial")!] = String(participant.badgeSerial)
        return response
    }

    private func badge(_ context: ForumRequestContext, png: Bool) async throws -> Response {
        let (participant, signer) = try await badgeHolder(context)
        return try await badge(participant, signer: signer, png: png)
    }

    /// `participant`'s current badge, drawn as a PDF page or a PNG.
    private func badge(_ participant: Participant, signer: BadgeSigner, png: Bool) async throws -> Response {
        let forumName = try await database.forumName()
        let content = BadgeContent(participant, code: try signer.code(for: participant), forumName: forumName)
        let body = png ? try renderer.png(content) : try BadgePDF.data([content], renderer: renderer)
        return Response(
            status: .ok,
            headers: [.contentType: png ? "image/png" : "application/pdf", .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(data: body))
        )
    }

    private func qr(_ context: ForumRequestContext, png: Bool) async throws -> Response {
        let (participant, signer) = try await badgeHolder(context)
        let code = try QRCode(try signer.code(for: participant))
        let body = png ? try QRImage.png(code) : try QRImage.svg(code)
        return Response(
            status: .ok,
            headers: [.contentType: png ? "image/png" : "image/svg+xml", .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(data: body))
        )
    }

    /// The registered participant of the route and the signer; a problem otherwise.
    private func badgeHolder(_ context: ForumRequestContext) async throws -> (Participant, BadgeSigner) {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound("Идентификатор участника — целое число.") }
        guard let signer else {
            throw Problem("no-badge-key", status: .conflict, title: "Ключ подписи бейджей не создан", detail: "Создайте его командой forum keys init и перезапустите сервер.")
        }
        let participant = try await database.participant(id: id)
        guard participant.status == .registered else {
            throw StoreError.conflict(FieldError(field: "status", message: "регистрация участника №\(id) отменена: бейдж не выдаётся"))
        }
        return (participant, signer)
    }
}
