import ArgumentParser
import ForumBadges
import ForumDesk
import ForumCredentials
import ForumDomain
import ForumMail
import ForumRoster
import ForumServer
import ForumStore
import Foundation

/// `forum`: the forumops server, desk and admin commands.
///
/// Exit codes: 0 success, 1 the work was refused (invalid input, conflicts, not found),
/// 2 wrong usage, 3 an unexpected failure.
@main
struct ForumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forum",
        abstract: "forumops — регистрация, программа, бейджи и вход на муниципальный форум.",
        discussion: "Коды выхода: 0 — успех, 1 — отказ (ошибки в данных, конфликт, не найдено), 2 — неверный вызов, 3 — сбой.",
        subcommands: [ServeCommand.self, DatabaseCommand.self, BackupCommand.self, RestoreCommand.self, ParticipantsCommand.self, AgendaCommand.self, BadgesCommand.self, TicketsCommand.self, KeysCommand.self, CheckInsCommand.self, StatsCommand.self, DashboardCommand.self, DeskCommand.self, TokensCommand.self, DemoCommand.self]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            switch exitCode(for: error) {
            case .success:
                exit(withError: error)  // help and version requests
            case .validationFailure:
                Terminal.message(fullMessage(for: error))
                Foundation.exit(2)
            default:
                Terminal.message("forum: " + CLIError.describe(error))
                Foundation.exit(CLIError.exitCode(for: error))
            }
        }
    }
}

/// Errors the commands report, and the one place any error becomes a message and an exit
/// code: 1 for work refused (invalid data, a conflict, not found, a bad setting), 3 for the
/// unexpected. Wrong usage — an unknown option or an option value that does not parse — is
/// ArgumentParser's `ValidationError`, exit 2.
enum CLIError: Error {
    /// The request was understood but refused; the message says why.
    case refused(String)

    static func describe(_ error: any Error) -> String {
        refusal(error) ?? "непредвиденная ошибка: \(error)"
    }

    static func exitCode(for error: any Error) -> Int32 {
        refusal(error) == nil ? 3 : 1
    }

    /// Why the work was refused, or `nil` if the error is unexpected.
    private static func refusal(_ error: any Error) -> String? {
        switch error {
        case CLIError.refused(let message): message
        case let failure as ValidationFailure: failure.errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n")
        case let error as StoreError: error.description
        case let problem as RosterProblem: problem.description
        case let setting as InvalidSetting: setting.description
        case let refusal as ScheduleRefusal: refusal.description
        case let problem as BadgeKeys.Problem: problem.description
        case let problem as BadgeLayoutProblem: problem.description
        case let error as DeskError: error.description
        case let error as MailError: error.description
        default: StoreError(refusal: error)?.description
        }
    }
}
