import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An Excel workbook (`.xlsx`, Office Open XML) read as text cells: its sheets in workbook
/// order, and each sheet's rows with their numbers. Shared and inline strings, numbers (an
/// integer without «.0»), booleans, and dates stored as Excel serials in a date format (as
/// `ДД.ММ.ГГГГ`, with the time if it has one). Formulas are read as the value Excel saved.
public struct WorkbookReader {
    /// A row of a sheet: its number (1-based, as Excel shows it) and its cells by column (A = 0).
    public struct Row: Sendable, Hashable {
        public var number: Int
        public var cells: [String]
    }

    /// Why a workbook cannot be read.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The sheets' names, in workbook order.
    public let sheetNames: [String]
    private let archive: Archive
    private let sheetPaths: [String]
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    /// The book counts days from 1904 (Excel for Mac's old default), not 1900.
    private let counts1904: Bool

    /// The most one part of the workbook may hold unpacked: a roster of 100,000 people is far
    /// below it, a ZIP bomb is refused.
    public static let maximumPartBytes = 256 << 20
    /// The most rows a sheet is read to, and the columns its values may stand in.
    public static let maximumRows = 1_048_576
    public static let maximumColumns = 256
    /// The most cells a sheet is read to, empty ones left of a value included: 200,000 people
    /// with 25 columns.
    public static let maximumCells = 5_000_000

    public init(data: Data) throws(Failure) {
        archive = try Self.open(data)
        guard let workbook = try Self.part("xl/workbook.xml", of: archive) else {
            throw Failure(description: "не похоже на книгу Excel (.xlsx): нет xl/workbook.xml")
        }
        let sheets = try WorkbookSheets(xml: workbook)
        counts1904 = sheets.counts1904
        var relations: [String: String] = [:]
        if let xml = try Self.part("xl/_rels/workbook.xml.rels", of: archive) { relations = try WorkbookRelations(xml: xml).targets }
        var names: [String] = []
        var paths: [String] = []
        for sheet in sheets.sheets {
            guard let target = relations[sheet.relation] else { continue }
            names.append(sheet.name)
            paths.append(target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target)
        }
        guard !names.isEmpty else { throw Failure(description: "в книге нет листов") }
        sheetNames = names
        sheetPaths = paths
        if let xml = try Self.part("xl/sharedStrings.xml", of: archive) { sharedStrings = try SharedStrings(xml: xml).strings } else { sharedStrings = [] }
        if let xml = try Self.part("xl/styles.xml", of: archive) { dateStyles = try DateStyles(xml: xml).styles } else { dateStyles = [] }
    }

    /// The rows of the sheet named `name` (the first sheet if `nil`) that have any cell, in order.
    public func rows(ofSheet name: String? = nil) throws(Failure) -> (sheet: String, rows: [Row]) {
        let index: Int
        if let name {
            guard let found = sheetNames.firstIndex(of: name) else {
                throw Failure(description: "в книге нет листа «\(name)»; листы: \(sheetNames.map { "«\($0)»" }.joined(separator: ", "))")
            }
            index = found
        } else {
            index = 0
        }
        guard let xml = try Self.part(sheetPaths[index], of: archive) else {
            throw Failure(description: "лист «\(sheetNames[index])» повреждён: нет \(sheetPaths[index])")
        }
        let sheet = try SheetCells(xml: xml, sharedStrings: sharedStrings, dateStyles: dateStyles, counts1904: counts1904)
        return (sheetNames[index], sheet.rows)
    }

