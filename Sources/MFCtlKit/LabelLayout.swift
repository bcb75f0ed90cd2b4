import Foundation

/// Greedy placement of point labels without overlaps, for `mfctl plot items`.
///
/// Labels are placed in the order given (most important first). Each tries a few spots
/// around its point (right, left, above, below, the four diagonals), then spots shifted
/// up or down with a leader line back to the point, first with the full text and then
/// shortened; a label that fits nowhere is left out. A spot must lie inside the frame and
/// overlap neither an earlier label nor any marker.
public enum LabelLayout {
    /// An axis-aligned box in canvas coordinates (y down).
    public struct Box: Equatable, Sendable {
        public var x, y, w, h: Double
        public init(x: Double, y: Double, w: Double, h: Double) { self.x = x; self.y = y; self.w = w; self.h = h }
        public var maxX: Double { x + w }
        public var maxY: Double { y + h }
        public func intersects(_ o: Box) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
        public func isInside(_ o: Box) -> Bool { x >= o.x && maxX <= o.maxX && y >= o.y && maxY <= o.maxY }

        /// Whether the segment (x1, y1)–(x2, y2) passes through the box (Liang–Barsky clipping).
        public func crosses(_ s: Segment) -> Bool {
            var t0 = 0.0, t1 = 1.0
            let dx = s.x2 - s.x1, dy = s.y2 - s.y1
            for (p, q) in [(-dx, s.x1 - x), (dx, maxX - s.x1), (-dy, s.y1 - y), (dy, maxY - s.y1)] {
                if p == 0 { if q < 0 { return false } else { continue } }
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return false }
            }
            return t1 - t0 > 1e-9
        }
    }

    /// A leader line from a point's marker to its label.
    public typealias Segment = (x1: Double, y1: Double, x2: Double, y2: Double)

    /// Whether two segments cross (proper intersection; touching ends do not count).
    static func cross(_ a: Segment, _ b: Segment) -> Bool {
        func side(_ px: Double, _ py: Double, _ s: Segment) -> Double { (s.x2 - s.x1) * (py - s.y1) - (s.y2 - s.y1) * (px - s.x1) }
        return side(b.x1, b.y1, a) * side(b.x2, b.y2, a) < 0 && side(a.x1, a.y1, b) * side(a.x2, a.y2, b) < 0
    }

    /// A placed label: draw `text` at (`x`, `baseline`) with SVG `anchor`; `box` is what it covers.
    public struct Placed: Equatable, Sendable {
        public var index: Int
        public var text: String
        public var x, baseline: Double
        public var anchor: String
        public var box: Box
        /// A line from the point's marker to the label, when the label was moved away.
        public var leader: Segment?

        public static func == (a: Placed, b: Placed) -> Bool {
            a.index == b.index && a.text == b.text && a.box == b.box && a.anchor == b.anchor
        }
    }

    /// Advance widths of ASCII 32…126 in DejaVu Sans (the SVG's first font), in 1/100 em, read
    /// from the font's hmtx table. Helvetica and Arial are narrower, so boxes stay conservative.
    static let asciiWidths: [UInt8] = [
        32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84,
        84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39,
        34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59,
        52, 64, 34, 64, 84,
    ]

    /// Width of `text` at font `size`: exact for ASCII in DejaVu Sans; other letters count
    /// 0.7 em, wide (CJK) scripts 1 em.
    public static func textWidth(_ text: String, size: Double) -> Double {
        var em = 0.0
        for s in text.unicodeScalars {
            switch s.value {
            case 32...126: em += Double(asciiWidths[Int(s.value) - 32]) / 100
            case 0x2E80...: em += 1
            default: em += 0.7
            }
        }
        return em * size
    }

    /// Half the white halo drawn around label text (stroke-width 3).
    static let halo = 1.5

    /// The box `text` covers when drawn at (`x`, `baseline`) with `anchor`: ascent 0.78 em,
    /// descent 0.24 em (DejaVu Sans), plus the halo.
    public static func box(_ text: String, x: Double, baseline: Double, anchor: String, size: Double) -> Box {
        let w = textWidth(text, size: size)
        let left = anchor == "end" ? x - w : anchor == "middle" ? x - w / 2 : x
        return Box(x: left - halo, y: baseline - 0.78 * size - halo, w: w + 2 * halo, h: 1.02 * size + 2 * halo)
    }

    /// Places `texts[i]` next to `points[i]` (canvas coordinates); `markers` are the boxes
    /// labels must not cover (the labelled points' circles). `short` is the length a
    /// label is cut to when the full text fits nowhere. Leader lines cross no other label,
    /// leader or marker. Returns the labels that fit.
    public static func place(texts: [String], points: [(x: Double, y: Double)], markers: [Box], frame: Box,
                             size: Double = 11, gap: Double = 7, short: Int = 16) -> [Placed] {
        var placed: [Placed] = []
        for (i, full) in texts.enumerated() where i < points.count {
            let shortened = Table.truncate(full, to: short)
            for text in shortened == full ? [full] : [full, shortened] {
                let spot = candidates(text, at: points[i], size: size, gap: gap).first { c in
                    guard c.box.isInside(frame), !markers.contains(where: { $0.intersects(c.box) }) else { return false }
                    if let l = c.leader, markers.indices.contains(where: { $0 != i && markers[$0].crosses(l) }) { return false }
                    return !placed.contains { other in
                        if other.box.intersects(c.box) { return true }
                        if let o = other.leader, c.box.crosses(o) || c.leader.map({ Self.cross($0, o) }) == true { return true }
                        return c.leader.map(other.box.crosses) == true
                    }
                }
                if var spot {
                    spot.index = i
                    placed.append(spot)
                    break
                }
            }
        }
        return placed
    }

    /// Spots around point `p`, best first.
    static func candidates(_ text: String, at p: (x: Double, y: Double), size: Double, gap: Double) -> [Placed] {
        let mid = 0.78 * size / 2 - 0.12 * size  // baseline offset that centres the glyphs on p.y
        func spot(_ x: Double, _ baseline: Double, _ anchor: String, leader: Bool = false) -> Placed {
            let b = box(text, x: x, baseline: baseline, anchor: anchor, size: size)
            // The leader runs from the marker's edge to the middle of the label's near side.
            let end = (x: anchor == "end" ? b.maxX : b.x, y: b.y + b.h / 2)
            let d = max(1e-9, ((end.x - p.x) * (end.x - p.x) + (end.y - p.y) * (end.y - p.y)).squareRoot())
            let edge = gap - 1.5
            return Placed(index: -1, text: text, x: x, baseline: baseline, anchor: anchor, box: b,
                          leader: leader ? (p.x + edge * (end.x - p.x) / d, p.y + edge * (end.y - p.y) / d, end.x, end.y) : nil)
        }
        var out = [
            spot(p.x + gap, p.y + mid, "start"), spot(p.x - gap, p.y + mid, "end"),
            spot(p.x, p.y - gap - 0.24 * size - halo, "middle"), spot(p.x, p.y + gap + 0.78 * size + halo, "middle"),
            spot(p.x + gap, p.y - gap + mid, "start"), spot(p.x + gap, p.y + gap + mid, "start"),
            spot(p.x - gap, p.y - gap + mid, "end"), spot(p.x - gap, p.y + gap + mid, "end"),
        ]
        // Further away on rings of growing radius (16 directions each), a leader line back to the point.
        for radius in stride(from: 3 * gap, through: 24 * gap, by: 1.5 * gap) {
            for k in 0..<16 {
                let angle = Double(k) * .pi / 8
                let (c, s) = (cos(angle), sin(angle))
                out.append(spot(p.x + radius * c, p.y + radius * s + mid, c >= 0 ? "start" : "end", leader: true))
            }
        }
        return out
    }
}
