import MFCore
import MFProtocol
import Testing
@testable import MFServer

/// The training configuration selects the model kind, its λ, α and attribute weights.
@Suite struct ModelKindConfigTests {
    @Test func eachKindMapsToItsTrainingConfig() throws {
        var c = try TrainingSettings.defaults.applying(SetConfigRequest(model: .implicit, alpha: 3))
        #expect(c.lambda == 0.05 && c.training.algorithm == .implicit)
        #expect(c.training.implicitALS == ImplicitFeedback(alpha: 3, lambda: 0.05))
        c = try c.applying(SetConfigRequest(model: .collective, userAttrWeight: 0.5, itemAttrWeight: 4))
        #expect(c.lambda == 0.15 && c.training.algorithm == .als)
        #expect(c.training.sideInfo == SideInfoConfig(userWeight: 0.5, itemWeight: 4))
        // A λ given with the switch wins; the same kind again keeps the λ.
        c = try c.applying(SetConfigRequest(model: .explicit, lambda: 0.2))
        #expect(c.lambda == 0.2 && c.training.lambda == 0.2)
        #expect(try c.applying(SetConfigRequest(model: .explicit)).lambda == 0.2)
    }

    @Test func badValuesNameTheirField() {
        func field(_ r: SetConfigRequest) -> String? {
            do { _ = try TrainingSettings.defaults.applying(r); return nil } catch let e as WireError { return e.field } catch { return "?" }
        }
        #expect(field(SetConfigRequest(model: .implicit, lambda: 0)) == "lambda")
        #expect(field(SetConfigRequest(userAttrWeight: -1)) == "user_attr_weight")
        #expect(field(SetConfigRequest(itemAttrWeight: .nan)) == "item_attr_weight")
        #expect(field(SetConfigRequest(alpha: -2)) == "alpha")
        #expect(field(SetConfigRequest(model: .collective)) == nil)
    }

    @Test func kindIsReadFromTheModel() throws {
        let data = try RatingMatrix(users: [0, 0, 1, 1], items: [0, 1, 0, 1], ratings: [5, 4, 4, 5])
        var t = TrainingConfig(); t.factors = 2; t.iterations = 2; t.threads = 1
        #expect(ModelKind(try MFTrainer.train(data, config: t)) == .explicit)
        let side = SideInfo(users: [["age": .number(20)], ["age": .number(40)]])
        #expect(ModelKind(try MFTrainer.train(data, sideInfo: side, config: t)) == .collective)
        t.algorithm = .implicit
        #expect(ModelKind(try MFTrainer.train(data, config: t)) == .implicit)
    }
}
