import ForumDomain
import Foundation

/// Bar charts drawn on the server as SVG, inline in the dashboard page: no script, nothing
/// fetched, every text escaped. Colours come from the page's stylesheet (classes), so the
/// Content-Security-Policy needs no inline style.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        /// The figure written beside the bar.
        var note: String
        /// Drawn in the alert colour (a hall over its seats, a desk gone quiet).
        var alert = false
    }

    /// Vertical columns with their labels under them (arrivals per ten minutes).
    static func columns(_ bars: [Bar], title: String) -> String {
        let width = 720.0, height = 220.0, bottom = 24.0, top = 18.0
        let peak = max(1, bars.map(\.value).max() ?? 1)
        // A few columns stay columns, not one block across the chart.
        let step = width / Double(max(12, bars.count))
        // Label every column while they fit, else every hour's first.
        let labelEvery = bars.count <= 18 ? 1 : 6
        var body = ""
        for (index, bar) in bars.enumerated() {
            let barHeight = (height - bottom - top) * bar.value / peak
            let x = Double(index) * step
            body += #"<rect class="\#(bar.alert ? "bar alert" : "bar")" x="\#(format(x + step * 0.1))" y="\#(format(height - bottom - barHeight))" width="\#(format(step * 0.8))" height="\#(format(barHeight))"><title>\#(PlainText.markup(bar.label)): \#(PlainText.markup(bar.note))</title></rect>"#
            if bar.value > 0 && bars.count <= 36 {
                body += #"<text class="note" x="\#(format(x + step / 2))" y="\#(format(height - bottom - barHeight - 4))" text-anchor="middle">\#(PlainText.markup(bar.note))</text>"#
            }
            if index % labelEvery == 0 {
                body += #"<text class="label" x="\#(format(x + step / 2))" y="\#(format(height - 6))" text-anchor="middle">\#(PlainText.markup(bar.label))</text>"#
            }
        }
        return svg(title: title, width: width, height: height, body: body)
    }

    /// Horizontal bars, one a row, against `maximum` (or the largest value).
    static func rows(_ bars: [Bar], title: String, maximum: Double? = nil) -> String {
        let width = 720.0, rowHeight = 26.0, labelWidth = 260.0, noteWidth = 90.0
        let height = max(rowHeight, rowHeight * Double(bars.count))
        let peak = max(maximum ?? 0, bars.map(\.value).max() ?? 0, 1)
        var body = ""
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight
            let length = (width - labelWidth - noteWidth) * min(bar.value, peak) / peak
            body += #"<text class="label" x="\#(format(labelWidth - 8))" y="\#(format(y + rowHeight * 0.68))" text-anchor="end">\#(PlainText.markup(bar.label.count > 32 ? bar.label.prefix(31) + "…" : bar.label))</text>"#
            body += #"<rect class="track" x="\#(format(labelWidth))" y="\#(format(y + 4))" width="\#(format(width - labelWidth - noteWidth))" height="\#(format(rowHeight - 8))"/>"#
            body += #"<rect class="\#(bar.alert ? "bar alert" : "bar")" x="\#(format(labelWidth))" y="\#(format(y + 4))" width="\#(format(length))" height="\#(format(rowHeight - 8))"><title>\#(PlainText.markup(bar.label)): \#(PlainText.markup(bar.note))</title></rect>"#
            body += #"<text class="note" x="\#(format(width - noteWidth + 6))" y="\#(format(y + rowHeight * 0.68))">\#(PlainText.markup(bar.note))</text>"#
        }
        return svg(title: title, width: width, height: height, body: body)
    }

    private static func svg(title: String, width: Double, height: Double, body: String) -> String {
        #"<svg class="chart" viewBox="0 0 \#(format(width)) \#(format(height))" role="img" aria-label="\#(PlainText.markup(title))"><title>\#(PlainText.markup(title))</title>\#(body)</svg>"#
    }


    private static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
