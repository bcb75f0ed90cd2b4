import ArgumentParser
import Foundation
import MFClient
import MFCtlKit
import MFProtocol

struct Plot: AsyncParsableCommand {
    enum What: String, ExpressibleByArgument, CaseIterable { case items, training }

    static let configuration = CommandConfiguration(
        abstract: "Draw the item map (PCA of item factors) or the latest training curve as a self-contained SVG.",
        discussion: """
        items: item factors (export item_factors) projected to 2-D by PCA, coloured by first genre, \
        the --labels most-rated items titled. training: loss and RMSE per epoch of the latest \
        training job (train_status), or of --job.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "items or training.") var what: What
    @Option(help: "SVG file to write.", completion: .file(extensions: ["svg"])) var out: String
    @Option(help: "How many of the most-rated items get a title (items).") var labels = 25
    @Option(help: "Training job to draw (training; default: the latest).") var job: Int64?

    func validate() throws {
        guard out.hasSuffix(".svg") else { throw ValidationError("--out must name an .svg file, got '\(out)'") }
        guard labels >= 0 else { throw ValidationError("--labels must be 0 or more") }
    }

    func run() async throws {
        let svg: String, summary: String
        switch what {
        case .items: (svg, summary) = try await itemMap()
        case .training: (svg, summary) = try await trainingCurve()
        }
        do { try svg.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            FileHandle.standardError.write(Data("mfctl: cannot write \(out): \(error.localizedDescription)\n".utf8))
            throw CtlExit(code: MFProtocol.ExitCode.usage)
        }
        if global.json {
            print(#"{"out":\#(jsonString(out)),"summary":\#(jsonString(summary))}"#)
        } else {
            print("wrote \(out): \(summary)")
        }
    }

    private func jsonString(_ s: String) -> String {
        var b: [UInt8] = []; JSONText.appendString(s, to: &b); return String(decoding: b, as: UTF8.self)
    }

    private func itemMap() async throws -> (String, String) {
        var ids: [Int64] = [], factors: [Float] = [], k = 0
        var details: [Int64: (title: String?, genres: [String])] = [:]
        var counts: [Int64: Int] = [:]
        try await global.withClient { client throws(MFClientError) in
            _ = try await client.export(.itemFactors) { header, rows throws(MFClientError) in
                for row in rows {
                    guard row.count >= 3, case .int(let id) = row[0] else { throw .badResponse("item factor row without an id") }
                    let f = row.dropFirst(2).map { cell -> Float in
                        switch cell { case .int(let i): return Float(i); case .double(let d): return Float(d); default: return .nan }
                    }
                    if k == 0 { k = f.count }
                    guard f.count == k, !f.contains(where: \.isNaN) else { throw .badResponse("ragged factor row for item \(id)") }
                    ids.append(id); factors += f
                }
            }
            _ = try await client.export(.items) { header, rows throws(MFClientError) in
                let t = header.columns.firstIndex(of: "title"), g = header.columns.firstIndex(of: "genres")
                for row in rows {
                    guard case .int(let id) = row.first else { continue }
                    let title: String? = t.flatMap { row.indices.contains($0) ? row[$0] : nil }.flatMap { if case .string(let s) = $0, !s.isEmpty { s } else { nil } }
                    let genres: [String] = g.flatMap { row.indices.contains($0) ? row[$0] : nil }.map { cell -> [String] in
                        if case .string(let s) = cell { return s.split(separator: "|").map(String.init).filter { $0 != "(no genres listed)" } }
                        return []
                    } ?? []
                    details[id] = (title, genres)
                }
            }
            // Rating counts pick the labelled items; streamed, only the counts are kept.
            _ = try await client.export(.ratings) { header, rows throws(MFClientError) in
                for row in rows { if row.count > 1, case .int(let item) = row[1] { counts[item, default: 0] += 1 } }
            }
        }
        let items = ids.map { ItemMapPlot.Item(id: $0, title: details[$0]?.title, genres: details[$0]?.genres ?? [], ratings: counts[$0] ?? 0) }
        let projection = PCA.project(factors, count: ids.count, k: k)
        let plot = ItemMapPlot(items: items, projection: projection, factors: k, labels: labels)
        return (plot.svg(), "\(ids.count) items, k=\(k), \(min(labels, ids.count)) labelled")
    }

    private func trainingCurve() async throws -> (String, String) {
        let info = try await global.withClient { client throws(MFClientError) in try await client.send(TrainStatusRequest(job: job)) }
        guard !info.epochs.isEmpty else {
            FileHandle.standardError.write(Data("mfctl: training job \(info.job) (\(info.state.rawValue)) reports no per-epoch log to plot\n".utf8))
            throw CtlExit(code: MFProtocol.ExitCode.daemonError)
        }
        return (TrainingCurvePlot(epochs: info.epochs, job: info.job).svg(), "job \(info.job), \(info.epochs.count) epochs")
    }
}
