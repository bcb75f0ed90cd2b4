import Foundation
import MFProtocol

/// Text tables for human output, fitted to the terminal width.
public enum Table {
    /// The terminal's width (TIOCGWINSZ on stdout), or 80 when not a TTY.
    public static func terminalWidth() -> Int {
        var ws = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        return 80
    }

    /// Renders rows with aligned columns, two spaces apart. When the natural width exceeds
    /// `width`, the `flex` columns shrink (the first listed first, down to `minFlex` or their
    /// header), cells cut with "…". Columns in `right` are right-aligned. Widths count Characters.
    public static func render(header: [String], rows: [[String]], flex: [Int] = [], right: Set<Int> = [],
                              width: Int, minFlex: Int = 12) -> String {
        let all = [header] + rows
        var widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
        var excess = widths.reduce(0, +) + 2 * (header.count - 1) - width
        for f in flex where excess > 0 {
            let floor = min(widths[f], max(header[f].count, minFlex))
            let cut = min(excess, widths[f] - floor)
            widths[f] -= cut
            excess -= cut
        }
        // Still too wide: the flex columns go down to their headers, last resort.
        for f in flex.reversed() where excess > 0 {
            let cut = min(excess, widths[f] - min(widths[f], max(header[f].count, 1)))
            widths[f] -= cut
            excess -= cut
        }
        return all.map { row in
            row.enumerated().map { c, cell in
                let text = truncate(cell, to: widths[c])
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return right.contains(c) ? pad + text : (c == row.count - 1 ? text : text + pad)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `text` cut to `width` Characters, ending in "…" when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 0 else { return "" }
        return String(text.prefix(width - 1)) + "…"
    }

    /// Rank, item, title, genres, score. Genres shrink first, then the title.
    public static func items(_ items: [ScoredItem], width: Int = terminalWidth(), explain: Bool = false) -> String {
        let rows = items.enumerated().map { i, it in
            ["\(i + 1)", "\(it.item)", it.title ?? "", (it.genres ?? []).joined(separator: "|"), String(format: "%.3f", it.score)]
        }
        var text = render(header: ["#", "item", "title", "genres", "score"], rows: rows, flex: [3, 2], right: [0, 1, 4],
                          width: width, minFlex: 14)
        if explain {
            let lines = items.enumerated().compactMap { i, it -> String? in
                guard let b = it.because, !b.isEmpty else { return nil }
                return "\(i + 1). because you rated: " + b.map { $0.title ?? "item \($0.item)" }.joined(separator: ", ")
            }
            if !lines.isEmpty { text += "\n\n" + lines.joined(separator: "\n") }
        }
        return text
    }

    /// `mfctl recommend`'s text: the user and the answer's source, then the
    /// items, or why there are none (an empty database has nothing popular yet).
    public static func recommendation(_ r: RecommendResult, width: Int = terminalWidth(), explain: Bool = false) -> String {
        let head = "user \(r.user) (\(r.source.rawValue))\n"
        guard r.items.isEmpty else { return head + items(r.items, width: width, explain: explain) }
        return head + (r.source == .popular
            ? "no items to recommend yet: no item has a rating (mfctl import ratings FILE, or mfctl add-rating USER ITEM RATING)"
            : "no items left to recommend: the user rated or excluded every candidate")
    }
}
