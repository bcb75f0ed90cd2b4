/// What an operation may do (`Op.access`); the server grants each class to
/// UIDs/GIDs. Classes are ordered: a grant of `admin` implies `write`, and
/// `write` implies `read`.
public enum AccessClass: String, Sendable, CaseIterable, Comparable, Codable {
    /// recommend, predict, similar_items, user, item, status, hello.
    case read
    /// add_rating(s), fold_in, add_user, add_item, delete_rating, delete_user.
    case write
    /// train, import, evaluate, export, configuration.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    public static func < (lhs: AccessClass, rhs: AccessClass) -> Bool { lhs.rank < rhs.rank }
}
