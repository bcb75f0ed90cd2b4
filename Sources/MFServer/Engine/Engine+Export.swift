import Foundation
import MFCore
import MFProtocol
import MFStore

extension Engine {
    /// `export_begin {what}`: opens a session over a consistent snapshot, owned
    /// by `connection` (0 for a caller without one) like an import session.
    public func exportBegin(_ r: ExportBeginRequest, connection: UInt64 = 0) async throws -> ExportBeginResult {
        await testDelay(.exportBegin)
        let s = snapshot
        switch r.what {
        case .ratings:
            let stream = RatingStream()
            let rows = try await store.counts().ratings
            let token = try exports.open(connection: connection) { .ratings(stream) }
            Task.detached { [store] in
                do {
                    try await store.forEachRatingChunk(chunkSize: 8192) { try stream.put($0) }
                    stream.finish(nil)
                } catch { stream.finish(error) }
            }
            return ExportBeginResult(export: token, what: .ratings, rows: Int64(rows), columns: ["user", "item", "rating", "timestamp"],
                                     sequence: s.sequence)
        case .users, .items:
            let table = r.what == .users ? Self.userTable(s) : Self.itemTable(s)
            let token = try exports.open(connection: connection) { .table(table.source) }
            return ExportBeginResult(export: token, what: r.what, rows: Int64(table.source.count), columns: table.columns)
        case .userFactors, .itemFactors:
            guard let base = s.base else { throw WireError(.noModel, "no trained model yet; run train or import-model") }
            let source = r.what == .userFactors ? Self.userFactorTable(s, base) : Self.itemFactorTable(s, base)
            let token = try exports.open(connection: connection) { .table(source) }
            let columns = ["id", "bias"] + (0..<base.model.factors).map { "f\($0)" }
            return ExportBeginResult(export: token, what: r.what, rows: Int64(source.count), columns: columns,
                                     modelID: base.id, globalMean: Double(base.model.globalMean))
        }
    }

    /// `export_next {export, max_rows}`: the next page; the last one closes the session.
    public func exportNext(_ r: ExportNextRequest, connection: UInt64 = 0) async throws -> ExportPage {
        let session = try exports.take(r.export, connection: connection)
        var page: ExportPage
        do {
            switch session.source {
            case .ratings(let stream):
                let (rows, done) = try await stream.next(max: r.maxRows)
                page = ExportPage(rows: rows.map { [.int($0.user), .int($0.item), .double(Double($0.value)), $0.timestamp.map(JSONScalar.int) ?? .null] },
                                  done: done)
            case .table(let t):
                let end = min(t.count, session.position + r.maxRows)
                page = ExportPage(rows: (session.position..<end).map(t.row), done: end == t.count)
                session.position = end
            }
        } catch {
            exports.close(r.export)
            throw WireError(.storageFailed, "export \(r.export) failed: \(WireError(engine: error).message)")
        }
        exports.release(session)
        if page.done { exports.close(r.export) }
        return page
    }

    /// `export_end {export}`.
    public func exportEnd(_ token: String, connection: UInt64 = 0) throws -> CloseResult {
        guard exports.close(token, connection: connection) else { throw WireError(.notFound, "no open export \"\(token)\"", field: "export") }
        return CloseResult()
    }

    /// Users with a factor row: the model's (folded-in rows win) and users
    /// folded in since training, model order then ascending ID.
    static func userFactorTable(_ s: EngineSnapshot, _ base: ModelBase) -> TableSource {
        var ids = base.users.ids.filter { s.users[$0] != nil }
        var extra: [Int64] = []
        s.users.forEach { id, e in if e.hasFoldIn, base.users.index(of: id) == nil { extra.append(id) } }
        ids += extra.sorted()
        return TableSource(count: ids.count) { [ids] n in
            let v = s.userVector(ids[n], entry: s.users[ids[n]]).vector ?? UserVector(factors: [], bias: 0)
            return factorRow(ids[n], v.bias, v.factors)
        }
    }

    static func itemFactorTable(_ s: EngineSnapshot, _ base: ModelBase) -> TableSource {
        let m = base.model, k = m.factors
        return TableSource(count: base.items.count) { n in
            factorRow(base.items.id(at: Int32(n)), m.itemBias[n], Array(m.itemFactors[n * k..<(n + 1) * k]))
        }
    }

    static func factorRow(_ id: Int64, _ bias: Float, _ f: [Float]) -> [JSONScalar] {
        [.int(id), .double(Double(bias))] + f.map { .double(Double($0)) }
    }

    /// `user` + one column per attribute name (sorted), ascending user ID.
    static func userTable(_ s: EngineSnapshot) -> (source: TableSource, columns: [String]) {
        var ids: [Int64] = [], names = Set<String>()
        s.users.forEach { id, e in ids.append(id); names.formUnion(e.attributes.keys) }
        ids.sort()
        let cols = names.sorted()
        return (TableSource(count: ids.count) { [ids] n in
            let a = s.users[ids[n]]?.attributes ?? [:]
            return [.int(ids[n])] + cols.map { scalar(a[$0]) }
        }, ["user"] + cols)
    }

    /// `item,title,genres` (genres `|`-joined) + attribute columns, ascending item ID.
    static func itemTable(_ s: EngineSnapshot) -> (source: TableSource, columns: [String]) {
        var ids: [Int64] = [], names = Set<String>()
        s.items.forEach { id, e in ids.append(id); names.formUnion(e.attributes.keys) }
        ids.sort()
        let cols = names.sorted()
        return (TableSource(count: ids.count) { [ids] n in
            let e = s.items[ids[n]]
            return [.int(ids[n]), e?.title.map(JSONScalar.string) ?? .null, .string(e?.genres.joined(separator: "|") ?? "")]
                + cols.map { scalar(e?.attributes[$0]) }
        }, ["item", "title", "genres"] + cols)
    }

    static func scalar(_ v: AttributeValue?) -> JSONScalar {
        switch v {
        case .number(let d)?: d == d.rounded() && abs(d) < 1e15 ? .int(Int64(d)) : .double(d)
        case .category(let t)?: .string(t)
        case nil: .null
        }
    }
}
