import CCairo
import Foundation

/// A QR code drawn with cairo: as SVG or PNG on its own, or into a badge.
public enum QRImage {
    /// Light modules around the symbol, as the standard asks.
    static let quietZone = 4

    /// Draws the code with its top-left corner at (`x`, `y`), `size` wide including the quiet zone.
    static func draw(_ code: QRCode, in cr: OpaquePointer?, x: Double, y: Double, size: Double) {
        let modules = Double(code.width + 2 * quietZone)
        let module = size / modules
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, x, y, size, size)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for row in 0..<code.width {
            for column in 0..<code.width where code.isDark(x: column, y: row) {
                cairo_rectangle(cr, x + (Double(column + quietZone)) * module, y + Double(row + quietZone) * module, module, module)
            }
        }
        cairo_fill(cr)
    }

    /// The code as SVG, `moduleSize` points a module.
    public static func svg(_ code: QRCode, moduleSize: Double = 4) throws(CairoError) -> Data {
        let size = Double(code.width + 2 * quietZone) * moduleSize
        var data = Data()
        let output = CairoOutput { bytes in data.append(contentsOf: bytes); return true }
        let surface = cairo_svg_surface_create_for_stream(CairoOutput.write, output.closure, size, size)
        try check(surface)
        let cr = cairo_create(surface)
        draw(code, in: cr, x: 0, y: 0, size: size)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        try check(surface)
        cairo_surface_destroy(surface)
        return withExtendedLifetime(output) { data }
    }

    /// The code as PNG, `scale` pixels a module.
    public static func png(_ code: QRCode, scale: Int = 8) throws(CairoError) -> Data {
        let size = (code.width + 2 * quietZone) * scale
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size), Int32(size))
        try check(surface)
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
        draw(code, in: cr, x: 0, y: 0, size: Double(size))
        cairo_destroy(cr)
        return try png(surface)
    }

    /// An image surface as PNG bytes.
    static func png(_ surface: OpaquePointer?) throws(CairoError) -> Data {
        var data = Data()
        let output = CairoOutput { bytes in data.append(contentsOf: bytes); return true }
        let status = cairo_surface_write_to_png_stream(surface, CairoOutput.write, output.closure)
        guard status == CAIRO_STATUS_SUCCESS else { throw CairoError(status) }
        return withExtendedLifetime(output) { data }
    }
}
