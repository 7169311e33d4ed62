import CCairo
import Foundation

/// Where cairo writes a stream surface (SVG, PDF, PNG): a sink that may throw. The first error
/// is kept and given back instead of cairo's generic «error while writing to output stream», so
/// a full disk says so. An abandoned document discards whatever cairo still writes.
final class CairoOutput {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    /// The sink's first error.
    private(set) var failure: (any Error)?
    private var discarding = false

    init(_ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
    }

    /// The callback cairo calls, with `closure` pointing at a `CairoOutput`.
    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let output = Unmanaged<CairoOutput>.fromOpaque(closure).takeUnretainedValue()
        if output.discarding { return CAIRO_STATUS_SUCCESS }
        guard output.failure == nil else { return CAIRO_STATUS_WRITE_ERROR }
        do {
            try output.sink(UnsafeRawBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        } catch {
            output.failure = error
            return CAIRO_STATUS_WRITE_ERROR
        }
    }

    var closure: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Nothing more reaches the sink (a document given up half-way).
    func discard() {
        discarding = true
    }
}

/// A cairo surface owned by one Swift object: destroyed when the object goes, on every path,
/// throws included. A stream surface keeps its output alive for as long as cairo may write.
final class CairoSurface {
    let pointer: OpaquePointer?
    let output: CairoOutput?
    private var finished = false

    init(_ pointer: OpaquePointer?, output: CairoOutput? = nil) {
        self.pointer = pointer
        self.output = output
    }

    deinit {
        cairo_surface_destroy(pointer)
    }

    /// The sink's error, or cairo's, if either failed.
    func check() throws {
        if let failure = output?.failure { throw failure }
        let status = cairo_surface_status(pointer)
        if status != CAIRO_STATUS_SUCCESS { throw CairoError(status) }
    }

    /// Writes the end of a stream surface and checks it; a second call does nothing.
    func finish() throws {
        if !finished {
            finished = true
            cairo_surface_finish(pointer)
        }
        try check()
    }
}

/// A cairo drawing context owned by one Swift object; it keeps its surface alive.
final class CairoContext {
    private let pointer: OpaquePointer?
    let surface: CairoSurface

    init(_ surface: CairoSurface) {
        self.surface = surface
        pointer = cairo_create(surface.pointer)
    }

    /// Runs `body` with the C context, alive until `body` returns (ARC may otherwise free an
    /// object after its last use in Swift, while C still draws with its pointer).
    func draw<Value>(_ body: (OpaquePointer?) throws -> Value) rethrows -> Value {
        try withExtendedLifetime(self) { try body(pointer) }
    }

    deinit {
        cairo_destroy(pointer)
    }
}

/// Cairo reported a failure.
public struct CairoError: Error, Sendable, CustomStringConvertible {
    public var message: String

    init(_ status: cairo_status_t) {
        message = String(cString: cairo_status_to_string(status))
    }

    public var description: String { "ошибка отрисовки (cairo): \(message)" }
}
