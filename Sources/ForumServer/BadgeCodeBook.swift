import ForumCredentials
import ForumDomain
import ForumStore
import Logging
import ServiceLifecycle
import Synchronization

/// The badge codes this server knows to be genuine, by their text: each participant's current
/// code, signed ahead of the doors opening (signing costs a quarter of what verifying does), and
/// every other code once it has verified. A scan of a known code costs a dictionary lookup, not
/// a signature check. Only codes that verify get in, so it holds at most one entry for each
/// credential ever issued, whatever a stream of forged or re-typed codes does.
final class BadgeCodeBook: Sendable {
    let signer: BadgeSigner
    private let codes = Mutex<[String: BadgeCredential]>([:])

    init(signer: BadgeSigner) {
        self.signer = signer
    }

    /// The credential a scanned text carries if it is genuine, else `nil`.
    func credential(_ code: String) -> BadgeCredential? {
        // Longer than any badge (with a scanner's whitespace): refused before any work.
        guard code.utf8.count <= BadgeCode.length + 16 else { return nil }
        if let known = codes.withLock({ $0[code] }) { return known }
        // A scanner may add a newline or type with Caps Lock on: the code's canonical text is
        // what is kept, never the variant.
        let canonical = BadgeCode.canonical(code)
        if canonical != code, let known = codes.withLock({ $0[canonical] }) { return known }
        guard let credential = try? signer.verifier.credential(code) else { return nil }
        codes.withLock { $0[canonical] = credential }
        return credential
    }

    /// Signs the codes of `credentials` and keeps them.
    func learn(_ credentials: some Sequence<BadgeCredential>) throws {
        let signed = try credentials.map { (try signer.code(for: $0), $0) }
        codes.withLock { codes in
            for (code, credential) in signed { codes[code] = credential }
        }
    }

    /// How many codes are known (tests).
    var count: Int { codes.withLock { $0.count } }
}

/// Fills the badge code book with every participant's current code when the server starts, in
/// chunks, so that the first scan at the door finds its code known.
struct BadgeCodeBookFiller: Service {
    let book: BadgeCodeBook
    let database: ForumDatabase
    let logger: Logger

    func run() async throws {
        let start = ContinuousClock.now
        do {
            let count = try await fill()
            logger.info("badge codes ready", metadata: ["codes": "\(count)", "ms": "\((ContinuousClock.now - start) / .milliseconds(1))"])
        } catch {
            // Not fatal: every scanned code is then verified on first sight.
            logger.error("badge codes could not be prepared", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }

    /// Signs every registered participant's current code into the book, a thousand at a time;
    /// returns how many.
    func fill() async throws -> Int {
        let credentials = try await database.badgeCredentials()
        for chunk in stride(from: 0, to: credentials.count, by: 1000) {
            try book.learn(credentials[chunk..<min(chunk + 1000, credentials.count)])
            await Task.yield()
        }
        return credentials.count
    }
}
