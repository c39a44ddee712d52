// Every model kind Rec ships, in the order help and docs list them. Adding a model: its core file
// with a `static let kind` declaration, one line here, and its tests (the contract test in
// Tests/RecCoreTests/CatalogueContractTests.swift runs on every entry automatically).

public enum ModelCatalogue {
    public static let kinds: [ModelKind] = [
        Popularity.kind, BiasBaseline.kind, ItemKNN.kind, UserKNN.kind, BiasedMF.kind, SVDPlusPlus.kind,
        ExplicitALS.kind, BPR.kind, EASE.kind, NCF.kind, ContentBased.kind, SequentialMarkov.kind, Hybrid.kind, ChannelModel.kind,
        DPPopularity.kind, DPMatrixFactorization.kind,
    ]

    /// The kinds whose default configuration folds new events in without a refit (`update`).
    public static var incrementalKinds: [String] {
        kinds.filter { k in (try? k.configure())?.capabilities.contains(.incremental) ?? false }.map(\.name)
    }

    public static func kind(named name: String) -> ModelKind? { kinds.first { $0.name == name } }
}
