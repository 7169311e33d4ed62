import CCairo
import ForumDomain

/// Draws badges with cairo — into a PDF page, a PNG, a sheet of four — from one drawing code.
/// Long Cyrillic names and positions shrink, then wrap, within their boxes; the QR code and the
/// category band keep their places.
public struct BadgeRenderer: Sendable {
    public let layout: BadgeLayout

    public init(layout: BadgeLayout = BadgeLayout()) {
        self.layout = layout
    }

    /// A block of text placed on the badge: its fit and its top-left corner.
    struct Placed {
        var fit: TextFit
        var x: Double
        var y: Double
        var colour: RGB
        var centred: Bool
    }

    /// Where each text block goes, scaled down together if they would reach the QR code.
    func place(_ content: BadgeContent, in cr: OpaquePointer?) -> [Placed] {
        let width = layout.width - 2 * layout.margin
        let bottom = layout.height - layout.bandHeight - layout.qrSize - layout.margin
        let text = RGB(hex: layout.textColour) ?? RGB(red: 0.1, green: 0.1, blue: 0.1)
        let grey = RGB(red: 0.4, green: 0.4, blue: 0.4)
        var scale = 1.0
        while true {
            var y = layout.margin
            var placed: [Placed] = []
            func add(_ string: String?, bold: Bool = false, lines: Int, largest: Double, smallest: Double, colour: RGB, gapAfter: Double = 2, centred: Bool = false) {
                guard let string, !string.isEmpty else { return }
                let fit = TextFit(string, in: cr, font: layout.font, bold: bold, width: width, maxLines: lines,
                                  largest: largest * scale, smallest: min(smallest, largest * scale))
                placed.append(Placed(fit: fit, x: layout.margin, y: y, colour: colour, centred: centred))
                y += fit.height + gapAfter * scale
            }
            add(content.forumName, lines: 2, largest: 8, smallest: 6, colour: grey, gapAfter: 10, centred: true)
            add(content.surname, bold: true, lines: 2, largest: 28, smallest: 11, colour: text)
            add(content.givenNames, lines: 2, largest: 17, smallest: 9, colour: text, gapAfter: 8)
            add(content.position, lines: 3, largest: 11, smallest: 6.5, colour: text, gapAfter: 4)
            add(content.municipality, lines: 2, largest: 10, smallest: 6.5, colour: grey)
            add(content.region, lines: 2, largest: 10, smallest: 6.5, colour: grey)
            if y <= bottom || scale <= 0.5 { return placed }
            scale -= 0.05
        }
    }

    /// Draws the badge with its top-left corner at the current origin.
    func draw(_ content: BadgeContent, qr: QRCode, in cr: OpaquePointer?) {
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, 0, 0, layout.width, layout.height)
        cairo_fill(cr)
        for block in place(content, in: cr) {
            TextFit.select(layout.font, bold: block.fit.bold, in: cr)
            cairo_set_font_size(cr, block.fit.size)
            cairo_set_source_rgb(cr, block.colour.red, block.colour.green, block.colour.blue)
            for (index, line) in block.fit.lines.enumerated() {
                let x = block.centred ? (layout.width - TextFit.advance(line, in: cr)) / 2 : block.x
                cairo_move_to(cr, x, block.y + block.fit.size + Double(index) * block.fit.lineHeight)
                cairo_show_text(cr, line)
            }
        }
        let qrTop = layout.height - layout.bandHeight - layout.qrSize - layout.margin / 2
        QRImage.draw(qr, in: cr, x: (layout.width - layout.qrSize) / 2, y: qrTop, size: layout.qrSize)
        let band = layout.colour(of: content.category)
        cairo_set_source_rgb(cr, band.red, band.green, band.blue)
        cairo_rectangle(cr, 0, layout.height - layout.bandHeight, layout.width, layout.bandHeight)
        cairo_fill(cr)
        let label = TextFit(content.category.russianName.uppercased(), in: cr, font: layout.font, bold: true,
                            width: layout.width - 2 * layout.margin, maxLines: 1, largest: layout.bandHeight * 0.45, smallest: 8)
        cairo_set_font_size(cr, label.size)
        cairo_set_source_rgb(cr, 1, 1, 1)
        let line = label.lines.first ?? ""
        cairo_move_to(cr, (layout.width - TextFit.advance(line, in: cr)) / 2, layout.height - layout.bandHeight / 2 + label.size * 0.36)
        cairo_show_text(cr, line)
    }

    /// One badge as PNG at `dotsPerInch`.
    public func png(_ content: BadgeContent, dotsPerInch: Double = 150) throws -> Data {
        let scale = dotsPerInch / 72
        let qr = try QRCode(content.code)
        let surface = CairoSurface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(layout.width * scale), Int32(layout.height * scale)))
        try surface.check()
        CairoContext(surface).draw { cr in
            cairo_scale(cr, scale, scale)
            draw(content, qr: qr, in: cr)
        }
        return try QRImage.png(surface)
    }
}

import Foundation
