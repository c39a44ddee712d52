// A model kind declared once: its user-facing name, hyper-parameters, what it consumes, what it
// offers, its paper, and how to build it. LensKit keeps one validated config class per model
// (lkpy's `ALSConfig`); here the declaration is data, so the language's constructors, help,
// docs, completion, saving and grid search are generated from it rather than restated.

/// What a model can do.
public struct ModelCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Scores are predicted ratings (RMSE and MAE mean something).
    public static let predictsRatings = ModelCapabilities(rawValue: 1 << 0)
    /// Produces top-k lists (every model does).
    public static let ranks = ModelCapabilities(rawValue: 1 << 1)
    /// `explain` names the parts of a score beyond the score itself.
    public static let explains = ModelCapabilities(rawValue: 1 << 2)
    /// `similarItems` answers.
    public static let similarItems = ModelCapabilities(rawValue: 1 << 3)
    /// Records a training loss per epoch (`IterativeRecommender`).
    public static let lossHistory = ModelCapabilities(rawValue: 1 << 4)
    /// Folds new interactions in without a full refit.
    public static let incremental = ModelCapabilities(rawValue: 1 << 5)
    /// Saves its learned state (`PersistentRecommender`).
    public static let persistent = ModelCapabilities(rawValue: 1 << 6)

    /// These and, when `condition` holds, `more` too.
    public func adding(_ more: ModelCapabilities, if condition: Bool) -> ModelCapabilities { condition ? union(more) : self }

    /// Names for docs and `help`.
    public var names: [String] {
        let all: [(ModelCapabilities, String)] = [(.predictsRatings, "predicts ratings"), (.ranks, "ranks"), (.explains, "explains"),
                                                  (.similarItems, "similar items"), (.lossHistory, "loss history"),
                                                  (.incremental, "incremental update"), (.persistent, "saves fitted")]
        return all.filter { contains($0.0) }.map(\.1)
    }
}

/// What a model reads from its training data.
public struct ModelInput: Sendable, Equatable {
    public enum Values: String, Sendable {
        /// Needs a value column (ratings); fitting data without one is an error.
        case required
        /// Uses values when present (as implicit-feedback strengths).
        case used
        /// Ignores values: every interaction counts the same (they are dropped before fitting).
        case ignored
    }
    public var values: Values
    public var timestamps = false
    public var itemAttributes = false
    public var userAttributes = false
    /// Reads the channel column (app, web, store).
    public var channels = false

    public init(values: Values, timestamps: Bool = false, itemAttributes: Bool = false, userAttributes: Bool = false) {
        self.values = values; self.timestamps = timestamps
        self.itemAttributes = itemAttributes; self.userAttributes = userAttributes
    }

    public static let ratings = ModelInput(values: .required)
    public static let interactions = ModelInput(values: .ignored)
    public static let weightedInteractions = ModelInput(values: .used)

    /// "ratings", "interactions (values ignored)", "+ timestamps" — for docs.
    public var text: String {
        var s: String
        switch values {
        case .required: s = "ratings"
        case .used: s = "interactions, weighted by value"
        case .ignored: s = "interactions"
        }
        if timestamps { s += ", timestamps" }
        if itemAttributes { s += ", item attributes" }
        if userAttributes { s += ", user attributes" }
        if channels { s += ", channels" }
        return s
    }
}

/// One kind of model (`biased_mf`, `item_knn` …) as the catalogue declares it.
public struct ModelKind: Sendable {
    /// The name users write: the constructor's name in Rec, the key of saved models.
    public let name: String
    /// One line: what it is.
    public let summary: String
    /// More: the formula, when to use it, what the options mean.
    public let details: String
    /// The paper it follows (authors, venue, year).
    public let paper: String
    public let parameters: [HyperParameter]
    /// What it reads, which may depend on its parameters (als with implicit: true ignores nothing).
    public let input: @Sendable (ModelConfig) -> ModelInput
    /// What it offers, which may depend on its parameters (item_knn predicts ratings only with
    /// feedback: "explicit").
    public let capabilities: @Sendable (ModelConfig) -> ModelCapabilities
    /// Rules between parameters, checked after each is valid on its own.
    public let check: @Sendable (ModelConfig) throws(ModelConfigError) -> Void
    /// A new, unfitted model for a valid configuration.
    public let make: @Sendable (ModelConfig) throws -> any Recommender

    public init(_ name: String, summary: String, details: String = "", paper: String, parameters: [HyperParameter],
                input: @escaping @Sendable (ModelConfig) -> ModelInput,
                capabilities: @escaping @Sendable (ModelConfig) -> ModelCapabilities,
                check: @escaping @Sendable (ModelConfig) throws(ModelConfigError) -> Void = { _ throws(ModelConfigError) in },
                make: @escaping @Sendable (ModelConfig) throws -> any Recommender) {
        self.name = name; self.summary = summary; self.details = details; self.paper = paper
        self.parameters = parameters; self.input = input; self.capabilities = capabilities
        self.check = check; self.make = make
    }

    /// The same input and capabilities whatever the parameters.
    public init(_ name: String, summary: String, details: String = "", paper: String, parameters: [HyperParameter],
                input: ModelInput, capabilities: ModelCapabilities,
                check: @escaping @Sendable (ModelConfig) throws(ModelConfigError) -> Void = { _ throws(ModelConfigError) in },
                make: @escaping @Sendable (ModelConfig) throws -> any Recommender) {
        self.init(name, summary: summary, details: details, paper: paper, parameters: parameters,
                  input: { _ in input }, capabilities: { _ in capabilities }, check: check, make: make)
    }

    public func parameter(_ name: String) -> HyperParameter? { parameters.first { $0.name == name } }

    /// The declared default of a parameter, for Swift initializers' default arguments (so a
    /// default is written once, here).
    public func defaultInt(_ name: String) -> Int {
        guard case .int(let v) = parameter(name)?.defaultValue else { preconditionFailure("\(self.name) has no Int default \(name)") }
        return v
    }
    public func defaultDouble(_ name: String) -> Double {
        guard case .double(let v) = parameter(name)?.defaultValue else { preconditionFailure("\(self.name) has no Float default \(name)") }
        return v
    }
    public func defaultBool(_ name: String) -> Bool {
        guard case .bool(let v) = parameter(name)?.defaultValue else { preconditionFailure("\(self.name) has no Bool default \(name)") }
        return v
    }
    public func defaultString(_ name: String) -> String {
        guard case .string(let v) = parameter(name)?.defaultValue else { preconditionFailure("\(self.name) has no String default \(name)") }
        return v
    }

    /// A validated configuration from the given values (defaults for the rest).
    public func configure(_ values: [String: ParameterValue] = [:]) throws(ModelConfigError) -> ModelConfig {
        try ModelConfig(self, values)
    }

    /// A new unfitted model: `try BiasedMF.kind.model(["factors": .int(20)])`.
    public func model(_ values: [String: ParameterValue] = [:]) throws -> any Recommender {
        try make(try configure(values))
    }
}
