import ArgumentParser
import ForumDomain
import Foundation

/// Option values several commands take, read one way: a value that does not parse is wrong
/// usage (exit 2), never a silent default.
enum OptionValue {
    /// `--category speaker` or `--category спикер`.
    static func category(_ text: String) throws -> ParticipantCategory {
        guard let category = ParticipantCategory(parsing: text) else { throw ValidationError("«\(text)» — неизвестная категория") }
        return category
    }

    /// A moment in Moscow time as a person types it: `ГГГГ-ММ-ДД ЧЧ:ММ`, or `ЧЧ:ММ` on the day of
    /// `day` (today by default); `option` names it in the refusal.
    static func moment(_ text: String, option: String, onTheDayOf day: Date = Date()) throws -> Date {
        let time = ForumTime()
        guard let moment = time.date(text, defaultDay: time.isoDay(day)) else {
            throw ValidationError("\(option): «\(text)» — ожидается ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ")
        }
        return moment
    }

    /// `--region 16` or `--region Татарстан`: the federal subject's code.
    static func region(_ text: String) throws -> String {
        guard let subject = FederalSubject.find(text) else { throw ValidationError(FederalSubject.refusal(for: text)) }
        return subject.code
    }
}
