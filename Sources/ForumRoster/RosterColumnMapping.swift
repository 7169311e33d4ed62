import ForumDomain
import Foundation

/// The organiser's own reading of a file's titles, `Title in file = field`, from `--column`
/// options or from a mapping file kept for the next export. It wins over the built-in titles.
public struct RosterColumnMapping: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// The title as the file has it (compared in any case, `ё` = `е`).
        public var title: String
        public var column: RosterColumn
        /// Where it was written, for messages: `columns.txt:3` or `--column "…"`.
        public var origin: String
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The values of `--column` options, each `Title in file=field`.
    public init(options: [String]) throws(RosterMappingError) {
        for option in options {
            try add(option, origin: "--column \"\(option)\"")
        }
    }

    /// A mapping file: one `Title in file = field` per line; blank lines and lines starting with
    /// `#` are left out. `source` names the file in messages.
    public init(text: String, source: String) throws(RosterMappingError) {
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = line.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            try add(line, origin: "\(source):\(index + 1)")
        }
    }

    /// A mapping file's bytes, in any encoding `RosterText` reads (UTF-8 first).
    public init(data: Data, source: String) throws(RosterMappingError) {
        guard let (text, _) = RosterText.decode(data) else {
            throw RosterMappingError(origin: source, message: "не удаётся прочитать текст: ожидается UTF-8")
        }
        try self.init(text: text, source: source)
    }

    /// This mapping with `other`'s entries in place of any for the same titles (options over a file).
    public func overridden(by other: RosterColumnMapping) -> RosterColumnMapping {
        let replaced = Set(other.entries.map { RussianText.searchKey($0.title) })
        var mapping = RosterColumnMapping()
        mapping.entries = entries.filter { !replaced.contains(RussianText.searchKey($0.title)) } + other.entries
        return mapping
    }

    /// Adds one `Title = field`; a title given twice is refused.
    private mutating func add(_ line: String, origin: String) throws(RosterMappingError) {
        guard let equals = line.lastIndex(of: "=") else {
            throw RosterMappingError(origin: origin, message: "ожидается «Заголовок в файле = поле»")
        }
        let title = line[..<equals].trimmingCharacters(in: .whitespaces)
        let name = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else {
            throw RosterMappingError(origin: origin, message: "перед «=» нет заголовка столбца")
        }
        guard let column = RosterColumn(name: name) else {
            throw RosterMappingError(origin: origin, message: "«\(name)» — неизвестное поле; поля: \(RosterColumn.names)")
        }
        let key = RussianText.searchKey(title)
        if let earlier = entries.first(where: { RussianText.searchKey($0.title) == key }) {
            throw RosterMappingError(origin: origin, message: "столбец «\(title)» уже сопоставлен: \(earlier.origin)")
        }
        entries.append(Entry(title: title, column: column, origin: origin))
    }
}

/// A mapping entry that cannot be read: `columns.txt:3: «Регоин» — неизвестное поле…`.
public struct RosterMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file and line, or the option, it was written in.
    public var origin: String
    public var message: String

    public var description: String { "\(origin): \(message)" }
}
