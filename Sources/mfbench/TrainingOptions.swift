import ArgumentParser
import MFCore

/// Training flags shared by subcommands. Flags left out keep the product
/// defaults (`TrainingConfig()`), or the plain defaults with `--plain`.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Training algorithm: als or sgd.")
    var algo: Algorithm?
    @Option(help: "Latent factors k.")
    var factors: Int?
    @Option(help: "Factor penalty λ (count-scaled when weighted).")
    var lambda: Float?
    @Option(help: "Bias penalty (defaults to the product default, or λ with --plain).")
    var biasLambda: Float?
    @Option(help: "ALS sweeps / SGD epochs.")
    var iterations: Int?
    @Option(help: "Worker threads (0 = all cores).")
    var threads: Int?
    @Option(help: "Random seed.")
    var seed: UInt64?
    @Flag(help: "Plain biased MF: no implicit features, fixed λ (like-for-like with cmfrec).")
    var plain = false
    @Option(help: "Scale penalties by rating count (true/false).")
    var weightedLambda: Bool?
    @Option(help: "Weighted λ exponent: penalties × n^e.")
    var lambdaExponent: Float?
    @Option(help: "Weighted λ exponent for the bias penalty (0 = constant).")
    var biasLambdaExponent: Float?
    @Option(help: "ALS conjugate-gradient steps before the last epoch (0 = exact).")
    var cgSteps: Int?
    @Option(help: "Weight of the implicit-feedback term (0 = off).")
    var implicitWeight: Float?
    @Option(help: "Penalty on the implicit item factors.")
    var implicitLambda: Float?
    @Option(help: "Weight of the item-side implicit term (which users rated an item; 0 = off).")
    var implicitUserWeight: Float?
    @Option(help: "Penalty on the implicit user factors.")
    var implicitUserLambda: Float?
    @Option(help: "Ranking: weight of the implicit term.")
    var rankImplicitWeight: Float?
    @Option(help: "Ranking: weight of the item bias.")
    var rankBiasWeight: Float?
    @Option(help: "SGD learning rate.")
    var learningRate: Float?
    @Option(help: "SGD learning-rate decay per epoch.")
    var learningRateDecay: Float?
    @Option(help: "SGD factor penalty.")
    var sgdLambda: Float?
    @Option(help: "SGD bias penalty.")
    var sgdBiasLambda: Float?

    /// True when a flag sets a hyperparameter (threads, seed and the model kind `--algo` are not ones):
    /// without any, commands run the search mfd runs.
    var setsHyperparameters: Bool {
        let given: [Any?] = [factors, lambda, biasLambda, iterations, weightedLambda, lambdaExponent, biasLambdaExponent,
                             cgSteps, implicitWeight, implicitLambda, implicitUserWeight, implicitUserLambda, rankImplicitWeight,
                             rankBiasWeight, learningRate, learningRateDecay, sgdLambda, sgdBiasLambda]
        return plain || given.contains { $0 != nil }
    }

    /// The config these flags describe.
    func config() -> TrainingConfig {
        var c = plain ? TrainingConfig.plain() : TrainingConfig()
        if let algo { c.algorithm = algo }
        if let factors { c.factors = factors }
        if let lambda { c.lambda = lambda; if plain { c.biasLambda = lambda } }
        if let biasLambda { c.biasLambda = biasLambda }
        if let iterations { c.iterations = iterations }
        if let threads { c.threads = threads }
        if let seed { c.seed = seed }
        if let weightedLambda { c.weightedLambda = weightedLambda }
        if let lambdaExponent { c.lambdaExponent = lambdaExponent }
        if let biasLambdaExponent { c.biasLambdaExponent = biasLambdaExponent }
        if let cgSteps { c.cgSteps = cgSteps }
        if let implicitWeight { c.implicitWeight = implicitWeight }
        if let implicitLambda { c.implicitLambda = implicitLambda }
        if let implicitUserWeight { c.implicitUserWeight = implicitUserWeight }
        if let implicitUserLambda { c.implicitUserLambda = implicitUserLambda }
        if let rankImplicitWeight { c.ranking.implicitWeight = rankImplicitWeight }
        if let rankBiasWeight { c.ranking.itemBiasWeight = rankBiasWeight }
        if let learningRate { c.learningRate = learningRate }
        if let learningRateDecay { c.learningRateDecay = learningRateDecay }
        if let sgdLambda { c.sgdLambda = sgdLambda }
        if let sgdBiasLambda { c.sgdBiasLambda = sgdBiasLambda }
        return c
    }
}

extension Algorithm: ExpressibleByArgument {}
