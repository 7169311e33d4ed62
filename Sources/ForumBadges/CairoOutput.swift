import CCairo
import Foundation

/// Collects what cairo writes to a stream (SVG, PDF, PNG) into memory or hands it to a sink.
final class CairoOutput {
    private let sink: (UnsafeRawBufferPointer) -> Bool

    init(_ sink: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.sink = sink
    }

    /// The callback cairo calls, with `closure` pointing at a `CairoOutput`.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let output = Unmanaged<CairoOutput>.fromOpaque(closure).takeUnretainedValue()
        return output.sink(UnsafeRawBufferPointer(start: data, count: Int(length))) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
    }

    var closure: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// Cairo reported a failure.
public struct CairoError: Error, Sendable, CustomStringConvertible {
    public var message: String

    init(_ status: cairo_status_t) {
        message = String(cString: cairo_status_to_string(status))
    }

    public var description: String { "ошибка отрисовки (cairo): \(message)" }
}

/// Throws when the surface or context is in an error state.
func check(_ surface: OpaquePointer?) throws(CairoError) {
    let status = cairo_surface_status(surface)
    if status != CAIRO_STATUS_SUCCESS { throw CairoError(status) }
}
