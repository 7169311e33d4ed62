import ForumDomain
import GRDB

/// Why the store refused an operation, in words an organiser understands. One vocabulary for
/// every aggregate; the server and the CLI each map it once.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// Nothing with this id (a number, or a session's slug).
    case notFound(Entity, id: String)
    /// The change would give one value (an e-mail, an external id) to two, or contradict what
    /// is stored.
    case conflict(FieldError)
    /// SQLite could not grow the file: the disk (or the file system's quota) is full.
    case diskFull
    /// Another process held the database longer than the busy timeout.
    case busy
    /// The file was migrated by a newer forumops: these migrations are unknown here.
    case newerSchema(path: String, unknown: [String])
    /// A running `forum serve` holds the forum file.
    case inUse(path: String)
    /// A copy to restore from is not a sound forum database.
    case unsoundCopy(path: String, reason: String)

    /// What was looked for, named as people name it.
    public enum Entity: String, Sendable {
        case participant = "участник"
        case token = "токен"
        case session = "сессия"
        case release = "выпуск программы"
        case programme = "программа"
        case enrollment = "запись"
        case checkIn = "отметка"
        case checkInList = "список входа"
        case kioskLink = "ссылка для экрана"
    }

    public static func notFound(_ entity: Entity, id: Int64) -> StoreError {
        .notFound(entity, id: String(id))
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "не удаётся открыть базу данных \(path): \(reason)"
        case .notFound(.session, let id): "сессия «\(id)» не найдена"
        case .notFound(.programme, _): "программа ещё не импортирована: forum agenda import Agenda"
        case .notFound(.enrollment, let id): "записи \(id) нет"
        case .notFound(.checkIn, let id): "отметка №\(id) не найдена"
        case .notFound(.checkInList, let id): "списка входа «\(id)» нет: entrance или slug сессии"
        case .notFound(let entity, let id): "\(entity.rawValue) №\(id) не найден"
        case .conflict(let error): "\(error.field): \(error.message)"
        case .diskFull: "на диске сервера нет места: записать не удалось, ничего не изменено"
        case .busy: "база занята другим процессом дольше 5 секунд: ничего не изменено"
        case .newerSchema(let path, let unknown):
            "база \(path) обновлена более новой версией forumops (миграции \(unknown.joined(separator: ", ")) здесь неизвестны): "
                + "запустите ту версию или новее; эта версия базу не открывает и ничего в ней не меняет"
        case .inUse(let path): "базу \(path) держит открытой работающий forum serve: остановите его (например, systemctl stop forumops) и повторите"
        case .unsoundCopy(let path, let reason): "копия \(path) не годится для восстановления: \(reason)"
        }
    }
}

extension StoreError {
    /// The store's word for a refusal of the database a person can act on (a full disk, a file
    /// another process holds); `nil` for any other error. SQLite rolled the transaction back.
    public init?(refusal error: any Error) {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: self = .diskFull
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy
        default: return nil
        }
    }
}
