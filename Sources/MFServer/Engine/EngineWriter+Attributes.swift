import MFCore
import MFProtocol

/// Attributes in fold-in and training: with a collective model, a user's
/// attributes and an item's genres + attributes join the row solve, so a user
/// or item with attributes and no ratings gets factors from them at once.
extension EngineWriter {
    /// Rejects attributes the model's encoder cannot read (a word for an
    /// attribute trained as a number) before anything is stored.
    func checkAttributes(_ a: [String: AttributeValue], block: AttributeBlock?) throws {
        guard let block, !a.isEmpty else { return }
        do { _ = try block.encoder.encode(a) } catch let e as MFCoreError {
            let name = e.field ?? ""
            throw WireError(.invalidValue, "\(e.message); the model was trained with `\(name)` as a number (retrain after changing its type)",
                            field: "attributes." + name)
        }
    }

    /// An item's attributes as the model's item block reads them ([:] when the model has none).
    func itemAttributes(_ id: Int64, base: ModelBase) -> [String: AttributeValue] {
        guard base.model.sideInfo?.items != nil, let e = items[id] else { return [:] }
        return e.modelAttributes
    }

    /// Whether a dirty item needs a new model row now (rated, or foldable from attributes).
    func needsNewRow(_ id: Int64, base: ModelBase) -> Bool {
        base.items.index(of: id) == nil && (itemRatings[id]?.count ?? 0 > 0 || !itemAttributes(id, base: base).isEmpty)
    }

    /// Marks rows that only attributes give factors (users without ratings,
    /// items outside the model) for fold-in against a newly installed model.
    func markAttributeRows() {
        guard let base, let side = base.model.sideInfo else { return }
        if side.users != nil {
            users.forEach { id, e in if e.ratings.count == 0 && !e.attributes.isEmpty { dirtyUsers.insert(id) } }
        }
        if side.items != nil {
            items.forEach { id, e in if base.items.index(of: id) == nil && !e.modelAttributes.isEmpty { dirtyItems.insert(id) } }
        }
    }

    /// Training side information for the users and items of a ratings snapshot
    /// (a side with no attributes at all is left empty: no block).
    func sideInfo(users um: IDMap, items im: IDMap) -> SideInfo {
        let u = (0..<um.count).map { users[um.id(at: Int32($0))]?.attributes ?? [:] }
        let i = (0..<im.count).map { items[im.id(at: Int32($0))]?.modelAttributes ?? [:] }
        return SideInfo(users: u.contains { !$0.isEmpty } ? u : [], items: i.contains { !$0.isEmpty } ? i : [], separator: "|")
    }
}

extension ItemEntry {
    /// Attributes plus genres as one multi-valued category `genres` ("|"-joined).
    var modelAttributes: [String: AttributeValue] {
        var s = attributes
        if !genres.isEmpty { s["genres"] = .category(genres.joined(separator: "|")) }
        return s
    }
}