    /// The archive, read from a private temporary file that is gone from the folder as soon as
    /// it is open. ZIPFoundation 0.9.20's in-memory archives trap on a central directory that
    /// points past the end of the data and leak when the data has no end record (both found by
    /// `make fuzz`); its file-backed archives read the same bytes safely.
    private static func open(_ data: Data) throws(Failure) -> Archive {
        let notAWorkbook = Failure(description: "не похоже на книгу Excel (.xlsx): это не ZIP-архив")
        var template = Array((NSTemporaryDirectory() + "/forumops-workbook-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw Failure(description: "не удаётся прочитать книгу: нет места для временного файла") }
        let path = String(cString: template)
        defer { unlink(path) }
        let written = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try written.write(contentsOf: data)
            try written.close()
        } catch {
            throw Failure(description: "не удаётся прочитать книгу: временный файл не записан (\(error.localizedDescription))")
        }
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read, pathEncoding: nil)
        } catch {
            throw notAWorkbook
        }
    }

    /// The column's letters: 0 → «A», 26 → «AA».
    public static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// An Excel serial (the 1900 date system) as «ДД.ММ.ГГГГ», or «ДД.ММ.ГГГГ ЧЧ:ММ» with a time.
    public static func date(fromSerial serial: Double) -> String? {
        guard serial >= 1, serial < 2_958_466 else { return nil }  // 1900-01-01 … 9999-12-31
        let minutes = Int((serial * 1440).rounded())
        // Days since 1899-12-30; Excel counts a 29 February 1900 that never was, so the first
        // two months are a day further from that origin.
        let days = minutes / 1440 + (minutes / 1440 < 61 ? 1 : 0)
        let (year, month, day) = civilDate(daysSinceEpoch: days - 25_569)  // 1970-01-01 is serial 25569
        let date = String(format: "%02d.%02d.%04d", day, month, year)
        let time = minutes % 1440
        return time == 0 ? date : date + String(format: " %02d:%02d", time / 60, time % 60)
    }

    /// Howard Hinnant's days-to-civil: a proleptic Gregorian date from days since 1970-01-01.
    private static func civilDate(daysSinceEpoch days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// One part of the archive, unpacked within `maximumPartBytes`; `nil` if it is not there.
    private static func part(_ path: String, of archive: Archive) throws(Failure) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(maximumPartBytes) else {
            throw Failure(description: "часть книги \(path) слишком велика (\(entry.uncompressedSize >> 20) МиБ)")
        }
        var data = Data()
        do {
            let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= maximumPartBytes else { throw Failure(description: "часть книги \(path) слишком велика") }
                data.append(chunk)
            }
            guard checksum == entry.checksum else { throw Failure(description: "книга повреждена: \(path) — контрольная сумма не сходится") }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "книга повреждена: не удаётся распаковать \(path)")
        }
        if let problem = XMLShape.problem(in: data) { throw Failure(description: "книга повреждена: \(path) — \(problem)") }
        return data
    }
}

/// A SAX reading of one XML part: subclasses see elements by local name and the text inside.
class WorkbookPart: NSObject, XMLParserDelegate {
    private(set) var text = ""
    private var failure: String?

    func parse(_ xml: Data, part: String) throws(WorkbookReader.Failure) {
        let parser = XMLParser(data: xml)
        parser.delegate = self
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), failure == nil else {
            throw WorkbookReader.Failure(description: failure ?? "книга повреждена: \(part) — не XML (строка \(parser.lineNumber))")
        }
    }

    /// Stops reading with `message` as the reason.
    func fail(_ message: String, _ parser: XMLParser) {
        failure = failure ?? message
        parser.abortParsing()
    }

    func start(_ element: String, _ attributes: [String: String], _ parser: XMLParser) {}
    func end(_ element: String, _ parser: XMLParser) {}

    /// Starts collecting the text of the current element.
    func collectText() { text = "" }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        start(elementName, attributes, parser)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        end(elementName, parser)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text += String(decoding: CDATABlock, as: UTF8.self)
    }
}

/// `xl/workbook.xml`: the sheets' names and relation ids, in order.
private final class WorkbookSheets: WorkbookPart {
    var sheets: [(name: String, relation: String)] = []
    var counts1904 = false

    init(xml: Data) throws(WorkbookReader.Failure) {
        super.init()
        try parse(xml, part: "xl/workbook.xml")
    }

