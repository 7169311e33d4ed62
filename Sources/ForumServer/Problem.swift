import ForumAPI
import ForumDomain
import ForumStore
import Foundation
import Hummingbird
import NIOCore

/// An RFC 9457 problem document (`application/problem+json`): a stable `type`, a Russian
/// `title` and `detail`, and the failing fields of a validation error — `ForumAPI`'s
/// `ProblemDocument`, which clients decode.
typealias Problem = ProblemDocument

extension ProblemDocument {
    init(_ slug: String, status: HTTPResponse.Status, title: String, detail: String? = nil, errors: [FieldError]? = nil) {
        self.init(slug: slug, status: status.code, title: title, detail: detail, errors: errors)
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem("unauthorized", status: .unauthorized, title: "Нужен токен доступа", detail: detail)
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem("forbidden", status: .forbidden, title: "Недостаточно прав", detail: detail)
    }

    static func validation(_ failure: ValidationFailure) -> Problem {
        Problem(
            "validation", status: .unprocessableContent, title: "Данные не прошли проверку",
            detail: failure.summary, errors: failure.errors
        )
    }

    static func notFound(_ detail: String) -> Problem {
        Problem("not-found", status: .notFound, title: "Не найдено", detail: detail)
    }

    /// The problem that describes any error a handler throws; `nil` for an unexpected one.
    init?(describing error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let failure as ValidationFailure:
            self = .validation(failure)
        case StoreError.notFound:
            self = .notFound(Self.sentence("\(error)"))
        case let refusal as ScheduleRefusal:
            self.init(
                "schedule-conflict", status: .conflict, title: "Программа с ошибками не публикуется",
                detail: refusal.problems.map(\.message).joined(separator: "; "),
                errors: refusal.problems.map { FieldError(field: $0.rule.rawValue, message: $0.message) }
            )
        case StoreError.conflict(let fieldError):
            self.init("conflict", status: .conflict, title: "Конфликт с уже сохранёнными данными", detail: "\(error)", errors: [fieldError])
        case let error as DecodingError:
            self.init("malformed-body", status: .badRequest, title: "Тело запроса не разобрано", detail: Self.explain(error))
        case is NIOTooManyBytesError:
            self.init("body-too-large", status: .contentTooLarge, title: "Слишком большой запрос", detail: "Тело запроса больше допустимого размера.")
        case let error as HTTPError:
            self.init(describing: error)
        case _ where StoreError(refusal: error) == .diskFull:
            // Not a refusal of what was sent: a desk keeps the scan and sends it again later.
            self.init(
                "disk-full", status: .init(code: 507, reasonPhrase: "Insufficient Storage"), title: "На сервере нет места на диске",
                detail: "Запрос не записан, ничего не изменено. Стойки хранят сканы у себя и отправят их, когда место освободится; сообщите администратору сервера."
            )
        case _ where StoreError(refusal: error) == .busy:
            self.init("busy", status: .serviceUnavailable, title: "База данных занята", detail: "Ничего не изменено; повторите запрос через несколько секунд.")
        default:
            return nil
        }
    }

    private init(describing error: HTTPError) {
        switch error.status {
        case .contentTooLarge:
            self.init("body-too-large", status: .contentTooLarge, title: "Слишком большой запрос", detail: error.body)
        case .notFound:
            // No such route: not a refusal of what was sent (a client at a wrong base path keeps its data).
            self.init("no-such-address", status: .notFound, title: "Нет такого адреса", detail: error.body ?? "нет такого адреса")
        case .methodNotAllowed:
            self.init("method-not-allowed", status: .methodNotAllowed, title: "Метод не поддерживается", detail: error.body)
        default:
            self.init("http-\(error.status.code)", status: error.status, title: error.status.reasonPhrase, detail: error.body)
        }
    }

    /// «Участник №4 не найден.» from «участник №4 не найден».
    private static func sentence(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "" : "поле «\(path)»: "
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return path(context) + "значение неверного типа"
        case .keyNotFound(let key, let context):
            return path(context) + "нет поля «\(key.stringValue)»"
        case .dataCorrupted(let context):
            return path(context) + "некорректный JSON"
        @unknown default:
            return "некорректный JSON"
        }
    }

    func response(requestID: String) throws -> Response {
        var document = self
        document.requestId = requestID
        var headers: HTTPFields = [.contentType: ProblemDocument.mediaType + "; charset=utf-8"]
        if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"forumops\"" }
        return Response(
            status: .init(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: try ForumJSON.encoder.encode(document)))
        )
    }
}

/// Turns every error into a problem document; unexpected ones become a 500 that names the
/// request id and is logged, without internals in the response.
struct ProblemMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: ForumRequestContext,
        next: (Request, ForumRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let requestID = context.requestID
            if let problem = Problem(describing: error) {
                return try problem.response(requestID: requestID)
            }
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return try Problem(
                "internal", status: .internalServerError, title: "Внутренняя ошибка сервера",
                detail: "Сообщите администратору код запроса \(requestID)."
            ).response(requestID: requestID)
        }
    }
}
