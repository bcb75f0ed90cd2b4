import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import MFCtlKit
import MFProtocol

/// PCA and the two SVG pictures.
struct PlotTests {
    /// Points on a tilted line plus small noise along a second direction: PC1 is the line.
    static func tilted(count: Int) -> [Float] {
        (0..<count).flatMap { i -> [Float] in
            let t = Float(i - count / 2) / Float(count)
            let s: Float = (i % 2 == 0 ? 0.1 : -0.1)
            // Basis u = (0.6, 0.8, 0), w = (0, 0, 1): row = 10 t u + s w + offset.
            return [6 * t + 1, 8 * t - 2, s + 3]
        }
    }

    @Test func pcaFindsTheMainDirections() {
        let p = PCA.project(Self.tilted(count: 101), count: 101, k: 3)
        #expect(p.points.count == 101)
        #expect(p.explained.0 > 0.95 && p.explained.0 + p.explained.1 > 0.999, "\(p.explained)")
        // PC1 is the position along the line (sign fixed), PC2 the ± 0.1 offset.
        let (a, b) = (p.points[0], p.points[100])
        #expect(abs(abs(b.x - a.x) - 10 * 100.0 / 101) < 1e-3)
        #expect(abs(abs(p.points[1].y) - 0.1) < 2e-3)
        let meanX = p.points.map(\.x).reduce(0, +) / 101
        #expect(abs(meanX) < 1e-6)
    }

    @Test func pcaIsDeterministicAndSafeOnDegenerateInput() {
        let rows = Self.tilted(count: 50)
        #expect(PCA.project(rows, count: 50, k: 3) == PCA.project(rows, count: 50, k: 3))
        let constant = PCA.project([Float](repeating: 1, count: 30), count: 10, k: 3)
        #expect(constant.points.allSatisfy { $0.x == 0 && $0.y == 0 } && constant.explained == (0, 0))
        #expect(PCA.project([], count: 0, k: 4).points.isEmpty)
        #expect(PCA.project([1, 2, 3], count: 3, k: 1).points.map(\.y) == [0, 0, 0])
        #expect(PCA.project([1, 2], count: 3, k: 1).points.isEmpty)  // wrong shape
    }

    static func items(_ n: Int) -> [ItemMapPlot.Item] {
        let genres = ["Drama", "Comedy", "Action", "Sci-Fi", "Horror"]
        return (0..<n).map { i in
            ItemMapPlot.Item(id: Int64(i + 1), title: i == 3 ? "Tom & Jerry <\"Cats\">" : "Movie \(i + 1) (19\(10 + i % 90))",
                             genres: [genres[i % genres.count]], ratings: i == 3 ? 10_000 : i)
        }
    }

