/// Publication refused: the programme breaks rules that are errors.
public struct ScheduleRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [ScheduleProblem]

    public init(_ problems: [ScheduleProblem]) {
        self.problems = problems
    }

    public var description: String {
        "программа не опубликована: ошибок \(problems.count)\n" + problems.map { "  \($0.message)" }.joined(separator: "\n")
    }
}
