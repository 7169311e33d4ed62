import CQRencode

/// A QR code made by libqrencode at error-correction level M; the class owns the C result and
/// frees it.
public final class QRCode: @unchecked Sendable {
    private let code: UnsafeMutablePointer<CQRencode.QRcode>

    /// Encodes `text`; libqrencode picks the smallest version and the modes (alphanumeric for
    /// a badge code).
    public init(_ text: String) throws(QRCodeError) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { throw QRCodeError(text: text) }
        self.code = code
    }

    deinit {
        QRcode_free(code)
    }

    /// The symbol version (1…40).
    public var version: Int { Int(code.pointee.version) }

    /// Modules on a side.
    public var width: Int { Int(code.pointee.width) }

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool {
        code.pointee.data[y * width + x] & 1 == 1
    }
}

/// libqrencode could not encode the text (too long for a QR code).
public struct QRCodeError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String { "не удаётся закодировать QR-код (\(text.count) символов)" }
}
