import ForumDomain
import Foundation

/// How a badge looks: its size (A6 by default), margins, font, the QR code's and the colour
/// band's size, and a colour per category. Read from `Config/badge.json`; every key may be left
/// out for its default.
public struct BadgeLayout: Sendable, Hashable, Codable {
    public var widthMillimetres: Double = 105
    public var heightMillimetres: Double = 148
    public var marginMillimetres: Double = 7
    public var font = "DejaVu Sans"
    public var qrMillimetres: Double = 38
    public var bandMillimetres: Double = 18
    public var textColour = "#1A1A1A"
    public var categoryColours: [String: String] = [
        "participant": "#1F5FA8", "speaker": "#C62828", "moderator": "#6A1B9A", "guest_of_honour": "#B8860B",
        "press": "#2E7D32", "organiser": "#EF6C00", "volunteer": "#00838F", "staff": "#455A64",
    ]

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BadgeLayout()
        widthMillimetres = try container.decodeIfPresent(Double.self, forKey: .widthMillimetres) ?? defaults.widthMillimetres
        heightMillimetres = try container.decodeIfPresent(Double.self, forKey: .heightMillimetres) ?? defaults.heightMillimetres
        marginMillimetres = try container.decodeIfPresent(Double.self, forKey: .marginMillimetres) ?? defaults.marginMillimetres
        font = try container.decodeIfPresent(String.self, forKey: .font) ?? defaults.font
        qrMillimetres = try container.decodeIfPresent(Double.self, forKey: .qrMillimetres) ?? defaults.qrMillimetres
        bandMillimetres = try container.decodeIfPresent(Double.self, forKey: .bandMillimetres) ?? defaults.bandMillimetres
        textColour = try container.decodeIfPresent(String.self, forKey: .textColour) ?? defaults.textColour
        categoryColours = defaults.categoryColours.merging(
            try container.decodeIfPresent([String: String].self, forKey: .categoryColours) ?? [:], uniquingKeysWith: { $1 }
        )
    }

    /// Reads a layout file; a missing file gives the defaults. Problems name the file.
    public static func load(path: String) throws -> BadgeLayout {
        guard let data = FileManager.default.contents(atPath: path) else { return BadgeLayout() }
        let layout: BadgeLayout
        do {
            layout = try JSONDecoder().decode(BadgeLayout.self, from: data)
        } catch {
            throw BadgeLayoutProblem(path: path, message: "не разобран JSON: \(error)")
        }
        for (category, colour) in layout.categoryColours where RGB(hex: colour) == nil {
            throw BadgeLayoutProblem(path: path, message: "categoryColours.\(category): «\(colour)» — ожидается цвет #RRGGBB")
        }
        guard RGB(hex: layout.textColour) != nil else {
            throw BadgeLayoutProblem(path: path, message: "textColour: «\(layout.textColour)» — ожидается цвет #RRGGBB")
        }
        guard layout.widthMillimetres >= 50, layout.heightMillimetres >= 50, layout.qrMillimetres >= 20,
              layout.qrMillimetres + layout.bandMillimetres + 2 * layout.marginMillimetres < layout.heightMillimetres
        else { throw BadgeLayoutProblem(path: path, message: "размеры не помещаются: бейдж не меньше 50×50 мм, QR-код не меньше 20 мм") }
        return layout
    }

    static let pointsPerMillimetre = 72 / 25.4

    var width: Double { widthMillimetres * Self.pointsPerMillimetre }
    var height: Double { heightMillimetres * Self.pointsPerMillimetre }
    var margin: Double { marginMillimetres * Self.pointsPerMillimetre }
    var qrSize: Double { qrMillimetres * Self.pointsPerMillimetre }
    var bandHeight: Double { bandMillimetres * Self.pointsPerMillimetre }

    func colour(of category: ParticipantCategory) -> RGB {
        categoryColours[category.rawValue].flatMap(RGB.init(hex:)) ?? RGB(red: 0.2, green: 0.2, blue: 0.2)
    }
}

/// A layout file that cannot be used.
public struct BadgeLayoutProblem: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// A colour for cairo.
struct RGB: Hashable {
    var red, green, blue: Double

    init(red: Double, green: Double, blue: Double) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// `#RRGGBB`.
    init?(hex: String) {
        guard hex.count == 7, hex.first == "#", let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        red = Double(value >> 16 & 0xFF) / 255
        green = Double(value >> 8 & 0xFF) / 255
        blue = Double(value & 0xFF) / 255
    }
}
