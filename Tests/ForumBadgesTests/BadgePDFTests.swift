import CCairo
import Crypto
@testable import ForumBadges
import ForumCredentials
import ForumDomain
import ForumTestSupport
import Foundation
import Testing

@Suite struct BadgePDFTests {
    let signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: "3f2a9c0d1e2b4a5c")
    static let forumName = "Всероссийский муниципальный форум «Малая Родина — сила России»"

    private func content(_ number: Int, lastName: String = "Кузьмина", position: String? = "Глава", category: ParticipantCategory = .participant) throws -> BadgeContent {
        var details = Sample.details(number, lastName: lastName)
        details.position = position
        details.category = category
        let participant = Participant(id: Int64(number), details: details, badgeSerial: 2, feedToken: "t", createdAt: Date(), updatedAt: Date())
        return BadgeContent(participant, code: try signer.code(for: participant), forumName: Self.forumName)
    }

    @Test func everyQROnTheRenderedPagesDecodesToACodeThatVerifies() throws {
        let badges = try (1...6).map { try content($0, category: ParticipantCategory.allCases[$0 % 8]) }
        for sheet in BadgePDF.Sheet.allCases {
            let pdf = try ExternalTool.temporaryFile(try BadgePDF.data(badges, renderer: BadgeRenderer(), sheet: sheet), named: "badges.pdf")
            let info = try ExternalTool.run("/usr/bin/pdfinfo", [pdf])
            #expect(info.output.contains("Pages:           \(sheet == .single ? 6 : 2)"), "\(info.output)")
            let fonts = try ExternalTool.run("/usr/bin/pdffonts", [pdf])
            #expect(fonts.output.contains("DejaVuSans") && !fonts.output.contains(" no  "))  // every font embedded
            // Pages rendered as a printer would, then scanned.
            let prefix = pdf + "-page"
            #expect(try ExternalTool.run("/usr/bin/pdftoppm", ["-r", "150", "-png", pdf, prefix]).status == 0)
            let pages = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                .filter { $0.hasPrefix(URL(fileURLWithPath: prefix).lastPathComponent) && $0.hasSuffix(".png") }
            #expect(pages.count == (sheet == .single ? 6 : 2))
            var decoded: [BadgeCredential] = []
            for page in pages {
                let scan = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", FileManager.default.temporaryDirectory.appendingPathComponent(page).path])
                for line in scan.output.split(separator: "\n") {
                    decoded.append(try signer.verifier.credential(String(line)))
                }
            }
            #expect(Set(decoded) == Set((1...6).map { BadgeCredential(participantID: Int64($0), serial: 2) }), "\(sheet)")
        }
    }

    @Test func longNamesAndPositionsFitInsideTheirBoxes() throws {
        let long = try content(
            1, lastName: "Константинопольская-Преображенская",
            position: String(repeating: "Заместитель главы администрации по вопросам ЖКХ и благоустройства ", count: 2).prefix(120).description
        )
        var extended = long
        extended.givenNames = "Александра Владиславовна"
        #expect(extended.position?.count == 120)
        let renderer = BadgeRenderer()
        let layout = renderer.layout
        let surface = cairo_pdf_surface_create(nil, layout.width, layout.height)
        let cr = cairo_create(surface)
        defer {
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
        }
        let placed = renderer.place(extended, in: cr)
        let qrTop = layout.height - layout.bandHeight - layout.qrSize - layout.margin / 2
        for block in placed {
            TextFit.select(layout.font, bold: block.fit.bold, in: cr)
            cairo_set_font_size(cr, block.fit.size)
            for line in block.fit.lines {
                #expect(TextFit.advance(line, in: cr) <= layout.width - 2 * layout.margin + 0.01, "\(line)")
            }
            #expect(block.y + block.fit.height <= qrTop, "block \(block.fit.lines) reaches the QR code")
        }
        let surname = try #require(placed.first { $0.fit.bold })
        #expect(surname.fit.lines == ["Константинопольская-", "Преображенская"])  // broken at the hyphen, not inside a word
        #expect(placed.map { $0.fit.lines.joined(separator: " ") }.contains { $0.contains("благоустройства") })
    }

    @Test func aLayoutFileWithABadColourIsRefusedNamingIt() throws {
        let file = try ExternalTool.temporaryFile(Data(#"{"categoryColours": {"press": "зелёный"}}"#.utf8), named: "badge.json")
        #expect(throws: BadgeLayoutProblem.self) { try BadgeLayout.load(path: file) }
        let partial = try ExternalTool.temporaryFile(Data(#"{"qrMillimetres": 40}"#.utf8), named: "badge.json")
        let layout = try BadgeLayout.load(path: partial)
        #expect(layout.qrMillimetres == 40 && layout.widthMillimetres == 105 && layout.categoryColours.count == 8)
        #expect(try BadgeLayout.load(path: "/no/such/badge.json") == BadgeLayout())
    }

    @Test func aFullDiskSaysSoInsteadOfCairosGenericError() throws {
        let descriptor = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let full = #expect(throws: POSIXError.self) {
            let pdf = try BadgePDF(renderer: BadgeRenderer(), sheet: .single) { bytes in
                guard write(descriptor, bytes.baseAddress, bytes.count) == bytes.count else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            }
            for number in 1...3 { try pdf.add(try content(number)) }
            try pdf.finish()
        }
        #expect(full?.code == .ENOSPC)
    }

    @Test func aPDFGivenUpHalfWayWritesNothingMoreAndFinishingTwiceIsHarmless() throws {
        final class Bytes: @unchecked Sendable { var count = 0 }
        let written = Bytes()
        var before = 0
        do {
            let pdf = try BadgePDF(renderer: BadgeRenderer(), sheet: .a4) { bytes in written.count += bytes.count }
            try pdf.add(try content(1))
            try pdf.add(try content(2))
            before = written.count
        }  // abandoned, as when an error comes half-way: the surface and context are freed (make asan)
        #expect(written.count == before)  // and nothing more was written: no page, fonts or trailer of a file given up

        var data = Data()
        let pdf = try BadgePDF(renderer: BadgeRenderer(), sheet: .single) { bytes in data.append(contentsOf: bytes) }
        try pdf.add(try content(1))
        try pdf.finish()
        let length = data.count
        try pdf.finish()
        #expect(data.count == length && data.suffix(6).starts(with: Data("%%EOF".utf8)))
    }

    @Test func aBadgeWhoseCodeCannotBeDrawnFailsWithoutLeavingCairoBehind() throws {
        var tooLong = try content(1)
        tooLong.code = String(repeating: "ж", count: 4000)  // more than any QR code holds
        #expect(throws: QRCodeError.self) { try BadgeRenderer().png(tooLong) }
        #expect(throws: QRCodeError.self) { try BadgePDF.data([try content(1), tooLong], renderer: BadgeRenderer()) }
    }
}
