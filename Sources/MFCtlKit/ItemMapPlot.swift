/// `mfctl plot items`: item factors projected to 2-D, coloured by first genre,
/// the most-rated items labelled with their titles.
public struct ItemMapPlot {
    public struct Item: Sendable {
        public var id: Int64
        public var title: String?
        public var genres: [String]
        public var ratings: Int
        public init(id: Int64, title: String?, genres: [String], ratings: Int) {
            self.id = id; self.title = title; self.genres = genres; self.ratings = ratings
        }
    }

    public var items: [Item]
    public var projection: PCA.Projection
    public var labels: Int
    public var factors: Int

    /// `items[i]` sits at `projection.points[i]`; the `labels` most-rated get their title.
    public init(items: [Item], projection: PCA.Projection, factors: Int, labels: Int = 25) {
        self.items = items; self.projection = projection; self.factors = factors; self.labels = labels
    }

    /// A qualitative palette (Tableau 10 + 2) for the most common first genres.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                          "#b07aa1", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#8c564b"]
    static let otherColor = "#bab0ac"

    /// First genres by frequency, each with its colour; the rest share "other".
    var legend: [(genre: String, color: String)] {
        var counts: [String: Int] = [:]
        for it in items { counts[it.genres.first ?? "(none)", default: 0] += 1 }
        let order = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        return order.prefix(Self.palette.count).enumerated().map { ($1, Self.palette[$0]) }
    }

    /// Indices of the labelled items: most ratings first, ties by id.
    var labelled: [Int] {
        Array(items.indices.sorted { items[$0].ratings != items[$1].ratings ? items[$0].ratings > items[$1].ratings : items[$0].id < items[$1].id }
            .prefix(labels))
    }

    public func svg(width: Int = 1000, height: Int = 760) -> String {
        var doc = SVG(width: width, height: height)
        let left = 60.0, top = 50.0, legendWidth = 170.0
        let plotW = Double(width) - left - legendWidth - 20, plotH = Double(height) - top - 50
        doc.text("Item factors, PCA to 2-D (\(items.count) items, k = \(factors))", x: left, y: 28, size: 18, weight: "bold")
        let pts = projection.points
        // Scale to the 1st–99th percentile so a few outliers do not squash the map.
        func range(_ v: [Double]) -> (Double, Double) {
            let s = v.sorted()
            guard let first = s.first, let last = s.last else { return (-1, 1) }
            let lo = s.count > 200 ? s[s.count / 100] : first, hi = s.count > 200 ? s[s.count - 1 - s.count / 100] : last
            let pad = max((hi - lo) * 0.05, 1e-9)
            return (lo - pad, hi + pad)
        }
        let (x0, x1) = range(pts.map(\.x)), (y0, y1) = range(pts.map(\.y))
        func sx(_ x: Double) -> Double { left + (min(max(x, x0), x1) - x0) / (x1 - x0) * plotW }
        func sy(_ y: Double) -> Double { top + plotH - (min(max(y, y0), y1) - y0) / (y1 - y0) * plotH }
        doc.rect(left, top, plotW, plotH, fill: "#fafafa", stroke: "#ddd")
        if x0 < 0, x1 > 0 { doc.line(sx(0), top, sx(0), top + plotH, stroke: "#e4e4e4") }
        if y0 < 0, y1 > 0 { doc.line(left, sy(0), left + plotW, sy(0), stroke: "#e4e4e4") }
        doc.text(String(format: "PC1 (%.0f%% of variance)", projection.explained.0 * 100), x: left + plotW / 2, y: top + plotH + 30, size: 13, anchor: "middle")
        doc.text(String(format: "PC2 (%.0f%% of variance)", projection.explained.1 * 100), x: left - 20, y: top + plotH / 2, size: 13,
                 anchor: "middle", rotate: -90)

        let colors = Dictionary(uniqueKeysWithValues: legend.map { ($0.genre, $0.color) })
        func color(_ i: Int) -> String { colors[items[i].genres.first ?? "(none)"] ?? Self.otherColor }
        let marked = labelled
        let markedSet = Set(marked)
        for i in items.indices where !markedSet.contains(i) && i < pts.count {
            doc.circle(sx(pts[i].x), sy(pts[i].y), r: 2.6, fill: color(i), opacity: 0.55)
        }
        for i in marked where i < pts.count {
            doc.circle(sx(pts[i].x), sy(pts[i].y), r: 4.5, fill: color(i), stroke: "#333")
        }
        for i in marked where i < pts.count {
            let title = Table.truncate(items[i].title ?? "item \(items[i].id)", to: 32)
            let x = sx(pts[i].x), anchorEnd = x > left + plotW * 0.75
            doc.text(title, x: x + (anchorEnd ? -7 : 7), y: sy(pts[i].y) + 4, size: 11, anchor: anchorEnd ? "end" : "start", halo: true)
        }

        // Legend.
        let lx = left + plotW + 20
        doc.text("first genre", x: lx, y: top + 12, size: 13, weight: "bold")
        var ly = top + 34
        let hasOther = items.indices.contains { colors[items[$0].genres.first ?? "(none)"] == nil }
        for (genre, c) in legend + (hasOther ? [("other", Self.otherColor)] : []) {
            doc.circle(lx + 6, ly - 4, r: 5, fill: c)
            doc.text(Table.truncate(genre, to: 18), x: lx + 18, y: ly, size: 12)
            ly += 20
        }
        doc.circle(lx + 6, ly + 10, r: 4.5, fill: "#fff", stroke: "#333")
        doc.text("labelled: \(marked.count)", x: lx + 18, y: ly + 14, size: 12)
        doc.text("most-rated", x: lx + 18, y: ly + 30, size: 12)
        return doc.document
    }
}
