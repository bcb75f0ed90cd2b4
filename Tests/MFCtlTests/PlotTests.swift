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
