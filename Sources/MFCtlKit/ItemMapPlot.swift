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

    /// Where `svg` draws: the plot frame, the data range it shows, the labelled markers and their labels.
    public struct Layout {
        public var frame: LabelLayout.Box
        public var xRange: (Double, Double), yRange: (Double, Double)
        /// Indices of the labelled items, most-rated first.
        public var marked: [Int]
        public var labels: [LabelLayout.Placed]

        /// Canvas position of a data point, not clamped.
        public func position(_ p: (x: Double, y: Double)) -> (x: Double, y: Double) {
            (frame.x + (p.x - xRange.0) / (xRange.1 - xRange.0) * frame.w, frame.maxY - (p.y - yRange.0) / (yRange.1 - yRange.0) * frame.h)
        }
    }

    static let markerRadius = 4.5
    static let labelSize = 11.0

    /// The view covers the 1st–99th percentile of all points (so a few outliers do not squash
    /// the map) and every labelled point, at its real position; labels are placed without overlaps.
    public func layout(width: Int = 1000, height: Int = 760) -> Layout {
        let left = 60.0, top = 50.0, legendWidth = 170.0
        let frame = LabelLayout.Box(x: left, y: top, w: Double(width) - left - legendWidth - 20, h: Double(height) - top - 50)
        let pts = projection.points
        let marked = labelled.filter { $0 < pts.count }
        func range(_ v: [Double], _ keep: [Double]) -> (Double, Double) {
            let s = v.sorted()
            guard let first = s.first, let last = s.last else { return (-1, 1) }
            var lo = s.count > 200 ? s[s.count / 100] : first, hi = s.count > 200 ? s[s.count - 1 - s.count / 100] : last
            lo = min(lo, keep.min() ?? lo); hi = max(hi, keep.max() ?? hi)
            let pad = max((hi - lo) * 0.04, 1e-9)
            return (lo - pad, hi + pad)
        }
        var layout = Layout(frame: frame, xRange: range(pts.map(\.x), marked.map { pts[$0].x }),
                            yRange: range(pts.map(\.y), marked.map { pts[$0].y }), marked: marked, labels: [])
        let at = marked.map { layout.position(pts[$0]) }
        let r = Self.markerRadius + 1
        layout.labels = LabelLayout.place(
            texts: marked.map { Table.truncate(items[$0].title ?? "item \(items[$0].id)", to: 32) }, points: at,
            markers: at.map { LabelLayout.Box(x: $0.x - r, y: $0.y - r, w: 2 * r, h: 2 * r) },
            frame: LabelLayout.Box(x: frame.x + 2, y: frame.y + 2, w: frame.w - 4, h: frame.h - 4), size: Self.labelSize)
        return layout
    }

    public func svg(width: Int = 1000, height: Int = 760) -> String {
        var doc = SVG(width: width, height: height)
        let layout = layout(width: width, height: height)
        let frame = layout.frame, left = frame.x, top = frame.y, plotW = frame.w, plotH = frame.h
        doc.text("Item factors, PCA to 2-D (\(items.count) items, k = \(factors))", x: left, y: 28, size: 18, weight: "bold")
        let pts = projection.points
        doc.rect(left, top, plotW, plotH, fill: "#fafafa", stroke: "#ddd")
        let (x0, x1) = layout.xRange, (y0, y1) = layout.yRange
        if x0 < 0, x1 > 0 { let x = layout.position((0, 0)).x; doc.line(x, top, x, top + plotH, stroke: "#e4e4e4") }
        if y0 < 0, y1 > 0 { let y = layout.position((0, 0)).y; doc.line(left, y, left + plotW, y, stroke: "#e4e4e4") }
        doc.text(String(format: "PC1 (%.0f%% of variance)", projection.explained.0 * 100), x: left + plotW / 2, y: top + plotH + 30, size: 13, anchor: "middle")
        doc.text(String(format: "PC2 (%.0f%% of variance)", projection.explained.1 * 100), x: left - 20, y: top + plotH / 2, size: 13,
                 anchor: "middle", rotate: -90)

        let colors = Dictionary(uniqueKeysWithValues: legend.map { ($0.genre, $0.color) })
        func color(_ i: Int) -> String { colors[items[i].genres.first ?? "(none)"] ?? Self.otherColor }
        let marked = layout.marked
        let markedSet = Set(marked)
        // Unlabelled outliers beyond the view are left out (and counted in the legend), not piled on the border.
        var outside = 0
        for i in items.indices where !markedSet.contains(i) && i < pts.count {
            let c = layout.position(pts[i])
            guard c.x >= left, c.x <= left + plotW, c.y >= top, c.y <= top + plotH else { outside += 1; continue }
            doc.circle(c.x, c.y, r: 2.6, fill: color(i), opacity: 0.55)
        }
        for label in layout.labels { if let l = label.leader { doc.line(l.x1, l.y1, l.x2, l.y2, stroke: "#555", width: 1) } }
        for i in marked {
            let c = layout.position(pts[i])
            doc.circle(c.x, c.y, r: Self.markerRadius, fill: color(i), stroke: "#333")
        }
        for label in layout.labels {
            doc.text(label.text, x: label.x, y: label.baseline, size: Self.labelSize, anchor: label.anchor, halo: true)
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
        var notes: [String] = []
        if layout.labels.count < marked.count { notes += ["\(marked.count - layout.labels.count) titles left out", "for lack of room"] }
        if outside > 0 { notes += ["\(outside) outliers beyond", "the view not drawn"] }
        for (n, note) in notes.enumerated() { doc.text(note, x: lx, y: ly + 54 + Double(n) * 16, size: 12, fill: "#666") }
        return doc.document
    }
}
