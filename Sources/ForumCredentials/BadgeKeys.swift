import Crypto
import ForumFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The forum's badge signing key: an Ed25519 private key in a file of its own (mode 0600), kept
/// outside the database and backed up apart from it. Desks carry only the public key.
public enum BadgeKeys {
    /// The private key as held in memory.
    public typealias Key = Curve25519.Signing.PrivateKey

    /// Why the key cannot be used.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case missing(path: String)
        case exists(path: String)
        case unreadable(path: String, reason: String)
        /// Readable by other users of the machine: whoever read it can print badges.
        case exposed(path: String, mode: Int)

        public var description: String {
            switch self {
            case .missing(let path): "ключ подписи бейджей \(path) не найден: создайте его командой forum keys init (и сохраните копию)"
            case .exists(let path): "ключ \(path) уже есть: он не перезаписывается, иначе напечатанные бейджи перестанут проходить"
            case .unreadable(let path, let reason): "ключ подписи бейджей \(path) не прочитан: \(reason)"
            case .exposed(let path, let mode):
                "ключ подписи бейджей \(path) доступен не только владельцу (права \(String(mode, radix: 8))): любой пользователь машины может подделать бейдж. Выполните chmod 600 \(path)"
            }
        }
    }

    /// Creates a new key at `path`, never over an existing one.
    public static func create(at path: String) throws(Problem) -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        do {
            try PrivateFiles.write(Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: path)
        } catch .exists {
            throw .exists(path: path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        return key
    }

    /// Reads the key at `path`: a file that is there but cannot be read, does not hold a key, or
    /// is readable by others is an error, never a key of some other kind.
    public static func load(at path: String) throws(Problem) -> Curve25519.Signing.PrivateKey {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw .missing(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "это не обычный файл") }
        let mode = Int(status.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .exposed(path: path, mode: mode) }
        guard status.st_size <= 4096 else { throw .unreadable(path: path, reason: "файл слишком велик для ключа") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "нет доступа на чтение") }
        guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw .unreadable(path: path, reason: "это не ключ Ed25519 в base64 (файл повреждён?)") }
        return key
    }

    /// Where the key lives by default: beside the database, `forum.key` for `forum.sqlite`.
    public static func defaultPath(besideDatabase database: String) -> String {
        ((database as NSString).deletingPathExtension) + ".key"
    }
}
