/// A problem with a programme file, pinned to its line and column where there is one.
public struct AgendaProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; `nil` for the file as a whole.
    public var line: Int?
    public var column: Int?
    /// Where in the file's structure: `sessions[3].room`.
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// «Agenda/forum.yaml:120:12: sessions[3].room: зал «p99» не описан в buildings».
    public var description: String {
        [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":") + ": "
            + (field.map { "\($0): " } ?? "") + message
    }
}

/// Why a programme could not be read: every problem found, in file order.
public struct AgendaRefusal: Error, Sendable, CustomStringConvertible {
    public var problems: [AgendaProblem]

    public init(_ problems: [AgendaProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
