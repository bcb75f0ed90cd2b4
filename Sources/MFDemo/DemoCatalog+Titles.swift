import MFCore
// Plausible generated movie titles: genre-flavoured words in a few patterns,
// so a list of recommendations "reads" like its genres.

extension DemoCatalog {
    /// Adjectives and nouns that colour a title, per genre (same order as `genres`).
    static let genreWords: [(adjectives: [String], nouns: [String])] = [
        (["Lethal", "Iron", "Burning", "Final", "Rogue", "Maximum"], ["Strike", "Protocol", "Target", "Fury", "Vendetta", "Countdown"]),
        (["Lost", "Golden", "Distant", "Hidden", "Wild", "Forgotten"], ["Expedition", "Island", "Treasure", "Voyage", "Temple", "Horizon"]),
        (["Little", "Magic", "Brave", "Tiny", "Cosmic", "Happy"], ["Robot", "Dragon", "Penguin", "Kingdom", "Balloon", "Fox"]),
        (["Little", "Silly", "Brave", "Lucky", "Merry", "Giant"], ["Puppy", "Treehouse", "Adventure", "Friends", "Pony", "Wish"]),
        (["Crazy", "Accidental", "Awkward", "Perfect", "Big", "Lucky"], ["Weekend", "Roommates", "Party", "Vacation", "Neighbors", "Mixup"]),
        (["Dirty", "Cold", "Crooked", "Bloody", "Silent", "Easy"], ["Money", "Heist", "Alibi", "Score", "Syndicate", "Streets"]),
        (["True", "Inside", "Unseen", "Real", "Open", "Long"], ["Story", "Journey", "Record", "Witness", "Season", "Frontier"]),
        (["Quiet", "Broken", "Long", "Bitter", "Restless", "Last"], ["Summer", "Letters", "Harbor", "Inheritance", "Promise", "Winter"]),
        (["Enchanted", "Crystal", "Sorcerer's", "Ancient", "Elven", "Starlit"], ["Crown", "Sword", "Realm", "Prophecy", "Forest", "Quest"]),
        (["Dark", "Rain-Soaked", "Double", "Midnight", "Smoky", "Fallen"], ["Dame", "Alley", "Cross", "Payoff", "Precinct", "Angel"]),
        (["Dead", "Hollow", "Bleeding", "Cursed", "Rotting", "Screaming"], ["Woods", "Cellar", "Harvest", "Curse", "Asylum", "Doll"]),
        (["Singing", "Dancing", "Starry", "Swinging", "Golden", "Broadway"], ["Melody", "Serenade", "Rhapsody", "Chorus", "Waltz", "Ballroom"]),
        (["Vanishing", "Locked", "Secret", "Twelfth", "Missing", "Crimson"], ["Clue", "Room", "Manor", "Cipher", "Key", "Riddle"]),
        (["Sweet", "Tender", "Endless", "Stolen", "Second", "Paper"], ["Kiss", "Hearts", "Affair", "Romance", "Valentine", "Love"]),
        (["Quantum", "Orbital", "Synthetic", "Red", "Infinite", "Solar"], ["Colony", "Signal", "Android", "Frontier", "Paradox", "Nebula"]),
        (["Deadly", "Hidden", "Silent", "Fatal", "Black", "Desperate"], ["Witness", "Trap", "Pursuit", "Obsession", "Hours", "Conspiracy"]),
        (["Iron", "Burning", "Last", "Bitter", "Distant", "Steel"], ["Battalion", "Front", "Ridge", "Bridge", "Command", "Siege"]),
        (["Dusty", "Lone", "High", "Savage", "Wandering", "Rawhide"], ["Trail", "Canyon", "Gunslinger", "Sheriff", "Frontier", "Outlaw"]),
    ]

    static let commonAdjectives = [
        "Crimson", "Silver", "Northern", "Eternal", "Velvet", "Scarlet", "Hollow",
        "Electric", "Midnight", "Emerald", "Faded", "Wicked", "Blue", "Falling",
    ]
    static let commonNouns = [
        "Harbor", "River", "Garden", "Mirror", "Shadow", "Station", "Horizon",
        "Lantern", "Bridge", "Echo", "Island", "Road", "Sky", "Compass",
    ]
    static let places = [
        "Paris", "Tangier", "Kyoto", "Memphis", "Lisbon", "Havana", "Alaska",
        "Brooklyn", "Venice", "Marrakesh", "Dakota", "Shanghai", "Berlin", "Rio",
    ]
    static let names = [
        "Max", "Lucy", "Jack", "Ellie", "Oscar", "Maya", "Sam", "Rosie", "Leo",
        "Nora", "Charlie", "Ivy", "Otto", "Ruby",
    ]

    /// A title for an item with `genreIndices` (primary first) released in `year`.
    static func drawTitle(genreIndices: [Int], year: Int, random: inout SeededRNG) -> String {
        // Two thirds of the words come from the item's own genres.
        func adjective(_ random: inout SeededRNG) -> String {
            random.nextDouble() < 0.67
                ? random.element(of: genreWords[random.element(of: genreIndices)].adjectives)
                : random.element(of: commonAdjectives)
        }
        func noun(_ random: inout SeededRNG) -> String {
            random.nextDouble() < 0.67
                ? random.element(of: genreWords[random.element(of: genreIndices)].nouns)
                : random.element(of: commonNouns)
        }
        let core: String
        switch random.next(below: 7) {
        case 0, 1: core = "The \(adjective(&random)) \(noun(&random))"
        case 2: core = "\(adjective(&random)) \(noun(&random))"
        case 3:
            let first = noun(&random)
            var second = noun(&random)
            for _ in 0..<8 where second == first { second = noun(&random) }
            core = "\(first) of the \(adjective(&random)) \(second)"
        case 4: core = "The \(noun(&random)) of \(random.element(of: places))"
        case 5: core = "\(random.element(of: names)) and the \(adjective(&random)) \(noun(&random))"
        default:
            let subject = noun(&random)
            let plural = subject.hasSuffix("s") && !subject.hasSuffix("ss")
            let article = plural ? "The" : ("AEIOU".contains(subject.first!) ? "An" : "A")
            core = "\(article) \(subject) in \(random.element(of: places))"
        }
        return "\(core) (\(year))"
    }

    /// "Title (1987)" → "Title II (1987)" for the `n`th duplicate (n ≥ 2).
    static func sequelTitle(_ title: String, number n: Int) -> String {
        let numerals = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
        let suffix = n < numerals.count ? numerals[n] : String(n)
        guard let open = title.lastIndex(of: "(") else { return "\(title) \(suffix)" }
        let base = title[..<open].trimmingSuffixSpace()
        return "\(base) \(suffix) \(title[open...])"
    }
}

extension Substring {
    fileprivate func trimmingSuffixSpace() -> Substring {
        var s = self
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
