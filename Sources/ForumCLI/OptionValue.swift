import ArgumentParser
import ForumDomain

/// Option values several commands take, read one way: a value that does not parse is wrong
/// usage (exit 2), never a silent default.
enum OptionValue {
    /// `--category speaker` or `--category спикер`.
    static func category(_ text: String) throws -> ParticipantCategory {
        guard let category = ParticipantCategory(parsing: text) else { throw ValidationError("«\(text)» — неизвестная категория") }
        return category
    }

    /// `--region 16` or `--region Татарстан`: the federal subject's code.
    static func region(_ text: String) throws -> String {
        guard let subject = FederalSubject.find(text) else { throw ValidationError(FederalSubject.refusal(for: text)) }
        return subject.code
    }
}
