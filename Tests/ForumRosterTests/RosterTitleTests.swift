@testable import ForumRoster
import Testing

/// Found by fuzzing (`make fuzz`, roster-csv): a header cell of a few kilobytes made every
/// suggestion for a missing column compare thousands of words by edit distance.
@Suite struct RosterTitleTests {
    @Test func aTitleIsReadToItsFirstWordsOnly() {
        let cell = (1...2000).map { "слово\($0)" }.joined(separator: " ")
        #expect(RosterTitle(cell).words.count == RosterTitle.maximumWords)
        #expect(RosterTitle("Укажите ваш контактный телефон").words == ["телефон"])
    }

    @Test func wordsFarApartInLengthAreNotComparedLetterByLetter() {
        // A typo is still the same word; a word three times as long never is.
        #expect(RosterTitle("Телефона").likeness(to: RosterTitle("Телефон")).covered == 1)
        #expect(RosterTitle(String(repeating: "телефон", count: 300)).likeness(to: RosterTitle("Телефон")).covered == 0)
    }
}
