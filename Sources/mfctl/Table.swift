import Foundation
import MFProtocol

/// Text tables for human output, fitted to the terminal width.
enum Table {
    /// The terminal's width (TIOCGWINSZ on stdout), or 80 when not a TTY.
    static func terminalWidth() -> Int {
        var ws = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        return 80
    }

    /// Renders rows with aligned columns; column `flex` (e.g. the title) is truncated with "…"
    /// so each line fits `width`. Columns in `right` are right-aligned.
    static func render(header: [String], rows: [[String]], flex: Int?, right: Set<Int> = [], width: Int) -> String {
        let all = [header] + rows
        var widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
        if let f = flex {
            let fixed = widths.enumerated().filter { $0.offset != f }.map(\.element).reduce(0, +) + 2 * (header.count - 1)
            widths[f] = max(header[f].count, min(widths[f], width - fixed))
        }
        return all.map { row in
            row.enumerated().map { c, cell in
                var text = cell
                if text.count > widths[c] { text = String(text.prefix(max(0, widths[c] - 1))) + "…" }
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return right.contains(c) ? pad + text : (c == row.count - 1 ? text : text + pad)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Rank, item, title, genres, score.
    static func items(_ items: [ScoredItem], width: Int = terminalWidth(), explain: Bool = false) -> String {
        let rows = items.enumerated().map { i, it in
            ["\(i + 1)", "\(it.item)", it.title ?? "", (it.genres ?? []).joined(separator: "|"), String(format: "%.3f", it.score)]
        }
        var text = render(header: ["#", "item", "title", "genres", "score"], rows: rows, flex: 2, right: [0, 1, 4], width: width)
        if explain {
            let lines = items.enumerated().compactMap { i, it -> String? in
                guard let b = it.because, !b.isEmpty else { return nil }
                return "\(i + 1). because you rated: " + b.map { $0.title ?? "item \($0.item)" }.joined(separator: ", ")
            }
            if !lines.isEmpty { text += "\n\n" + lines.joined(separator: "\n") }
        }
        return text
    }
}