    @Test func itemMapIsValidSelfContainedSVG() throws {
        let items = Self.items(60)
        let rows: [Float] = (0..<60).flatMap { (i: Int) -> [Float] in
            let a = Float(i % 7), b = Float(i % 5), c = Float(i % 3)
            return [a, b, c, Float(i) / 10]
        }
        let plot = ItemMapPlot(items: items, projection: PCA.project(rows, count: 60, k: 4), factors: 4, labels: 5)
        let svg = plot.svg()
        let doc = try XMLDocument(data: Data(svg.utf8))  // well-formed XML
        #expect(doc.rootElement()?.name == "svg")
        #expect(!svg.contains("href") && !svg.contains("<script") && !svg.contains("<image"))
        #expect(svg.components(separatedBy: "<circle").count - 1 >= 60)
        // The most-rated item is labelled first, escaped; four more labels follow, by ratings.
        #expect(svg.contains("Tom &amp; Jerry &lt;&quot;Cats&quot;&gt;"))
        #expect(plot.labelled == [3, 59, 58, 57, 56])
        for g in ["Drama", "Comedy", "Action", "Sci-Fi", "Horror"] { #expect(svg.contains(">\(g)</text>")) }
        #expect(svg.contains("PC1 ("))
    }

    @Test func legendGroupsRareGenresAsOther() {
        let items = (0..<40).map { ItemMapPlot.Item(id: Int64($0), title: nil, genres: ["G\($0 % 20)"], ratings: 1) }
        let plot = ItemMapPlot(items: items, projection: PCA.project((0..<80).map { Float($0 % 9) }, count: 40, k: 2), factors: 2, labels: 0)
        #expect(plot.legend.count == ItemMapPlot.palette.count)
        #expect(plot.svg().contains(">other</text>"))
    }

    @Test func trainingCurveDrawsBothPanels() throws {
        let epochs = (1...15).map { EpochInfo(epoch: $0, loss: 2 / Double($0), trainRMSE: 0.6 + 0.3 / Double($0), holdoutRMSE: 0.85 + 0.2 / Double($0)) }
        let svg = TrainingCurvePlot(epochs: epochs.reversed(), job: 7).svg()
        _ = try XMLDocument(data: Data(svg.utf8))
        #expect(svg.contains("Training job 7: 15 epochs"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
        #expect(svg.contains(">holdout RMSE</text>") && svg.contains(">train RMSE</text>") && svg.contains(">loss</text>"))
        // Epochs are sorted: the loss polyline starts at the left edge (x = 80).
        let loss = try #require(svg.split(separator: "\n").first { $0.contains("<polyline") && $0.contains("#4e79a7") })
        #expect(loss.contains("points=\"80,"))
    }

    @Test func trainingCurveWithoutRMSESaysSo() {
        let svg = TrainingCurvePlot(epochs: [EpochInfo(epoch: 1, loss: 1), EpochInfo(epoch: 2, loss: 0.5)], job: 1).svg()
        #expect(svg.contains("RMSE: not reported by the daemon"))
    }

    @Test func ticksAreRound() {
        #expect(SVG.ticks(0, 1, count: 5).map(SVG.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(SVG.ticks(0.83, 0.97, count: 5).map(SVG.label) == ["0.85", "0.9", "0.95"])
        #expect(SVG.ticks(1, 15, count: 10).map(SVG.label) == ["2", "4", "6", "8", "10", "12", "14"])
        #expect(SVG.escape("a<b>&\"\u{1}") == "a&lt;b&gt;&amp;&quot;")
    }
}

/// `plot items` labels: the labelled points at their real positions, no two titles on top of each other.
struct ItemMapLabelTests {
    /// Like the demo catalogue: a bulk of 3000 items around the origin and the 25 most-rated
    /// (under 1%, so beyond the 99th percentile) far out along one direction, close together, with long titles.
    static func demoLike() -> ItemMapPlot {
        var seed: UInt64 = 7
        func noise() -> Float {  // deterministic, in [-1, 1)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(seed >> 40) / Float(1 << 23) - 1
        }
        var rows: [Float] = [], items: [ItemMapPlot.Item] = []
        for i in 0..<3025 {
            let popular = i >= 3000
            rows += popular ? [8 + 0.6 * noise(), 0.5 * noise(), 0.5 * noise(), 0.3 * noise()] : [noise(), noise(), 0.7 * noise(), 0.5 * noise()]
            items.append(ItemMapPlot.Item(id: Int64(i + 1), title: popular ? "A Rather Long Title Number \(i) (1999)" : "Item \(i)",
                                          genres: [["Drama", "Comedy", "Action"][i % 3]], ratings: popular ? 1000 + i : i % 50))
        }
        return ItemMapPlot(items: items, projection: PCA.project(rows, count: 3025, k: 4), factors: 4, labels: 25)
    }

    /// The root's child elements named `name` (by local name: the document has a default namespace).
    static func elements(_ root: XMLElement, _ name: String) -> [XMLElement] {
        (root.children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == name }
    }

    /// Attribute `name` of an element (by local name, as for elements).
    static func attr(_ e: XMLElement, _ name: String) -> String? { e.attributes?.first { $0.localName == name }?.stringValue }

    /// Attribute `name` of an element as a number.
    static func number(_ e: XMLElement, _ name: String) -> Double { Double(attr(e, name) ?? "") ?? .nan }

