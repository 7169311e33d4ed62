/// Participant fields as they arrive from a form, a CSV row or a request: free text by field,
/// possibly missing. `validated()` turns them into `ParticipantDetails` or lists every problem.
/// In JSON it is an object keyed by the fields' API names (`lastName`, `regionCode`…); a
/// region may be a code («16») or a name, a category a code (`speaker`) or a Russian name.
public struct ParticipantForm: Sendable, Hashable, Codable {
    /// By `ParticipantField.ordinal`: an import builds and reads thousands of forms.
    private var values = [String?](repeating: nil, count: ParticipantField.allCases.count)

    public init() {}

    /// A form with these values (`nil` values are left out).
    public init(_ values: [ParticipantField: String?]) {
        for (field, value) in values { self[field] = value }
    }

    /// The form that reproduces `details`, to be edited and validated again.
    public init(_ details: ParticipantDetails) {
        for field in ParticipantField.allCases { self[field] = details.text(of: field) }
    }

    public subscript(field: ParticipantField) -> String? {
        get { values[field.ordinal] }
        set { values[field.ordinal] = newValue }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParticipantField.self)
        for field in ParticipantField.allCases {
            self[field] = try container.decodeIfPresent(String.self, forKey: field)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParticipantField.self)
        for field in ParticipantField.allCases {
            try container.encodeIfPresent(self[field], forKey: field)
        }
    }

    /// The fields this form carries a value for, even an empty one (a CSV column that exists,
    /// a JSON key that was sent).
    public var providedFields: Set<ParticipantField> {
        Set(ParticipantField.allCases.filter { self[$0] != nil })
    }

    /// `details` with the fields present in this form replacing theirs (an empty string clears an
    /// optional field), validated as a whole.
    public func applied(to details: ParticipantDetails) throws(ValidationFailure) -> ParticipantDetails {
        var merged = ParticipantForm(details)
        for field in ParticipantField.allCases {
            if let value = self[field] { merged[field] = value }
        }
        return try merged.validated()
    }

    /// Checks every field and returns the normalised details, or every problem at once.
    public func validated() throws(ValidationFailure) -> ParticipantDetails {
        var errors: [FieldError] = []
        func text(_ field: ParticipantField, required: Bool) -> String? {
            if let raw = self[field], let problem = PlainText.problem(in: raw) {
                errors.append(FieldError(field: field.rawValue, message: problem))
                return nil
            }
            guard let value = RussianText.tidy(self[field]) else {
                if required { errors.append(FieldError(field: field.rawValue, message: "обязательное поле не заполнено")) }
                return nil
            }
            // Counting characters walks grapheme clusters; a text with fewer bytes cannot have more.
            guard value.utf8.count <= field.maximumLength || value.count <= field.maximumLength else {
                errors.append(FieldError(field: field.rawValue, message: "слишком длинно: больше \(field.maximumLength) символов"))
                return nil
            }
            return value
        }
        func check<Value>(_ field: ParticipantField, _ value: String?, _ parse: (String) -> Value?, _ message: (String) -> String) -> Value? {
            guard let value else { return nil }
            guard let parsed = parse(value) else {
                errors.append(FieldError(field: field.rawValue, message: message(value)))
                return nil
            }
            return parsed
        }
        func personName(_ field: ParticipantField, required: Bool) -> String? {
            check(field, text(field, required: required), { PersonName.isAcceptable($0) ? $0 : nil }) {
                "«\($0)» — допустимы только буквы, пробел, дефис и апостроф"
            }
        }

        let lastName = personName(.lastName, required: true)
        let firstName = personName(.firstName, required: true)
        let patronymic = personName(.patronymic, required: false)
        let email = check(.email, text(.email, required: true), ContactSyntax.normalisedEmail) {
            "«\($0)» — не похоже на адрес электронной почты (ожидается имя@домен.ru)"
        }
        let phone = check(.phone, text(.phone, required: false), ContactSyntax.normalisedPhone) {
            "«\($0)» — не похоже на номер телефона (ожидается +7 912 345-67-89)"
        }
        let region = check(.regionCode, text(.regionCode, required: true), FederalSubject.find, FederalSubject.refusal(for:))
        func freeText(_ field: ParticipantField, required: Bool) -> String? {
            check(field, text(field, required: required), { FreeText.isSafe($0) ? $0 : nil }) {
                "«\($0)» — не может начинаться с «=», «+», «-» или «@» (так начинаются формулы Excel)"
            }
        }
        let municipality = freeText(.municipality, required: true)
        let organisation = freeText(.organisation, required: false)
        let position = freeText(.position, required: false)
        let category = check(.category, text(.category, required: false), ParticipantCategory.init(parsing:)) {
            "«\($0)» — неизвестная категория; допустимо: "
                + ParticipantCategory.allCases.map(\.russianName).joined(separator: ", ")
        } ?? .participant
        let externalID = freeText(.externalID, required: false)

        guard errors.isEmpty, let lastName, let firstName, let email, let region, let municipality else {
            throw ValidationFailure(errors)
        }
        return ParticipantDetails(
            lastName: lastName, firstName: firstName, patronymic: patronymic, email: email, phone: phone,
            regionCode: region.code, municipality: municipality, organisation: organisation,
            position: position, category: category, externalID: externalID
        )
    }
}