    override func start(_ element: String, _ attributes: [String: String], _ parser: XMLParser) {
        if element == "workbookPr" { counts1904 = ["1", "true"].contains(attributes["date1904"]) }
        guard element == "sheet", let name = attributes["name"] else { return }
        // The relation id is namespaced (r:id); with namespaces processed it keeps its prefix.
        guard let relation = attributes["r:id"] ?? attributes.first(where: { $0.key.hasSuffix(":id") || $0.key == "id" })?.value else { return }
        sheets.append((name, relation))
    }
}

/// `xl/_rels/workbook.xml.rels`: where each relation id points.
private final class WorkbookRelations: WorkbookPart {
    var targets: [String: String] = [:]

    init(xml: Data) throws(WorkbookReader.Failure) {
        super.init()
        try parse(xml, part: "xl/_rels/workbook.xml.rels")
    }

    override func start(_ element: String, _ attributes: [String: String], _ parser: XMLParser) {
        guard element == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
    }
}

/// `xl/sharedStrings.xml`: every shared string, rich-text runs joined, phonetic hints left out.
private final class SharedStrings: WorkbookPart {
    var strings: [String] = []
    private var current = ""
    private var inPhonetic = false

    init(xml: Data) throws(WorkbookReader.Failure) {
        super.init()
        try parse(xml, part: "xl/sharedStrings.xml")
    }

    override func start(_ element: String, _ attributes: [String: String], _ parser: XMLParser) {
        switch element {
        case "si": current = ""
        case "rPh": inPhonetic = true
        case "t": collectText()
        default: break
        }
    }

    override func end(_ element: String, _ parser: XMLParser) {
        switch element {
        case "t" where !inPhonetic: current += WorkbookText.unescaped(text)
        case "rPh": inPhonetic = false
        case "si":
            strings.append(current)
            if strings.count > WorkbookReader.maximumRows * 4 { fail("в книге слишком много строк текста", parser) }
        default: break
        }
    }
}

/// `xl/styles.xml`: which cell styles show a number as a date.
private final class DateStyles: WorkbookPart {
    var styles: Set<Int> = []
    private var dateFormats: Set<Int> = Set(14...22).union(45...47).union(27...36).union(50...58)
    private var inCellFormats = false
    private var styleIndex = 0

    init(xml: Data) throws(WorkbookReader.Failure) {
        super.init()
        try parse(xml, part: "xl/styles.xml")
    }

