import RecCore

/// Behaviour data as a Rec value (`Dataset`): interactions plus user and item attributes.
public final class DatasetObject: NativeObject {
    public let data: Interactions
    /// The load report (lines read, lines skipped) when the data came from a file.
    public let report: LoadReport?

    public init(_ data: Interactions, report: LoadReport? = nil) {
        self.data = data
        self.report = report
    }

    public override var typeName: String { "Dataset" }

    /// Text, and a summary table for notebooks.
    public override func display(_ options: DisplayOptions) -> DisplayData {
        DisplayData(["text/plain": text(options), "text/html": SummaryHTML.dataset(self)])
    }

    /// Whether IDs come out as Ints (every ID is an integer), as in `table(data)`; computed once.
    private lazy var integerUsers = data.users.keysAreIntegers
    private lazy var integerItems = data.items.keysAreIntegers
    /// Users and items with at least one interaction here. After filtering, or in a test set that
    /// shares its training set's ID space, the ID maps hold more IDs than the data uses.
    private lazy var presentUsers = data.userCounts().reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
    private lazy var presentItems = data.itemCounts().reduce(0) { $0 + ($1 > 0 ? 1 : 0) }

    public override var memberNames: [String] {
        ["count", "users", "items", "density", "events", "channels", "user_attributes", "item_attributes", "has_values", "has_timestamps"]
    }

    public override func member(_ name: String) -> Value? {
        switch name {
        case "count": return .int(data.count)
        case "users": return .int(presentUsers)
        case "items": return .int(presentItems)
        case "density":
            let cells = Double(presentUsers) * Double(presentItems)
            return .double(cells == 0 ? 0 : Double(data.matrix(values: .ones).nnz) / cells)
        case "events": return .list((data.events?.labels ?? []).map { .string($0) })
        case "channels": return .list((data.channels?.labels ?? []).map { .string($0) })
        case "user_attributes": return data.userAttributes.map { .native(TableObject($0.asTable(keyName: "user"))) } ?? .nil
        case "item_attributes": return data.itemAttributes.map { .native(TableObject($0.asTable(keyName: "item"))) } ?? .nil
        case "has_values": return .bool(data.values != nil)
        case "has_timestamps": return .bool(data.timestamps != nil)
        default: return nil
        }
    }

    /// `data[i]`: the i-th interaction as a map.
    public override func subscriptValue(_ key: Value) throws -> Value? {
        guard case .int(let i) = key else { return nil }
        let j = i < 0 ? i + data.count : i
        guard j >= 0 && j < data.count else { throw RecError(.value, "interaction \(i) out of range (count is \(data.count))") }
        let r = data.row(j)
        let m = MapRef()
        m.set(.string("user"), ModelBuiltins.idValue(data.users, Int(data.user[j]), integers: integerUsers))
        m.set(.string("item"), ModelBuiltins.idValue(data.items, Int(data.item[j]), integers: integerItems))
        if let v = r.value { m.set(.string("value"), .double(v)) }
        if let t = r.timestamp { m.set(.string("timestamp"), .int(Int(t))) }
        if let e = r.event { m.set(.string("event"), .string(e)) }
        if let c = r.channel { m.set(.string("channel"), .string(c)) }
        return .map(m)
    }

    public override var textDescription: String {
        var parts = ["\(data.count) interactions", "\(presentUsers) users", "\(presentItems) items"]
        if let e = data.events { parts.append("events: " + e.labels.joined(separator: ", ")) }
        if let c = data.channels { parts.append("channels: " + c.labels.joined(separator: ", ")) }
        if data.values != nil { parts.append("with values") }
        if data.timestamps != nil { parts.append("with timestamps") }
        if let a = data.userAttributes { parts.append("user attributes: " + a.columnNames.joined(separator: ", ")) }
        if let a = data.itemAttributes { parts.append("item attributes: " + a.columnNames.joined(separator: ", ")) }
        return "Dataset(" + parts.joined(separator: " · ") + ")"
    }
}

/// A train/test split (`Split`): `.train` and `.test` share one ID space; `.report` says how many
/// test users and items training never saw.
public final class SplitObject: NativeObject {
    public let split: Split
    /// The seed of a random split (holdout, leave_one_out, kfold), logged with experiments.
    public let seed: Int?

    public init(_ split: Split, seed: Int? = nil) { self.split = split; self.seed = seed }

    public override var typeName: String { "Split" }

    /// Text, and a summary table for notebooks.
    public override func display(_ options: DisplayOptions) -> DisplayData {
        DisplayData(["text/plain": text(options), "text/html": SummaryHTML.split(self)])
    }
    public override var memberNames: [String] { ["train", "test", "report"] }

    public override func member(_ name: String) -> Value? {
        switch name {
        case "train": return .native(DatasetObject(split.train))
        case "test": return .native(DatasetObject(split.test))
        case "report":
            let r = split.report
            return .record(RecordRef(names: ["train_rows", "test_rows", "test_users", "test_items", "unseen_users", "unseen_items",
                                             "test_rows_with_unseen_user", "test_rows_with_unseen_item"],
                                     values: [r.trainRows, r.testRows, r.testUsers, r.testItems, r.unseenUsers, r.unseenItems,
                                              r.testRowsWithUnseenUser, r.testRowsWithUnseenItem].map { .int($0) }))
        default: return nil
        }
    }

    public override var textDescription: String { split.description }
}
