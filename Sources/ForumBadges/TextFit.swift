import CCairo

/// Text set into a box of a given width: the largest size from `largest` down to `smallest` at
/// which it fits in `maxLines` lines, wrapped at spaces, then at hyphens, then (a word wider
/// than the box at the smallest size) between letters. It never runs past the box.
struct TextFit {
    var lines: [String]
    var size: Double
    var bold: Bool

    var lineHeight: Double { size * 1.18 }
    var height: Double { Double(lines.count) * lineHeight }

    init(_ text: String, in cr: OpaquePointer?, font: String, bold: Bool, width: Double, maxLines: Int, largest: Double, smallest: Double) {
        self.bold = bold
        TextFit.select(font, bold: bold, in: cr)
        var size = largest
        while true {
            cairo_set_font_size(cr, size)
            let (wrapped, brokeWords) = TextFit.wrap(text, width: width, in: cr)
            if wrapped.count <= maxLines && !brokeWords || size <= smallest {
                lines = wrapped
                self.size = size
                return
            }
            size = max(smallest, size - 0.5)
        }
    }

    static func select(_ font: String, bold: Bool, in cr: OpaquePointer?) {
        cairo_select_font_face(cr, font, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    }

    static func advance(_ text: String, in cr: OpaquePointer?) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// Lines no wider than `width` at the current font and size, and whether a word had to be
    /// broken between letters to get there.
    static func wrap(_ text: String, width: Double, in cr: OpaquePointer?) -> (lines: [String], brokeWords: Bool) {
        var lines: [String] = []
        var line = ""
        let (pieces, brokeWords) = pieces(of: text, width: width, in: cr)
        for word in pieces {
            let joined = line.isEmpty ? word : (line.hasSuffix("-") ? line + word : line + " " + word)
            if advance(joined, in: cr) <= width {
                line = joined
            } else {
                if !line.isEmpty { lines.append(line) }
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return (lines, brokeWords)
    }

    /// Words, with a word wider than the box split after its hyphens and, if still too wide,
    /// between letters.
    private static func pieces(of text: String, width: Double, in cr: OpaquePointer?) -> ([String], Bool) {
        var broke = false
        let pieces = text.split(separator: " ").flatMap { word -> [String] in
            guard advance(String(word), in: cr) > width else { return [String(word)] }
            var parts = word.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            for index in parts.indices.dropLast() { parts[index] += "-" }
            return parts.flatMap { part -> [String] in
                guard advance(part, in: cr) > width else { return [part] }
                broke = true
                var chunks: [String] = []
                var chunk = ""
                for character in part {
                    if advance(chunk + String(character), in: cr) > width, !chunk.isEmpty {
                        chunks.append(chunk)
                        chunk = ""
                    }
                    chunk.append(character)
                }
                return chunks + [chunk]
            }
        }
        return (pieces, broke)
    }
}
