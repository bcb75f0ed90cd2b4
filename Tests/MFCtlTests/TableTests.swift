import Testing
@testable import MFCtlKit
import MFProtocol

/// Human tables: aligned, never wider than the terminal, long titles and genres cut with "…".
struct TableTests {
    static let long = [
        ScoredItem(item: 260, score: 4.9321, title: "Star Wars: Episode IV - A New Hope (1977)", genres: ["Action", "Adventure", "Sci-Fi"]),
        ScoredItem(item: 7153, score: 4.61, title: "Lord of the Rings: The Return of the King, The (2003)",
                   genres: ["Action", "Adventure", "Drama", "Fantasy"]),
        ScoredItem(item: 1, score: 3.2, title: "Toy Story (1995)", genres: ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]),
    ]

    @Test(arguments: [80, 60, 100, 40])
    func fitsWidth(_ width: Int) {
        let text = Table.items(Self.long, width: width)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        for line in lines { #expect(line.count <= width, "\(line.count) > \(width): \(line)") }
        // Columns line up: every score ends in the last column.
        #expect(Set(lines.map(\.count)).count == 1 || width >= 140)
    }

    @Test func eightyColumnsKeepsMostOfTheTitleAndCutsGenres() {
        let lines = Table.items(Self.long, width: 80).split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("#  item  title"))
        #expect(lines[1].contains("Star Wars: Episode IV - A New Hope (1977)"), "title fits whole at 80: \(lines[1])")
        #expect(lines[2].contains("Lord of the Rings: The Return"))
        #expect(lines[3].contains("Adventure|Ani…") && lines[3].contains("…"), "genres are cut: \(lines[3])")
        #expect(lines[1].hasSuffix("4.932"))
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test func wideTerminalsTruncateNothing() {
        let text = Table.items(Self.long, width: 200)
        #expect(!text.contains("…"))
        #expect(text.contains("Adventure|Animation|Children|Comedy|Fantasy"))
    }

    @Test func narrowTerminalsCutTitlesToo() {
        let lines = Table.items(Self.long, width: 50).split(separator: "\n")
        #expect(lines[2].contains("…"))
        #expect(lines.allSatisfy { $0.count <= 50 })
    }

    @Test func truncate() {
        #expect(Table.truncate("abcdef", to: 6) == "abcdef")
        #expect(Table.truncate("abcdef", to: 4) == "abc…")
        #expect(Table.truncate("abcdef", to: 0) == "")
        #expect(Table.truncate("Amélie", to: 3) == "Am…")
    }

    @Test func rightAlignedNumbersAndExplain() {
        var items = Self.long
        items[0].because = [Because(item: 1196, title: "Empire Strikes Back", share: 0.5)]
        let text = Table.items(items, width: 80, explain: true)
        #expect(text.contains("1. because you rated: Empire Strikes Back"))
        let rows = text.split(separator: "\n")
        #expect(rows[1].hasPrefix("1   260") && rows[3].hasPrefix("3     1"), "\(rows)")
    }

    @Test func anEmptyRecommendationSaysWhy() {
        let empty = Table.recommendation(RecommendResult(user: 42, items: [], source: .popular), width: 80)
        #expect(empty == "user 42 (popular)\nno items to recommend yet: no item has a rating "
                + "(mfctl import ratings FILE, or mfctl add-rating USER ITEM RATING)")
        let exhausted = Table.recommendation(RecommendResult(user: 42, items: [], source: .model), width: 80)
        #expect(exhausted.hasSuffix("the user rated or excluded every candidate"))
        let full = Table.recommendation(RecommendResult(user: 42, items: Self.long, source: .model), width: 80)
        #expect(full == "user 42 (model)\n" + Table.items(Self.long, width: 80))
    }
}
