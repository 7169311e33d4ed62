import ForumDomain
import Foundation
import GRDB
import Synchronization

/// Group commit: requests that arrive while a transaction is being written wait for the next
/// one, and each transaction takes every waiting request. Each is decided in order inside the
/// transaction (so it sees the ones before it; `Scratch` is what a group's decisions share), and
/// every caller is answered only after the commit — and its fsync — succeeded. A request whose
/// decision throws fails alone: decisions throw before they write. Check-ins and sign-ups go
/// through one each: one fsync serves many desks, or many people at the opening of sign-up.
final class CommitGroup<Request: Sendable, Answer: Sendable, Scratch>: Sendable {
    typealias Decide = @Sendable (Request, Date, inout Scratch, Database) throws -> Answer

    private struct Waiting {
        var request: Request
        var now: Date
        var continuation: CheckedContinuation<Answer, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let writer: any DatabaseWriter
    private let scratch: @Sendable () -> Scratch
    private let decide: Decide

    init(writer: any DatabaseWriter, scratch: @escaping @Sendable () -> Scratch, decide: @escaping Decide) {
        self.writer = writer
        self.scratch = scratch
        self.decide = decide
    }

    func submit(_ request: Request, at now: Date) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            let starts = state.withLock { state in
                state.waiting.append(Waiting(request: request, now: now, continuation: continuation))
                defer { state.writing = true }
                return !state.writing
            }
            if starts { Task { await self.drain() } }
        }
    }

    /// Writes groups until nobody waits.
    private func drain() async {
        while true {
            let group = state.withLock { state in
                let group = state.waiting
                state.waiting = []
                if group.isEmpty { state.writing = false }
                return group
            }
            guard !group.isEmpty else { return }
            let requests = group.map { ($0.request, $0.now) }
            let decide = self.decide, scratch = self.scratch
            do {
                let answers = try await writer.writeWithoutTransaction { db in
                    var answers: [Result<Answer, any Error>] = []
                    try db.inTransaction(.immediate) {
                        var shared = scratch()
                        answers = requests.map { request, now in Result { try decide(request, now, &shared, db) } }
                        return .commit
                    }
                    return answers
                }
                for (waiting, answer) in zip(group, answers) { waiting.continuation.resume(with: answer) }
            } catch {
                for waiting in group { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
