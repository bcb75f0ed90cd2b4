import ArgumentParser
import MFCore

/// Flags for implicit-feedback ALS and collective-MF block weights; left out,
/// they keep `TrainingConfig()`'s defaults.
struct ModelOptions: ParsableArguments {
    @Option(help: "Implicit ALS: confidence slope α (c = 1 + α·value).")
    var alpha: Float?
    @Option(help: "Implicit ALS: λ on all factors (not count-scaled).")
    var implicitAlsLambda: Float?
    @Option(help: "Implicit ALS: values below this are not interactions.")
    var implicitThreshold: Float?
    @Option(help: "Implicit ALS: count each interaction as 1 (true) or by its value (false).")
    var implicitBinary: Bool?
    @Option(help: "Collective MF: weight of the user-attribute block.")
    var userWeight: Float?
    @Option(help: "Collective MF: weight of the item-attribute block.")
    var itemWeight: Float?
    @Option(help: "Collective MF: λ on the attribute factors.")
    var attrLambda: Float?

    /// True when a flag sets one of these hyperparameters.
    var setsHyperparameters: Bool {
        let given: [Any?] = [alpha, implicitAlsLambda, implicitThreshold, implicitBinary, userWeight, itemWeight, attrLambda]
        return given.contains { $0 != nil }
    }

    func apply(to c: inout TrainingConfig) {
        if let alpha { c.implicitALS.alpha = alpha }
        if let implicitAlsLambda { c.implicitALS.lambda = implicitAlsLambda }
        if let implicitThreshold { c.implicitALS.threshold = implicitThreshold }
        if let implicitBinary { c.implicitALS.binary = implicitBinary }
        if let userWeight { c.sideInfo.userWeight = userWeight }
        if let itemWeight { c.sideInfo.itemWeight = itemWeight }
        if let attrLambda { c.sideInfo.lambda = attrLambda }
    }
}
