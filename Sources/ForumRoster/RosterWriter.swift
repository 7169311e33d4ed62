import CSV
import ForumDomain
import ForumWorkbook
import Foundation

/// Writes roster CSV the way Russian Excel opens it directly: UTF-8 with a BOM, `;` between
/// cells, CRLF line ends, Russian column titles that `RosterFile` reads back.
public enum RosterWriter {
    /// The columns of a roster with the editable fields, region written by name.
    public static let formColumns: [String] = ParticipantField.allCases.map(\.russianName)

    /// The cells of `formColumns` for a form.
    public static func cells(_ form: ParticipantForm) -> [String] {
        ParticipantField.allCases.map { form[$0] ?? "" }
    }

    /// Columns of a full export: what forumops knows of each participant.
    public static let exportColumns: [String] = ["ID forumops"] + formColumns + ["Статус"]

    /// A full export of `participants` (`exportColumns`): the id a number, the rest text, the
    /// region by name, phones as Excel keeps them as text.
    public static func exportTable(_ participants: [Participant]) -> WorkbookTable {
        WorkbookTable(sheet: "Участники", columns: exportColumns, rows: participants.map { participant in
            var form = ParticipantForm(participant.details)
            form[.regionCode] = participant.details.region.name
            form[.phone] = participant.details.phone.map(PhoneFormat.spreadsheet)
            form[.category] = participant.details.category.russianName
            return [.number(Double(participant.id))] + cells(form).map(WorkbookTable.Value.text)
                + [.text(participant.status == .registered ? "зарегистрирован" : "отменён")]
        })
    }

    /// A table as CSV, each value as text.
    public static func csv(_ table: WorkbookTable) throws -> Data {
        try csv(columns: table.columns, rows: table.rows.lazy.map { $0.map(\.shown) })
    }

    /// The whole file.
    public static func csv(columns: [String], rows: some Sequence<[String]>) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        let writer = try CSVWriter(stream: stream, delimiter: ";", newline: .crlf)
        try writer.write(row: columns)
        for row in rows { try writer.write(row: row.map(SpreadsheetCell.defused)) }
        writer.stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CSVError.cannotWriteStream
        }
        return Data([0xEF, 0xBB, 0xBF]) + data + Data("\r\n".utf8)
    }
}

/// The two forms organisers' files take.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// UTF-8 with a BOM, «;», CRLF: what Russian Excel opens directly.
    case csv
    /// An Excel workbook with typed columns and a frozen header.
    case xlsx

    /// `table` in this format; a workbook carries `title` (the forum's name) in its properties.
    public func data(_ table: WorkbookTable, title: String) throws -> Data {
        switch self {
        case .csv: try RosterWriter.csv(table)
        case .xlsx: try WorkbookWriter.xlsx(table, title: title, timeZone: Forum.timeZone)
        }
    }
}

/// Phone numbers as people write them.
public enum PhoneFormat {
    /// `+7 912 345-67-89` for Russian numbers; others unchanged.
    public static func readable(_ phone: String) -> String {
        russianGroups(phone).map { "+7 \($0)" } ?? phone
    }

    /// A form no spreadsheet takes for a formula or a number: `8 (912) 345-67-89`, or
    /// `(+) 375291234567` for other countries. `ParticipantForm` reads both back.
    public static func spreadsheet(_ phone: String) -> String {
        russianGroups(phone).map { "8 \($0)" } ?? "(+) " + phone.dropFirst()
    }

    /// `(912) 345-67-89` for a `+7` number with ten digits.
    private static func russianGroups(_ phone: String) -> String? {
        let digits = Array(phone.dropFirst(2))
        guard phone.hasPrefix("+7"), digits.count == 10 else { return nil }
        return "(\(String(digits[0..<3]))) \(String(digits[3..<6]))-\(String(digits[6..<8]))-\(String(digits[8..<10]))"
    }
}
