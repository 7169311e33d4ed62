import ForumWorkbook
import Foundation
import ZIPFoundation

/// A small Excel workbook made in memory from the XML Excel writes, for reading tests: every
/// part is text in the test, so no binary fixture is kept.
public enum WorkbookFixture {
    /// A cell: a shared string (`.text`), an inline string, a number, or a date serial in a date style.
    public enum Cell {
        case text(String)
        case inline(String)
        case number(String)
        case date(Double)
        /// A cell written as given: its attributes after `r` and what it holds.
        case raw(attributes: String, inner: String)
    }

    /// The workbook's bytes: `sheets` in order, each with its rows (a row's cells from column A;
    /// `nil` leaves a cell out, as Excel does for empty ones).
    public static func xlsx(_ sheets: [(name: String, rows: [[Cell?]])], rowNumbers: [Int]? = nil, sheetPrefix: String = "", date1904: Bool = false) throws -> Data {
        var shared: [String] = []
        func sharedIndex(_ text: String) -> Int {
            if let index = shared.firstIndex(of: text) { return index }
            shared.append(text)
            return shared.count - 1
        }
        var sheetXML: [String] = []
        for sheet in sheets {
            var rowsXML = ""
            for (index, row) in sheet.rows.enumerated() {
                let number = rowNumbers?[index] ?? index + 1
                var cells = ""
                for (column, cell) in row.enumerated() {
                    guard let cell else { continue }
                    let reference = WorkbookReader.columnName(column) + String(number)
                    switch cell {
                    case .text(let text): cells += #"<c r="\#(reference)" t="s"><v>\#(sharedIndex(text))</v></c>"#
                    case .inline(let text): cells += #"<c r="\#(reference)" t="inlineStr"><is><t>\#(escaped(text))</t></is></c>"#
                    case .number(let value): cells += #"<c r="\#(reference)"><v>\#(value)</v></c>"#
                    case .date(let serial): cells += #"<c r="\#(reference)" s="1"><v>\#(serial)</v></c>"#
                    case .raw(let attributes, let inner): cells += #"<c r="\#(reference)" \#(attributes)>\#(inner)</c>"#
                    }
                }
                rowsXML += #"<row r="\#(number)">\#(cells)</row>"#
            }
            sheetXML.append(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\#(sheetPrefix)<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\#(rowsXML)</sheetData></worksheet>"#)
        }
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [(String, String)] = [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\#(main)" xmlns:r="\#(relationships)">\#(date1904 ? #"<workbookPr date1904="1"/>"# : "")<sheets>"#
                + sheets.enumerated().map { #"<sheet name="\#(escaped($1.name))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined()
                + "</sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + sheets.indices.map { #"<Relationship Id="rId\#($0 + 1)" Type="\#(relationships)/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"# }.joined()
                + "</Relationships>"),
            ("xl/styles.xml", #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\#(main)"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/><numFmt numFmtId="165" formatCode="[Red]0;&quot;minus&quot;0"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>"#),
        ]
        for (index, xml) in sheetXML.enumerated() { parts.append(("xl/worksheets/sheet\(index + 1).xml", xml)) }
        // A rich-text run and a phonetic hint, as Excel writes them: read as the runs' text.
        let strings = shared.map { text -> String in
            let middle = text.index(text.startIndex, offsetBy: text.count / 2)
            return "<si><r><t xml:space=\"preserve\">\(escaped(String(text[..<middle])))</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">\(escaped(String(text[middle...])))</t></r><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>"
        }.joined()
        parts.append(("xl/sharedStrings.xml", #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="\#(main)" count="\#(shared.count)">\#(strings)</sst>"#))

        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
