import RecCore

/// A model written in Rec: `score(user, item)` (raw IDs) gives a number, and an optional
/// `fit(data)` runs first. Scoring calls back into the interpreter, so it runs on one thread.
final class ClosureModel: Recommender {
    let name: String
    let interpreter: Interpreter
    let fitFunction: Value?
    let scoreFunction: Value
    let location: SourceLocation
    private(set) var userCount = 0
    private(set) var itemCount = 0
    private(set) var trainingItems = TrainingItems()
    private var users = IDMap(), items = IDMap()
    private var integerUsers = false, integerItems = false
    /// The first error a score call raised (scoring cannot throw through the protocol).
    private(set) var failure: RecError?

    init(name: String, interpreter: Interpreter, fit: Value?, score: Value, location: SourceLocation) {
        self.name = name
        self.interpreter = interpreter
        self.fitFunction = fit
        self.scoreFunction = score
        self.location = location
    }

    var concurrentScoring: Bool { false }

    func fit(_ train: Interactions, context: FitContext) throws {
        if let fitFunction {
            _ = try interpreter.call(fitFunction, [.native(DatasetObject(train))], at: location)
        }
        userCount = train.userCount
        itemCount = train.itemCount
        users = train.users
        items = train.items
        integerUsers = train.users.keysAreIntegers
        integerItems = train.items.keysAreIntegers
        trainingItems = TrainingItems(train)
    }

    private func score(_ u: Int32, _ i: Int32) -> Float {
        guard failure == nil else { return .nan }
        let user: Value = Int(u) < users.count ? ModelBuiltins.idValue(users, Int(u), integers: integerUsers) : .nil
        let item = ModelBuiltins.idValue(items, Int(i), integers: integerItems)
        do {
            let v = try interpreter.call(scoreFunction, [user, item], at: location)
            switch v {
            case .int(let x): return Float(x)
            case .double(let x): return Float(x)
            case .nil: return .nan
            default:
                failure = RecError(.type, "\(name): score must return a number (or nil), got \(v.aTypeName)", at: location)
                return .nan
            }
        } catch {
            failure = error
            return .nan
        }
    }

    func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<itemCount { scores[i] = score(user, Int32(i)) }
    }

    func score(user: Int32, items: [Int32]) -> [Float] {
        items.map { $0 >= 0 && Int($0) < itemCount ? score(user, $0) : .nan }
    }

    /// Rethrows the first scoring error after a batch of scoring.
    func check() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }
}
