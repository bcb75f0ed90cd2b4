import Foundation
@testable import MFStore

/// Small inputs in every supported format, written by the tests (no MovieLens data copied).
enum Fixtures {
    static let ratingsCSV = "userId,movieId,rating,timestamp\r\n1,10,4.0,100\r\n1,11,3.5,101\r\n\r\n2,10,5,102\r\n1,10,2.5,90"
    static let genericCSV = "item_id,user_id,rating\n10,1,4\n11,2,0.5\n"
    static let headerlessCSV = "1,10,4.0,100\n2,11,3.0,\n"
    static let moviesCSV = """
        movieId,title,genres
        10,"Heat, ""the"" (1995)",Action|Crime|Thriller
        11,"Multi
        line",(no genres listed)
        12,Ünïcode (2001),Drama

        """
    static let uData = "196\t242\t3\t881250949\n186\t302\t3\t891717742\n"
    static let uItem: [UInt8] = Array("1|Toy Story (1995)|01-Jan-1995||http://imdb/x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n".utf8)
        + Array("2|Caf".utf8) + [0xE9] + Array(" (1995)|01-Jan-1995|||0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|1\n".utf8)
    static let uUser = "1|24|M|technician|85711\n2|53|F|other|94043\n"
    static let ratingsDat = "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n"
    static let moviesDat: [UInt8] = Array("1::Toy Story (1995)::Animation|Children's|Comedy\n".utf8)
        + Array("2::Cit".utf8) + [0xE9] + Array(" (1996)::Drama\n".utf8)
    static let usersDat = "1::F::1::10::48067\n2::M::56::16::70072\n"
    static let usersCSV = "userId,age,time_spent_per_day,country\n1,52,3.951482,FR\n2,57,4.000655,\n3,x1,2,US\n"

    /// (format, bytes) for every format; auto-detection must find `format`.
    static let all: [(ImportFormat, [UInt8])] = [
        (.ratingsCSV, Array(ratingsCSV.utf8)), (.moviesCSV, Array(moviesCSV.utf8)), (.usersCSV, Array(usersCSV.utf8)),
        (.ml100kData, Array(uData.utf8)), (.ml100kItem, uItem), (.ml100kUser, Array(uUser.utf8)),
        (.ml1mRatings, Array(ratingsDat.utf8)), (.ml1mMovies, moviesDat), (.ml1mUsers, Array(usersDat.utf8)),
    ]

    static func bytes(_ format: ImportFormat) -> [UInt8] { all.first { $0.0 == format }!.1 }
}

/// Splits `bytes` into chunks of `size` bytes as an async stream.
func chunked(_ bytes: [UInt8], size: Int) -> AsyncStream<[UInt8]> {
    AsyncStream { continuation in
        var i = 0
        while i < bytes.count {
            continuation.yield(Array(bytes[i..<min(bytes.count, i + size)]))
            i += size
        }
        continuation.finish()
    }
}

/// Everything observable in a store, for "unchanged" comparisons.
struct StoreState: Equatable {
    var ratings: [Rating]
    var users: [UserRecord]
    var items: [ItemRecord]
    var sequence: Int64

    init(_ store: Store) async throws {
        ratings = try await allRatings(store)
        users = try await store.allUsers()
        items = try await store.allItems()
        sequence = try await store.currentSequence()
    }
}