    override func start(_ element: String, _ attributes: [String: String], _ parser: XMLParser) {
        switch element {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"], Self.isDate(code) {
                dateFormats.insert(id)
            }
        case "cellXfs": inCellFormats = true
        case "xf" where inCellFormats:
            if let format = attributes["numFmtId"].flatMap(Int.init), dateFormats.contains(format) { styles.insert(styleIndex) }
            styleIndex += 1
        default: break
        }
    }

    override func end(_ element: String, _ parser: XMLParser) {
        if element == "cellXfs" { inCellFormats = false }
    }

    /// A format code that shows days, months or years (outside quotes and brackets).
    private static func isDate(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for character in code.lowercased() {
            switch character {
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            case "d", "m", "y": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }
}

/// A worksheet's cells as text, row by row.
private final class SheetCells: WorkbookPart {
    var rows: [WorkbookReader.Row] = []
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private var row: WorkbookReader.Row?
    private var cell: (column: Int, type: String, style: Int)?
    private var value: String?
    private var nextRow = 1
    private var nextColumn = 0
    private var cellCount = 0

    private let counts1904: Bool
    private var inPhonetic = false

    init(xml: Data, sharedStrings: [String], dateStyles: Set<Int>, counts1904: Bool) throws(WorkbookReader.Failure) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.counts1904 = counts1904
        super.init()
        try parse(xml, part: "лист")
    }

    override func start(_ element: String, _ attributes: [String: String], _ parser: XMLParser) {
        switch element {
        case "row":
            let number = attributes["r"].map { Int($0) ?? 0 } ?? nextRow
            guard number >= nextRow, number <= WorkbookReader.maximumRows else { return fail("книга повреждена: строка \(number) не на своём месте", parser) }
            row = WorkbookReader.Row(number: number, cells: [])
            nextRow = number + 1
            nextColumn = 0
        case "c":
            let column = attributes["r"].map { Self.column(ofReference: $0) ?? -1 } ?? nextColumn
            guard column >= nextColumn else { return fail("книга повреждена: ячейка \(attributes["r"] ?? "?") не на своём месте", parser) }
            cell = (column, attributes["t"] ?? "n", attributes["s"].flatMap(Int.init) ?? 0)
            nextColumn = column + 1
            value = nil
        case "v", "t":
            collectText()
        case "rPh":
            inPhonetic = true
        default: break
        }
    }

    override func end(_ element: String, _ parser: XMLParser) {
        switch element {
        case "v": value = text
        case "t" where cell?.type == "inlineStr" && !inPhonetic: value = (value ?? "") + WorkbookText.unescaped(text)
        case "rPh": inPhonetic = false
        case "c":
            guard let cell, var current = row else { return }
            let shown = display(value, cell, parser)
            if !shown.isEmpty {
                // Only a value counts: Excel keeps formatted empty cells far to the right.
                guard cell.column < WorkbookReader.maximumColumns else {
                    return fail("лист слишком широк: значение в столбце \(WorkbookReader.columnName(cell.column))", parser)
                }
                // Padding counts as cells: a sheet of values far to the right is bounded too.
                cellCount += cell.column + 1 - current.cells.count
                guard cellCount <= WorkbookReader.maximumCells else { return fail("в листе слишком много ячеек (больше \(WorkbookReader.maximumCells))", parser) }
                if current.cells.count < cell.column { current.cells += Array(repeating: "", count: cell.column - current.cells.count) }
                current.cells.append(shown)
                row = current
            }
            self.cell = nil
        case "row":
            if let row, !row.cells.isEmpty { rows.append(row) }
            row = nil
        default: break
        }
    }

    /// The text a cell shows, by its type.
    private func display(_ value: String?, _ cell: (column: Int, type: String, style: Int), _ parser: XMLParser) -> String {
        guard let value else { return "" }
        switch cell.type {
        case "s":
            guard let index = Int(value), sharedStrings.indices.contains(index) else {
                fail("книга повреждена: ячейка \(WorkbookReader.columnName(cell.column)) ссылается на несуществующую строку текста", parser)
                return ""
            }
            return sharedStrings[index]
        case "b": return value == "1" ? "ИСТИНА" : "ЛОЖЬ"
        case "n":
            guard let number = Double(value) else { return value }
            // 1904-based serials are 1,462 days behind the 1900 count.
            return dateStyles.contains(cell.style)
                ? WorkbookReader.date(fromSerial: counts1904 ? number + 1462 : number) ?? value : number.wholeNumberText ?? value  // any other number as Excel wrote it
        case "e": return ""  // an error such as #N/A is no value
        case "d": return Self.isoDate(value) ?? value
        default: return value  // inlineStr, str (a formula's text)
        }
    }

    /// An ISO 8601 date («2027-01-15» or «2027-01-15T09:30:00») as «ДД.ММ.ГГГГ» [«ЧЧ:ММ»].
    private static func isoDate(_ value: String) -> String? {
        let parts = value.split(separator: "T", maxSplits: 1)
        let date = parts.first?.split(separator: "-") ?? []
        guard date.count == 3, let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]) else { return nil }
        let shown = String(format: "%02d.%02d.%04d", day, month, year)
        guard parts.count == 2 else { return shown }
        let time = parts[1].split(separator: ":")
        guard time.count >= 2, let hour = Int(time[0]), let minute = Int(time[1]) else { return shown }
        return hour == 0 && minute == 0 ? shown : shown + String(format: " %02d:%02d", hour, minute)
    }

    /// «C4» → 2; `nil` for what is not a cell reference.
    static func column(ofReference reference: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            column = column * 26 + Int(scalar.value - 64)
            letters += 1
            guard letters <= 3 else { return nil }
        }
        return letters == 0 ? nil : column - 1
    }
}

