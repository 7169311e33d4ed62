import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The forum's badge signing key: an Ed25519 private key in a file of its own (mode 0600), kept
/// outside the database and backed up apart from it. Desks carry only the public key.
public enum BadgeKeys {
    /// Why the key cannot be used.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case missing(path: String)
        case exists(path: String)
        case unreadable(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "ключ подписи бейджей \(path) не найден: создайте его командой forum keys init (и сохраните копию)"
            case .exists(let path): "ключ \(path) уже есть: он не перезаписывается, иначе напечатанные бейджи перестанут проходить"
            case .unreadable(let path, let reason): "ключ \(path) не прочитан: \(reason)"
            }
        }
    }

    /// Creates a new key at `path`, never over an existing one.
    public static func create(at path: String) throws(Problem) -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .exists(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let text = Array((key.rawRepresentation.base64EncodedString() + "\n").utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == text.count, synced == 0 else {
            unlink(path)
            throw .unreadable(path: path, reason: "не удалось записать файл")
        }
        return key
    }

    /// Reads the key at `path`.
    public static func load(at path: String) throws(Problem) -> Curve25519.Signing.PrivateKey {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "нет доступа") }
        guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw .unreadable(path: path, reason: "это не ключ Ed25519 в base64") }
        return key
    }

    /// The public key as desks are given it: base64 of its 32 bytes.
    public static func text(of key: Curve25519.Signing.PublicKey) -> String {
        key.rawRepresentation.base64EncodedString()
    }

    /// A public key given as `text(of:)` prints it.
    public static func publicKey(_ text: String) -> Curve25519.Signing.PublicKey? {
        Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
    }

    /// Where the key lives by default: beside the database, `forum.key` for `forum.sqlite`.
    public static func defaultPath(besideDatabase database: String) -> String {
        ((database as NSString).deletingPathExtension) + ".key"
    }
}
