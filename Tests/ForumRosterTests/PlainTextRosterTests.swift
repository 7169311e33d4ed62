import ForumDomain
import ForumRoster
import ForumTestSupport
import Foundation
import Testing

/// Text that would act on a screen: refused from a form's export, never written into one.
@Suite struct PlainTextRosterTests {
    static let paint = "Глава \u{1B}[2J\u{1B}[H\u{1B}[42m ПРОХОДИТЕ \u{1B}[0m"

    @Test func aFormsExportWithEscapeSequencesIsRefusedNamingLineAndColumn() throws {
        // As a form's export would carry it (forumops' own writer would not write it).
        let rows = (1...3).map { number in
            var cells = RosterWriter.cells(Sample.form(number))
            if number == 2 { cells[8] = Self.paint }  // «Должность» of the second person, line 3
            return cells.joined(separator: ";")
        }
        let data = Data(([RosterWriter.formColumns.joined(separator: ";")] + rows).joined(separator: "\r\n").utf8)
        #expect(data.contains(0x1B))
        let (valid, problems) = try RosterFile(data: data).validate()
        #expect(problems.count == 1 && problems.first?.line == 3 && problems.first?.column == "Должность")
        #expect(problems.first?.message.contains("U+001B (ESC)") == true)
        #expect(valid.count == 2)
    }

    @Test func markupEscapesTheFiveAndKeepsCyrillicWhole() {
        #expect(PlainText.markup("Фёдор <b>«Ёж» & \"сыновья\"</b> 'ООО'") == "Фёдор &lt;b&gt;«Ёж» &amp; &quot;сыновья&quot;&lt;/b&gt; &#39;ООО&#39;")
        #expect(PlainText.markup("Сельское поселение «Ёлкино»") == "Сельское поселение «Ёлкино»")
        #expect(PlainText.markup("e\u{301}<") == "e\u{301}&lt;", "a combining accent stays with its letter")
        #expect(PlainText.markup(Self.paint + "\u{202E}") == "Глава \u{FFFD}[2J\u{FFFD}[H\u{FFFD}[42m ПРОХОДИТЕ \u{FFFD}[0m\u{FFFD}")
    }

    @Test func anExportHoldsOnlyPrintableTextWhateverIsStored() throws {
        var form = Sample.form(1)
        form[.position] = Self.paint + "\u{202E}\u{7F}"
        let data = try RosterWriter.csv(columns: RosterWriter.formColumns, rows: [RosterWriter.cells(form)])
        #expect(!data.contains(0x1B) && !data.contains(0x7F))
        #expect(String(decoding: data, as: UTF8.self).contains("Глава �[2J�[H�[42m ПРОХОДИТЕ �[0m��"))
    }
}
