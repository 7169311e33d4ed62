import ForumDomain
import Yams

/// Reads one YAML mapping field by field, collecting problems with the position and the path
/// of the field instead of stopping at the first: the organiser sees every mistake at once.
struct YAMLFields {
    let node: Node
    /// `sessions[3]`; empty at the top.
    let path: String
    let problems: ProblemLog

    /// Fields present that the format does not know are reported by `finish(known:)`.
    private var mapping: Node.Mapping? { node.mapping }

    init(_ node: Node, path: String, problems: ProblemLog) {
        self.node = node
        self.path = path
        self.problems = problems
        if node.mapping == nil {
            problems.add(at: node, field: path, "ожидается набор полей «ключ: значение»")
        }
    }

    func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    func value(_ key: String) -> Node? {
        mapping?[key]
    }

    /// Text; `nil` (and a problem if `required`) when missing or empty.
    func string(_ key: String, required: Bool = true) -> String? {
        guard let value = value(key) else {
            if required { problems.add(at: node, field: fieldPath(key), "обязательное поле не заполнено") }
            return nil
        }
        guard let scalar = value.scalar else {
            problems.add(at: value, field: fieldPath(key), "ожидается текст")
            return nil
        }
        if let problem = PlainText.problem(in: scalar.string) {
            problems.add(at: value, field: fieldPath(key), problem)
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty && required { problems.add(at: value, field: fieldPath(key), "обязательное поле пусто") }
        return text.isEmpty ? nil : text
    }

    /// A whole number in `range`.
    func int(_ key: String, required: Bool = true, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(key, required: required), let node = value(key) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            problems.add(at: node, field: fieldPath(key), "«\(text)» — ожидается целое число от \(range.lowerBound) до \(range.upperBound)")
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let text = string(key, required: false), let node = value(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "да": return true
        case "false", "no", "нет": return false
        default:
            problems.add(at: node, field: fieldPath(key), "«\(text)» — ожидается true или false")
            return nil
        }
    }

    /// One of `Value`'s raw values.
    func choice<Value: RawRepresentable & CaseIterable>(_ key: String, required: Bool = true) -> Value? where Value.RawValue == String {
        guard let text = string(key, required: required), let node = value(key) else { return nil }
        guard let value = Value(rawValue: text) else {
            problems.add(at: node, field: fieldPath(key), "«\(text)» — допустимо: " + Value.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }

    /// The items of a list, each read by `read` with its own path.
    func list<Item>(_ key: String, required: Bool = true, _ read: (Node, String) -> Item?) -> [Item] {
        guard let value = value(key) else {
            if required { problems.add(at: node, field: fieldPath(key), "обязательный список не заполнен") }
            return []
        }
        guard let sequence = value.sequence else {
            problems.add(at: value, field: fieldPath(key), "ожидается список (строки с «- »)")
            return []
        }
        return sequence.enumerated().compactMap { index, item in read(item, "\(fieldPath(key))[\(index)]") }
    }

    /// Reports the keys this mapping has beyond `known` (a typo such as «romo:»).
    func finish(known: Set<String>) {
        for key in mapping.map({ Array($0.keys) }) ?? [] {
            guard let name = key.scalar?.string, !known.contains(name) else { continue }
            problems.add(at: key, field: fieldPath(name), "неизвестное поле; допустимо: " + known.sorted().joined(separator: ", "))
        }
    }
}

/// The problems of one file, in the order found.
final class ProblemLog {
    let file: String
    private(set) var problems: [AgendaProblem] = []

    init(file: String) {
        self.file = file
    }

    /// Yams marks count lines and columns (in characters) from 1, as editors do.
    func add(at node: Node?, field: String?, _ message: String) {
        problems.append(AgendaProblem(file: file, line: node?.mark?.line, column: node?.mark?.column, field: field, message: message))
    }
}
