import MFProtocol

/// `mfctl plot training`: loss (top panel) and RMSE (bottom panel: holdout solid,
/// train dashed) per epoch of one training job.
public struct TrainingCurvePlot {
    public var epochs: [EpochInfo]
    public var job: Int64

    public init(epochs: [EpochInfo], job: Int64) { self.epochs = epochs.sorted { $0.epoch < $1.epoch }; self.job = job }

    public func svg(width: Int = 900, height: Int = 640) -> String {
        var doc = SVG(width: width, height: height)
        let left = 80.0, right = 30.0, plotW = Double(width) - left - right
        doc.text("Training job \(job): \(epochs.count) epochs", x: left, y: 30, size: 18, weight: "bold")
        let xs = epochs.map { Double($0.epoch) }
        let xr = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1))
        let panelH = (Double(height) - 60 - 60 - 50) / 2
        panel(&doc, top: 60, height: panelH, title: "training loss", left: left, width: plotW, xr: xr,
              series: [("loss", "#4e79a7", nil, epochs.map { ($0.epoch, $0.loss) })])
        panel(&doc, top: 60 + panelH + 60, height: panelH, title: "RMSE", left: left, width: plotW, xr: xr,
              series: [("holdout RMSE", "#e15759", nil, epochs.compactMap { e in e.holdoutRMSE.map { (e.epoch, $0) } }),
                       ("train RMSE", "#f28e2b", "6 4", epochs.compactMap { e in e.trainRMSE.map { (e.epoch, $0) } })])
        doc.text("epoch", x: left + plotW / 2, y: Double(height) - 12, size: 13, anchor: "middle")
        return doc.document
    }

    private func panel(_ doc: inout SVG, top: Double, height: Double, title: String, left: Double, width: Double,
                       xr: (Double, Double), series: [(String, String, String?, [(Int, Double)])]) {
        doc.rect(left, top, width, height, fill: "#fafafa", stroke: "#ddd")
        let values = series.flatMap { $0.3.map(\.1) }.filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max() else {
            doc.text("\(title): not reported by the daemon", x: left + width / 2, y: top + height / 2, size: 13, anchor: "middle", fill: "#888")
            return
        }
        let pad = max((hi - lo) * 0.08, abs(hi) * 0.01, 1e-6)
        let y0 = lo - pad, y1 = hi + pad
        func sx(_ x: Double) -> Double { left + (x - xr.0) / (xr.1 - xr.0) * width }
        func sy(_ y: Double) -> Double { top + height - (y - y0) / (y1 - y0) * height }
        for t in SVG.ticks(y0, y1, count: 5) {
            doc.line(left, sy(t), left + width, sy(t), stroke: "#e8e8e8")
            doc.text(SVG.label(t), x: left - 8, y: sy(t) + 4, size: 11, anchor: "end", fill: "#555")
        }
        for t in SVG.ticks(xr.0, xr.1, count: min(10, Int(xr.1 - xr.0))) where t == t.rounded() {
            doc.line(sx(t), top + height, sx(t), top + height + 5, stroke: "#999")
            doc.text(SVG.label(t), x: sx(t), y: top + height + 18, size: 11, anchor: "middle", fill: "#555")
        }
        doc.text(title, x: left - 60, y: top + height / 2, size: 13, anchor: "middle", rotate: -90)
        var lx = left + width - 10
        for (name, color, dash, pts) in series.reversed() where !pts.isEmpty {
            let p = pts.filter { $0.1.isFinite }.map { (sx(Double($0.0)), sy($0.1)) }
            doc.polyline(p, stroke: color, width: 2.2, dash: dash)
            for q in p where p.count <= 60 { doc.circle(q.0, q.1, r: 3, fill: color) }
            doc.text(name, x: lx, y: top + 18, size: 12, anchor: "end", weight: "bold", fill: color)
            lx -= Double(name.count) * 7.5 + 20
        }
    }
}
