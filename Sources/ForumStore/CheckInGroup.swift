import ForumDomain
import Foundation
import GRDB
import Synchronization

/// Group commit for check-ins: scans that arrive while a transaction is being written wait for
/// the next one, and each transaction takes every waiting scan. Each scan is decided in order
/// inside the transaction (so it sees the ones before it), and every caller is answered only
/// after the commit — and its fsync — succeeded.
final class CheckInGroup: Sendable {
    private struct Waiting {
        var request: CheckInRequest
        var now: Date
        var continuation: CheckedContinuation<CheckInAnswer, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let writer: any DatabaseWriter

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    func submit(_ request: CheckInRequest, at now: Date) async throws -> CheckInAnswer {
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
            do {
                let answers = try await writer.writeWithoutTransaction { db in
                    var answers: [Result<CheckInAnswer, any Error>] = []
                    try db.inTransaction(.immediate) {
                        var lists: [String: CheckInList] = [:]
                        answers = requests.map { request, now in
                            // A scan that fails (an unknown list) fails alone; it wrote nothing.
                            Result { try ForumDatabase.decide(request, at: now, lists: &lists, in: db) }
                        }
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
