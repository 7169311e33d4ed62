import CCairo
import Foundation

/// A QR code drawn with cairo: as SVG or PNG on its own, or into a badge.
public enum QRImage {
    /// Light modules around the symbol, as the standard asks.
    static let quietZone = 4

    /// Draws the code with its top-left corner at (`x`, `y`), `size` wide including the quiet
    /// zone. As a one-module-a-pixel mask scaled without smoothing (the default): in a PDF that
    /// is one small image instead of hundreds of rectangles, as sharp when printed. As
    /// rectangles (`vector`) for SVG.
    static func draw(_ code: QRCode, in cr: OpaquePointer?, x: Double, y: Double, size: Double, vector: Bool = false) {
        let modules = code.width + 2 * quietZone
        let module = size / Double(modules)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, x, y, size, size)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        guard !vector else {
            for row in 0..<code.width {
                for column in 0..<code.width where code.isDark(x: column, y: row) {
                    cairo_rectangle(cr, x + Double(column + quietZone) * module, y + Double(row + quietZone) * module, module, module)
                }
            }
            cairo_fill(cr)
            return
        }
        let mask = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(modules), Int32(modules))
        defer { cairo_surface_destroy(mask) }
        cairo_surface_flush(mask)
        let stride = Int(cairo_image_surface_get_stride(mask))
        if let pixels = cairo_image_surface_get_data(mask) {
            for row in 0..<code.width {
                for column in 0..<code.width where code.isDark(x: column, y: row) {
                    pixels[(row + quietZone) * stride + column + quietZone] = 255
                }
            }
        }
        cairo_surface_mark_dirty(mask)
        let pattern = cairo_pattern_create_for_surface(mask)
        defer { cairo_pattern_destroy(pattern) }
        cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, module, module)
        cairo_mask(cr, pattern)
        cairo_restore(cr)
    }

    /// The code as SVG, `moduleSize` points a module.
    public static func svg(_ code: QRCode, moduleSize: Double = 4) throws -> Data {
        let size = Double(code.width + 2 * quietZone) * moduleSize
        var data = Data()
        let output = CairoOutput { bytes in data.append(contentsOf: bytes) }
        let surface = CairoSurface(cairo_svg_surface_create_for_stream(CairoOutput.write, output.closure, size, size), output: output)
        try surface.check()
        CairoContext(surface).draw { cr in draw(code, in: cr, x: 0, y: 0, size: size, vector: true) }
        try surface.finish()
        return data
    }

    /// The code as PNG, `scale` pixels a module.
    public static func png(_ code: QRCode, scale: Int = 8) throws -> Data {
        let size = (code.width + 2 * quietZone) * scale
        let surface = CairoSurface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size), Int32(size)))
        try surface.check()
        CairoContext(surface).draw { cr in
            cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
            draw(code, in: cr, x: 0, y: 0, size: Double(size))
        }
        return try png(surface)
    }

    /// An image surface as PNG bytes.
    static func png(_ surface: CairoSurface) throws -> Data {
        var data = Data()
        let output = CairoOutput { bytes in data.append(contentsOf: bytes) }
        let status = withExtendedLifetime((output, surface)) { cairo_surface_write_to_png_stream(surface.pointer, CairoOutput.write, output.closure) }
        if let failure = output.failure { throw failure }
        guard status == CAIRO_STATUS_SUCCESS else { throw CairoError(status) }
        return data
    }
}
