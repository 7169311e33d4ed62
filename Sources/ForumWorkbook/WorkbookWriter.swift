import Foundation
import ZIPFoundation

/// A table to write as a sheet: column titles and rows of typed values.
public struct WorkbookTable: Sendable {
    /// A cell's value: text, a number, or a moment (a date and time in the workbook, `shown`
    /// as written in text formats).
    public enum Value: Sendable, Hashable {
        case text(String)
        case number(Double)
        case moment(Date, shown: String)
        case empty

        /// The value as text, for CSV: a whole number without «.0».
        public var shown: String {
            switch self {
            case .text(let text): text
            case .number(let number): number.wholeNumberText ?? String(number)
            case .moment(_, let shown): shown
            case .empty: ""
            }
        }
    }

    public var sheet: String
    public var columns: [String]
    public var rows: [[Value]]

    public init(sheet: String, columns: [String], rows: [[Value]]) {
        self.sheet = sheet
        self.columns = columns
        self.rows = rows
    }
}

extension Double {
    /// A whole number as digits without «.0» or an exponent (a phone or a code kept as a
    /// number); `nil` for any other number.
    var wholeNumberText: String? {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : nil
    }
}

/// Writes an Excel workbook (`.xlsx`) of one sheet that Excel and LibreOffice open as it is:
/// numbers as numbers, moments as dates with their time, text as text (never a formula: a cell
/// starting with «=» stays text), a bold header row frozen above the rows, an autofilter, column
/// widths from their contents, and the title and author in the document's properties.
public enum WorkbookWriter {
    public static func xlsx(_ table: WorkbookTable, title: String, author: String = "forumops", timeZone: TimeZone, now: Date = Date()) throws -> Data {
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelations),
            ("docProps/core.xml", coreProperties(title: title, author: author, now: now)),
            ("docProps/app.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>forumops</Application></Properties>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="\#(main)" xmlns:r="\#(relationships)"><sheets><sheet name="\#(escaped(sheetName(table.sheet)))" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'\#(escaped(sheetName(table.sheet)).replacingOccurrences(of: "'", with: "''"))'!$A$1:$\#(WorkbookReader.columnName(max(table.columns.count - 1, 0)))$\#(table.rows.count + 1)</definedName></definedNames></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(relationships)/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="\#(relationships)/styles" Target="styles.xml"/></Relationships>"#),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", sheet(table, timeZone: timeZone)),
        ]
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: now, compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Style 0: text; 1: the bold header; 2: a number; 3: a date and time.
    private static let styles = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#
        <numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy\ hh:mm"/></numFmts>\#
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\#
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\#
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\#
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\#
        <cellXfs count="4"><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\#
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>\#
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\#
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\#
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """#

    private static let contentTypes = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\#
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>\#
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\#
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\#
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\#
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\#
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>
        """#

    private static let packageRelations = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\#
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\#
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>
        """#

    private static func coreProperties(title: String, author: String, now: Date) -> String {
        let stamp = ISO8601DateFormatter().string(from: now)
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>\#(escaped(title))</dc:title><dc:creator>\#(escaped(author))</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">\#(stamp)</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">\#(stamp)</dcterms:modified></cp:coreProperties>"#
    }

    private static func sheet(_ table: WorkbookTable, timeZone: TimeZone) -> String {
        let lastColumn = WorkbookReader.columnName(max(table.columns.count - 1, 0))
        var widths = table.columns.map { min(max($0.count + 2, 8), 60) }
        var rows = ""
        rows.reserveCapacity(table.rows.count * table.columns.count * 24)
        rows += #"<row r="1">"#
        for (index, title) in table.columns.enumerated() {
            rows += #"<c r="\#(WorkbookReader.columnName(index))1" s="1" t="inlineStr"><is><t>\#(escaped(title))</t></is></c>"#
        }
        rows += "</row>"
        for (offset, values) in table.rows.enumerated() {
            let number = offset + 2
            rows += #"<row r="\#(number)">"#
            for (index, value) in values.enumerated() {
                let reference = WorkbookReader.columnName(index) + String(number)
                switch value {
                case .empty:
                    continue
                case .text(let text):
                    rows += #"<c r="\#(reference)" t="inlineStr"><is><t xml:space="preserve">\#(escaped(text))</t></is></c>"#
                    if index < widths.count { widths[index] = min(max(widths[index], text.count + 2), 60) }
                case .number(let number):
                    // Not a number or an infinity has no form in a sheet: left empty.
                    guard number.isFinite else { continue }
                    rows += #"<c r="\#(reference)" s="2"><v>\#(value.shown)</v></c>"#
                case .moment(let date, _):
                    rows += #"<c r="\#(reference)" s="3"><v>\#(serial(of: date, in: timeZone))</v></c>"#
                    if index < widths.count { widths[index] = max(widths[index], 18) }
                }
            }
            rows += "</row>"
        }
        let columns = widths.enumerated().map { #"<col min="\#($0 + 1)" max="\#($0 + 1)" width="\#($1)" customWidth="1"/>"# }.joined()
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="\#(main)" xmlns:r="\#(relationships)"><dimension ref="A1:\#(lastColumn)\#(table.rows.count + 1)"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>\#(columns)</cols><sheetData>\#(rows)</sheetData><autoFilter ref="A1:\#(lastColumn)\#(table.rows.count + 1)"/></worksheet>"#
    }

    /// The moment as an Excel serial of its wall-clock time in `timeZone` (days since 1899-12-30).
    static func serial(of date: Date, in timeZone: TimeZone) -> String {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        let serial = local / 86_400 + 25_569
        return String(format: "%.8f", serial)
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Лист1" : cleaned
    }

    /// Text for XML: markup escaped, and characters XML 1.0 cannot hold (controls) left out.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
