import Crypto
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumTestSupport
import Foundation
import Testing

@Suite struct QRCodeTests {
    let signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: "3f2a9c0d1e2b4a5c")

    @Test func theQRCodeIsVersionSixOrLowerAtLevelM() throws {
        let largest = BadgeCredential(participantID: Int64(UInt32.max), serial: Int(UInt16.max))
        let code = try QRCode(try signer.code(for: largest))
        #expect(code.version <= 6)
        #expect(code.width == 17 + 4 * code.version)
    }

    @Test func aScannerReadsThePNG() throws {
        let text = try signer.code(for: BadgeCredential(participantID: 7_412, serial: 3))
        let png = try QRImage.png(try QRCode(text), scale: 6)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let file = try ExternalTool.temporaryFile(png, named: "qr.png")
        // zbarimg from Debian's zbar-tools, installed by the README's commands.
        let decoded = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", file])
        #expect(decoded.status == 0, "\(decoded.errors)")
        #expect(decoded.output.split(separator: "\n").contains(Substring(text)))
        let svg = String(decoding: try QRImage.svg(try QRCode(text)), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("</svg>"))
    }
}