    @Test func labelsDoNotOverlapAndLabelledPointsAreNotClamped() throws {
        let plot = Self.demoLike()
        let svg = plot.svg()
        let doc = try XMLDocument(data: Data(svg.utf8))
        let root = try #require(doc.rootElement())
        let rects = Self.elements(root, "rect").filter { Self.attr($0, "fill") == "#fafafa" }
        let r = try #require(rects.first)
        let frame = LabelLayout.Box(x: Self.number(r, "x"), y: Self.number(r, "y"), w: Self.number(r, "width"), h: Self.number(r, "height"))

        // Labelled markers: r = 4.5 with a dark outline (the legend's white sample excluded).
        let markers = Self.elements(root, "circle").filter {
            Self.attr($0, "stroke") == "#333" && Self.attr($0, "fill") != "#fff"
        }
        #expect(markers.count == 25)
        let layout = plot.layout()
        for (m, i) in zip(markers, layout.marked) {
            let (cx, cy) = (Self.number(m, "cx"), Self.number(m, "cy"))
            #expect(cx > frame.x + 1 && cx < frame.maxX - 1 && cy > frame.y + 1 && cy < frame.maxY - 1,
                    "labelled item \(i) clamped to the border at (\(cx), \(cy))")
            let real = layout.position(plot.projection.points[i])
            #expect(abs(real.x - cx) < 0.01 && abs(real.y - cy) < 0.01, "item \(i) drawn at (\(cx), \(cy)), not its position \(real)")
        }

        // Drawn titles (the texts with a white halo): inside the frame, never overlapping each other or a marker.
        let labels = Self.elements(root, "text").filter { Self.attr($0, "stroke") == "#fff" }
        let boxes = labels.map { t in
            LabelLayout.box(t.stringValue ?? "", x: Self.number(t, "x"), baseline: Self.number(t, "y"),
                            anchor: Self.attr(t, "text-anchor") ?? "start", size: Self.number(t, "font-size"))
        }
        #expect(boxes.count >= 15, "only \(boxes.count) of 25 titles placed")
        for (a, box) in boxes.enumerated() {
            #expect(box.isInside(frame), "label '\(labels[a].stringValue ?? "")' leaves the frame")
            for b in boxes.indices where b > a {
                #expect(!box.intersects(boxes[b]), "labels '\(labels[a].stringValue ?? "")' and '\(labels[b].stringValue ?? "")' overlap")
            }
            for m in markers {
                let (cx, cy) = (Self.number(m, "cx"), Self.number(m, "cy"))
                #expect(!box.intersects(LabelLayout.Box(x: cx - 4.5, y: cy - 4.5, w: 9, h: 9)), "label '\(labels[a].stringValue ?? "")' covers a marker")
            }
        }
    }

    @Test func crowdedPointsGetShortenedOrSkippedLabels() {
        // Forty labels for one point in a frame narrower than a full title: the titles are
        // shortened, some left out, and whatever is placed does not overlap.
        let texts = (0..<40).map { "Some Title \($0) With Many Words" }
        let points = [(x: Double, y: Double)](repeating: (60, 100), count: 40)
        let frame = LabelLayout.Box(x: 0, y: 0, w: 120, h: 200)
        #expect(LabelLayout.textWidth(texts[0], size: 11) > frame.w)
        let placed = LabelLayout.place(texts: texts, points: points, markers: [LabelLayout.Box(x: 54.5, y: 94.5, w: 11, h: 11)], frame: frame)
        #expect(!placed.isEmpty && placed.count < 40)
        #expect(placed.allSatisfy { $0.text.hasSuffix("…") && $0.text.count == 16 }, "\(placed.map(\.text))")
        for (a, p) in placed.enumerated() {
            #expect(p.box.isInside(frame))
            for q in placed[(a + 1)...] { #expect(!p.box.intersects(q.box)) }
        }
    }

    @Test func boxAndSegmentGeometry() {
        let b = LabelLayout.Box(x: 0, y: 0, w: 10, h: 10)
        #expect(b.crosses((-5, 5, 15, 5)) && !b.crosses((-5, 15, 15, 15)) && b.crosses((2, 2, 3, 3)))
        #expect(!b.intersects(LabelLayout.Box(x: 10, y: 0, w: 5, h: 5)))  // touching edges do not overlap
        #expect(LabelLayout.cross((0, 0, 10, 10), (0, 10, 10, 0)) && !LabelLayout.cross((0, 0, 10, 0), (0, 1, 10, 1)))
        // DejaVu Sans advance widths: "W" is wider than "i"; 11 px "Toy Story (1995)" is about 96 px.
        #expect(LabelLayout.textWidth("W", size: 10) > LabelLayout.textWidth("i", size: 10))
        #expect(abs(LabelLayout.textWidth("Toy Story (1995)", size: 11) - 96) < 4)
    }
}
