import ArgumentParser
import Foundation
import MFProtocol

/// `mfctl config`: show the training configuration (`get_config`), or change
/// the named settings (`set_config`, persisted; the next training uses them).
struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the training configuration and retrain policy.",
        discussion: "Without options prints the configuration. --model explicit|implicit|collective selects what `train` fits; "
            + "changing --model without --lambda takes that model's default λ.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "explicit, implicit or collective.") var model: ModelKind?
    @Option(help: "Latent factors k.") var factors: Int?
    @Option(help: "Regularization λ (pins it: the search no longer chooses it).") var lambda: Double?
    @Option(help: "Training iterations.") var iterations: Int?
    @Option(help: "Confidence 1 + alpha·value of the implicit ALS that ranks (the implicit model, or the ranker; pins it).") var alpha: Double?
    @Option(help: "Collective model: weight of the user-attribute block.") var userAttrWeight: Double?
    @Option(help: "Collective model: weight of the item genres/attributes block.") var itemAttrWeight: Double?
    @Option(help: "auto, manual or external.") var retrain: RetrainMode?
    @Option(help: "Retrain after this many changes (0 = never by count).") var retrainAfterChanges: Int?
    @Option(help: "Retrain this many minutes after the first pending change (0 = never by time).") var retrainAfterMinutes: Double?
    @Option(help: "Fraction of ratings a training holds out to score each epoch, then folds in (0 = none).") var holdoutFraction: Double?
    @Option(help: "Sweeps of a retrain that starts from the current model (0 = always start cold).") var warmIterations: Int?
    @Option(help: "Weight of the rating model's score beside the ranker's in recommend (pins it).") var rankingWeight: Double?
    @Option(help: "Search λ, alpha and the ranking weight on the data's own holdout: on or off.") var search: Switch?
    @Option(help: "Keys the search leaves alone, comma-separated (lambda, alpha, ranking_weight; '' unpins all).") var pinned: String?

    func run() async throws {
        let set = SetConfigRequest(model: model, factors: factors, lambda: lambda, iterations: iterations, alpha: alpha,
                                   userAttrWeight: userAttrWeight, itemAttrWeight: itemAttrWeight, retrain: retrain,
                                   retrainAfterChanges: retrainAfterChanges, retrainAfterMinutes: retrainAfterMinutes,
                                   holdoutFraction: holdoutFraction, warmIterations: warmIterations, search: search.map { $0 == .on },
                                   pinned: pinned.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
                                   rankingWeight: rankingWeight)
        if set == SetConfigRequest() { return try await global.run(GetConfigRequest(), human: Self.text) }
        try await global.run(set, human: Self.text)
    }

    static func text(_ c: TrainingSettings) -> String {
        "model \(c.model.rawValue), factors \(c.factors), lambda \(c.lambda), iterations \(c.iterations), alpha \(c.alpha), "
            + "user_attr_weight \(c.userAttrWeight), item_attr_weight \(c.itemAttrWeight), seed \(c.seed), threads \(c.threads)\n"
            + "retrain \(c.retrain.rawValue), after \(c.retrainAfterChanges) changes or \(c.retrainAfterMinutes) minutes; "
            + "holdout_fraction \(c.holdoutFraction), warm_iterations \(c.warmIterations)\n"
            + "search \(c.search ? "on" : "off"), pinned [\(c.pinned.joined(separator: ", "))], ranking_weight \(c.rankingWeight)"
            + (c.searched.map { "\n" + searchedText($0) } ?? "")
    }

    /// "searched: lambda 0.15, ranking_weight 0.05 (first training, 100836 ratings)".
    static func searchedText(_ s: SearchedValues) -> String {
        "searched: lambda \(s.lambda), " + (s.alpha.map { "alpha \($0), " } ?? "") + "ranking_weight \(s.rankingWeight) (\(s.reason), \(s.ratings) ratings)"
    }

    enum Switch: String, ExpressibleByArgument { case on, off }
}

extension ModelKind: ExpressibleByArgument {}
extension RetrainMode: ExpressibleByArgument {}
