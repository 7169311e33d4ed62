/// Which participants a listing or search wants, and which page of them.
public struct ParticipantFilter: Sendable, Hashable {
    /// Words to find anywhere in the name, e-mail, municipality or organisation; each word may be
    /// the start of a word («иван петр» finds «Иванов Пётр»).
    public var text: String?
    /// The start of the surname («Кузьм» finds «Кузьмин», «Кузьмина»).
    public var surname: String?
    public var regionCode: String?
    public var category: ParticipantCategory?
    public var status: ParticipantStatus?
    /// Whether `text` may match e-mail addresses; off for those who may not read contacts.
    public var searchesContacts: Bool
    public var page: Page

    public init(
        text: String? = nil, surname: String? = nil, regionCode: String? = nil,
        category: ParticipantCategory? = nil, status: ParticipantStatus? = nil, searchesContacts: Bool = true,
        page: Page = Page()
    ) {
        self.text = text
        self.surname = surname
        self.regionCode = regionCode
        self.category = category
        self.status = status
        self.searchesContacts = searchesContacts
        self.page = page
    }
}

/// A 1-based page of a listing.
public struct Page: Sendable, Hashable {
    public static let maximumSize = 1000
    /// Far beyond any real listing; keeps the offset arithmetic from overflowing.
    public static let maximumNumber = 1_000_000
    public var number: Int
    /// `nil` means no limit: everything from the start (`forum participants list` without `--page`).
    public var size: Int?

    public init(number: Int = 1, size: Int? = 50) {
        self.number = number
        self.size = size
    }

    /// Checks that the page is 1 or more and the size within 1...`maximumSize`.
    public func validated() throws(ValidationFailure) -> Page {
        var errors: [FieldError] = []
        if !(1...Self.maximumNumber).contains(number) {
            errors.append(FieldError(field: "page", message: "номер страницы от 1 до \(Self.maximumNumber)"))
        }
        if let size, !(1...Self.maximumSize).contains(size) {
            errors.append(FieldError(field: "perPage", message: "размер страницы от 1 до \(Self.maximumSize)"))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return self
    }

    public var offset: Int { (number - 1) * (size ?? 0) }
}

/// One page of results and how many there are in all.
public struct PageOf<Item: Sendable & Encodable>: Sendable, Encodable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int?

    public init(items: [Item], total: Int, page: Page) {
        self.items = items
        self.total = total
        self.page = page.number
        self.perPage = page.size
    }
}