/// Text as OOXML stores it: a character XML cannot hold is written `_xHHHH_` (Excel writes a
/// carriage return as `_x000D_`), and `_x005F_` escapes an underscore that would start one.
enum WorkbookText {
    static func unescaped(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "_x") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let value = UInt32(hex.dropLast(), radix: 16), let scalar = Unicode.Scalar(value) {
                result.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                result += "_x"
                rest = after
            }
        }
        return result + rest
    }
}

/// What an OOXML part must look like before `XMLParser` sees it: no document type declaration
/// (ECMA-376 forbids them in packages; they are where entity expansion hides), and every start
/// tag's attributes written as `name="value"` with space between them. swift-corelibs-foundation's
/// parser traps on some broken attribute syntax that libxml2 reports (found by `make fuzz`), so
/// such a part is refused here, in words.
enum XMLShape {
    static func problem(in data: Data) -> String? {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
            let bytes = bytes.bindMemory(to: UInt8.self)
            var index = 0
            func starts(with text: String) -> Bool {
                let utf8 = Array(text.utf8)
                return index + utf8.count <= bytes.count && zip(utf8.indices, utf8).allSatisfy { bytes[index + $0] == $1 }
            }
            func skip(past end: String) -> Bool {
                let utf8 = Array(end.utf8)
                while index + utf8.count <= bytes.count {
                    if starts(with: end) { index += utf8.count; return true }
                    index += 1
                }
                return false
            }
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            func isNameByte(_ byte: UInt8) -> Bool {
                byte >= 0x80 || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x3A || byte == 0x5F || byte == 0x2D || byte == 0x2E
            }
            while index < bytes.count {
                guard bytes[index] == 0x3C else { index += 1; continue }  // <
                if starts(with: "<!--") { guard skip(past: "-->") else { return "незакрытый комментарий" }; continue }
                if starts(with: "<![CDATA[") { guard skip(past: "]]>") else { return "незакрытый блок CDATA" }; continue }
                if starts(with: "<!") { return "объявление типа документа (DOCTYPE) в книге недопустимо" }
                if starts(with: "<?") { guard skip(past: "?>") else { return "незакрытая инструкция" }; continue }
                index += 1
                if index < bytes.count, bytes[index] == 0x2F { continue }  // an end tag
                guard index < bytes.count, isNameByte(bytes[index]) else { return "тег без имени" }
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                // Attributes: space, a name, «=», a quoted value; then «>» or «/>».
                while true {
                    let spaced = index < bytes.count && isSpace(bytes[index])
                    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                    guard index < bytes.count else { return "незакрытый тег" }
                    if bytes[index] == 0x3E { index += 1; break }  // >
                    if bytes[index] == 0x2F {  // />
                        guard index + 1 < bytes.count, bytes[index + 1] == 0x3E else { return "испорченный тег" }
                        index += 2
                        break
                    }
                    guard spaced, isNameByte(bytes[index]) else { return "испорченный атрибут" }
                    while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                    guard index < bytes.count, bytes[index] == 0x3D else { return "атрибут без значения" }  // =
                    index += 1
                    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                    guard index < bytes.count, bytes[index] == 0x22 || bytes[index] == 0x27 else { return "значение атрибута без кавычек" }
                    let quote = bytes[index]
                    index += 1
                    while index < bytes.count, bytes[index] != quote {
                        guard bytes[index] != 0x3C else { return "«<» в значении атрибута" }
                        index += 1
                    }
                    guard index < bytes.count else { return "незакрытое значение атрибута" }
                    index += 1
                }
            }
            return nil
        }
    }
}
