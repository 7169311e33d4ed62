import CCairo
import Foundation

/// A PDF of badges written as it is drawn (memory does not grow with the count): one badge a
/// page, or badges laid out on A4 sheets with crop marks for the print shop.
public final class BadgePDF {
    /// How badges go onto pages.
    public enum Sheet: String, Sendable, CaseIterable {
        /// One badge a page, the page the badge's size.
        case single
        /// As many badges as fit on A4 (four A6), with crop marks.
        case a4
    }

    private let renderer: BadgeRenderer
    private let sheet: Sheet
    private let context: CairoContext
    private var surface: CairoSurface { context.surface }
    private let slots: [(x: Double, y: Double)]
    private var onPage = 0
    private var finished = false
    public private(set) var badges = 0

    static let a4 = (width: 210 * BadgeLayout.pointsPerMillimetre, height: 297 * BadgeLayout.pointsPerMillimetre)

    /// Starts a PDF that `write` receives piece by piece; an error `write` throws ends the
    /// document and is what `add` or `finish` throws (a full disk says so).
    public init(renderer: BadgeRenderer, sheet: Sheet, write: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.renderer = renderer
        self.sheet = sheet
        let layout = renderer.layout
        let page = sheet == .single ? (width: layout.width, height: layout.height) : Self.a4
        let output = CairoOutput(write)
        context = CairoContext(CairoSurface(cairo_pdf_surface_create_for_stream(CairoOutput.write, output.closure, page.width, page.height), output: output))
        if sheet == .single {
            slots = [(0, 0)]
        } else {
            let columns = max(1, Int(page.width / layout.width)), rows = max(1, Int(page.height / layout.height))
            let left = (page.width - Double(columns) * layout.width) / 2, top = (page.height - Double(rows) * layout.height) / 2
            slots = (0..<rows).flatMap { row in (0..<columns).map { column in (left + Double(column) * layout.width, top + Double(row) * layout.height) } }
        }
        try surface.check()
        cairo_pdf_surface_set_metadata(surface.pointer, CAIRO_PDF_METADATA_CREATOR, "forumops")
    }

    /// A PDF given up before `finish` (an error half-way) writes nothing more; cairo's
    /// surface and context are freed with it.
    deinit {
        if !finished { surface.output?.discard() }
    }

    /// Draws one badge, starting a new page when the current one is full.
    public func add(_ content: BadgeContent) throws {
        precondition(!finished, "a badge added to a finished PDF")
        let qr = try QRCode(content.code)
        let slot = slots[onPage]
        context.draw { cr in
            cairo_save(cr)
            cairo_translate(cr, slot.x, slot.y)
            renderer.draw(content, qr: qr, in: cr)
            cairo_restore(cr)
        }
        badges += 1
        onPage += 1
        if onPage == slots.count { endPage() }
        try surface.check()
    }

    /// Ends the last page and the file; a second call does nothing more.
    public func finish() throws {
        if !finished && onPage > 0 { endPage() }
        finished = true
        try surface.finish()
    }

    private func endPage() {
        context.draw { cr in
            if sheet == .a4 { cropMarks(cr) }
            cairo_show_page(cr)
        }
        onPage = 0
    }

    /// Hairline marks where the sheet is cut, along its edges, outside the badges where the
    /// margins allow and over the badges' white edge otherwise.
    private func cropMarks(_ cr: OpaquePointer?) {
        let layout = renderer.layout
        let length = 5 * BadgeLayout.pointsPerMillimetre
        let xs = Set(slots.flatMap { [$0.x, $0.x + layout.width] }).sorted()
        let ys = Set(slots.flatMap { [$0.y, $0.y + layout.height] }).sorted()
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_set_line_width(cr, 0.25)
        for x in xs {
            cairo_move_to(cr, x, 0); cairo_line_to(cr, x, length)
            cairo_move_to(cr, x, Self.a4.height); cairo_line_to(cr, x, Self.a4.height - length)
        }
        for y in ys {
            cairo_move_to(cr, 0, y); cairo_line_to(cr, length, y)
            cairo_move_to(cr, Self.a4.width, y); cairo_line_to(cr, Self.a4.width - length, y)
        }
        cairo_stroke(cr)
    }

    /// The whole PDF of `badges` in memory (one badge for a reprint at the desk).
    public static func data(_ badges: [BadgeContent], renderer: BadgeRenderer, sheet: Sheet = .single) throws -> Data {
        var data = Data()
        let pdf = try BadgePDF(renderer: renderer, sheet: sheet) { bytes in data.append(contentsOf: bytes) }
        for badge in badges { try pdf.add(badge) }
        try pdf.finish()
        return data
    }
}
