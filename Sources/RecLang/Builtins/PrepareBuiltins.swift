import RecCore

/// Preparing behaviour data and splitting it. Every random choice takes a seed.
enum PrepareBuiltins {
    static func seed(_ a: Arguments) throws -> UInt64 { UInt64(bitPattern: Int64(try a.int("seed"))) }

    static func data(_ a: Arguments) throws -> Interactions { try DataBuiltins.dataset(a, "data") }

    /// Warns when a split has an empty side (`fold`: which of kfold's splits).
    static func warnIfEmpty(_ r: SplitReport, _ a: Arguments, fold: Int? = nil) {
        guard let what = r.emptySide else { return }
        a.interpreter.warn("\(a.spec.name)(): \(fold.map { "fold \($0): " } ?? "")\(what)", at: a.location)
    }

    static func split(_ s: Split, _ a: Arguments) -> Value {
        let r = s.report
        warnIfEmpty(r, a)
        if r.testRowsWithUnseenUser > 0 || r.testRowsWithUnseenItem > 0 {
            // Reported, not dropped: evaluation decides what to do with cold-start rows.
            a.interpreter.warn("\(a.spec.name)(): \(r.unseenUsers) test user(s) and \(r.unseenItems) test item(s) never appear in training "
                               + "(\(r.testRowsWithUnseenUser) and \(r.testRowsWithUnseenItem) test rows); they are kept — see split.report",
                               at: a.location)
        }
        return .native(SplitObject(s, seed: a.declares("seed") ? (try? a.int("seed")) : nil))
    }

    static func register(into r: BuiltinRegistry) {
        let prep = "Preparing data"
        let splits = "Splitting"
        r.register([
            BuiltinSpec("dedupe", [.required("data", "Dataset"), .optional("by", "String", default: .string("user_item")),
                                   .optional("keep", "String", default: .string("last"))], returns: "Dataset", category: prep,
                        doc: "Removes repeated interactions: by \"user_item\" (default) or \"user_item_event\"; keep \"last\" (latest) or \"first\".") { a in
                let by: DuplicateKey
                switch try a.string("by") {
                case "user_item": by = .userItem
                case "user_item_event": by = .userItemEvent
                case let s: throw a.error("dedupe(): by must be \"user_item\" or \"user_item_event\", got \"\(s)\"")
                }
                guard let keep = KeepPolicy(rawValue: try a.string("keep")) else { throw a.error("dedupe(): keep must be \"first\" or \"last\"") }
                return DataBuiltins.wrap(try data(a).deduplicated(by: by, keep: keep))
            },
            BuiltinSpec("filter_time", [.required("data", "Dataset"), .optional("from", "Int", range: BuiltinParam.anyInt), .optional("to", "Int", range: BuiltinParam.anyInt)],
                        returns: "Dataset", category: prep,
                        doc: "The interactions with from <= timestamp < to (Unix seconds; either bound may be omitted).") { a in
                let d = try data(a), from = try a.optionalInt("from"), to = try a.optionalInt("to")
                return DataBuiltins.wrap(try DataBuiltins.rethrow(a) { try d.filtered(from: from.map(Int64.init), to: to.map(Int64.init)) })
            },
            BuiltinSpec("filter_events", [.required("data", "Dataset"), .required("events")], returns: "Dataset", category: prep,
                        doc: "The interactions whose event type is one of `events` (a name or a list).") { a in
                let d = try data(a), names = try TableBuiltins.names(a, "events")
                return DataBuiltins.wrap(try DataBuiltins.rethrow(a) { try d.filtered(events: names) })
            },
            BuiltinSpec("filter_channels", [.required("data", "Dataset"), .required("channels")], returns: "Dataset", category: prep,
                        doc: "The interactions through one of `channels` (a name or a list).") { a in
                let d = try data(a), names = try TableBuiltins.names(a, "channels")
                return DataBuiltins.wrap(try DataBuiltins.rethrow(a) { try d.filtered(channels: names) })
            },
            BuiltinSpec("kcore", [.required("data", "Dataset"), .required("k", "Int", range: 1...Int.max), .optional("item_k", "Int", range: 1...Int.max)], returns: "Dataset", category: prep,
                        doc: "Repeatedly drops users with fewer than k interactions and items with fewer than item_k (default k) until none remain.") { a in
                let k = try a.int("k"), ik = try a.optionalInt("item_k") ?? k
                guard k >= 0, ik >= 0 else { throw a.error("kcore(): k must not be negative") }
                return DataBuiltins.wrap(try data(a).kCore(userK: k, itemK: ik))
            },
            BuiltinSpec("weight_events", [.required("data", "Dataset"), .required("weights", "Map"), .optional("default", "Float", default: .double(0))],
                        returns: "Dataset", category: prep,
                        doc: """
                        Turns event types into implicit-feedback confidence values: each interaction's value becomes its event's weight; events not in `weights` get `default`, and zero-weight rows are dropped.
                        Example: weight_events(data, ["view": 1, "cart": 3, "purchase": 5])
                        """) { a in
                let m = try a.map("weights")
                var w: [String: Double] = [:]
                for i in 0..<m.count {
                    guard case .string(let k) = m.keys[i], let x = Ops.number(m.values[i]) else {
                        throw a.error("weight_events(): weights map event names to numbers", kind: .type)
                    }
                    w[k] = x
                }
                let d = try data(a), def = try a.double("default")
                return DataBuiltins.wrap(try DataBuiltins.rethrow(a) { try d.weighted(w, default: def) })
            },
            BuiltinSpec("binarize", [.required("data", "Dataset"), .required("threshold", "Float"), .optional("drop", "Bool", default: .bool(true))],
                        returns: "Dataset", category: prep,
                        doc: "Values >= threshold become 1; the rest are dropped (or become 0 with drop: false).") { a in
                let d = try data(a), t = try a.double("threshold"), drop = try a.bool("drop")
                return DataBuiltins.wrap(try DataBuiltins.rethrow(a) { try d.binarized(threshold: t, dropBelow: drop) })
            },
            BuiltinSpec("sample_users", [.required("data", "Dataset"), .optional("n", "Int", range: 0...Int.max), .optional("fraction", "Float"),
                                         .optional("seed", "Int", default: .int(0), range: BuiltinParam.anyInt)], returns: "Dataset", category: prep,
                        doc: "All interactions of a random sample of users: n users, or a fraction of them.") { a in
                let d = try data(a)
                if let n = try a.optionalInt("n") {
                    guard n >= 0 else { throw a.error("sample_users(): n must not be negative") }
                    return DataBuiltins.wrap(d.sampledUsers(n, seed: try seed(a)))
                }
                guard let f = try a.optionalDouble("fraction"), f >= 0, f <= 1 else {
                    throw a.error("sample_users(): give n: or a fraction: between 0 and 1")
                }
                return DataBuiltins.wrap(d.sampledUsers(fraction: f, seed: try seed(a)))
            },
            BuiltinSpec("holdout", [.required("data", "Dataset"), .optional("test", "Float", default: .double(0.2)),
                                    .optional("seed", "Int", default: .int(0), range: BuiltinParam.anyInt)], returns: "Split", category: splits,
                        doc: "A random split: each interaction goes to the test set with probability `test`.") { a in
                let d = try data(a), f = try a.double("test"), s = try seed(a)
                return split(try DataBuiltins.rethrow(a) { try d.randomSplit(testFraction: f, seed: s) }, a)
            },
            BuiltinSpec("temporal_split", [.required("data", "Dataset"), .optional("test", "Float", default: .double(0.2)),
                                           .optional("cutoff", "Int", range: BuiltinParam.anyInt)], returns: "Split", category: splits,
                        doc: "A global temporal split: the latest `test` fraction of interactions (or everything at or after `cutoff`, Unix seconds) is the test set.") { a in
                let d = try data(a)
                if let c = try a.optionalInt("cutoff") { return split(try DataBuiltins.rethrow(a) { try d.temporalSplit(cutoff: Int64(c)) }, a) }
                let f = try a.double("test")
                return split(try DataBuiltins.rethrow(a) { try d.temporalSplit(testFraction: f) }, a)
            },
            BuiltinSpec("user_temporal_split", [.required("data", "Dataset"), .optional("last", "Int", range: 1...Int.max), .optional("fraction", "Float"),
                                                .optional("min_train", "Int", default: .int(1), range: 0...Int.max)], returns: "Split", category: splits,
                        doc: "A per-user temporal split: each user's last n interactions (last:) or last fraction (fraction:) are the test set; users keep at least min_train in training.") { a in
                let d = try data(a), minTrain = try a.int("min_train")
                if let n = try a.optionalInt("last") { return split(try DataBuiltins.rethrow(a) { try d.perUserTemporalSplit(lastN: n, minTrain: minTrain) }, a) }
                guard let f = try a.optionalDouble("fraction") else { throw a.error("user_temporal_split(): give last: n or fraction: f") }
                return split(try DataBuiltins.rethrow(a) { try d.perUserTemporalSplit(lastFraction: f, minTrain: minTrain) }, a)
            },
            BuiltinSpec("leave_one_out", [.required("data", "Dataset"), .optional("seed", "Int", default: .int(0), range: BuiltinParam.anyInt)], returns: "Split", category: splits,
                        doc: "Each user's latest interaction (a random one when there are no timestamps) is the test set.") { a in
                split(try data(a).leaveOneOut(seed: try seed(a)), a)
            },
            BuiltinSpec("kfold", [.required("data", "Dataset"), .optional("k", "Int", default: .int(5), range: 2...1_000), .optional("by", "String", default: .string("interaction")),
                                  .optional("seed", "Int", default: .int(0), range: BuiltinParam.anyInt), .optional("test", "Float", default: .double(0.2))],
                        returns: "List", category: splits,
                        doc: "k splits for cross-validation: by \"interaction\" (each interaction is tested once) or by \"user\" (each user's fold holds out a `test` fraction of their interactions).") { a in
                guard let unit = FoldUnit(rawValue: try a.string("by")) else { throw a.error("kfold(): by must be \"interaction\" or \"user\"") }
                let d = try data(a), k = try a.int("k"), s = try seed(a), f = try a.double("test")
                let folds = try DataBuiltins.rethrow(a) { try d.kFold(k, by: unit, seed: s, testFraction: f) }
                for (f, fold) in folds.enumerated() { warnIfEmpty(fold.report, a, fold: f + 1) }
                // One warning for all folds: cold-start rows are kept, as in the single splits.
                let users = folds.map(\.report.unseenUsers), items = folds.map(\.report.unseenItems)
                if users.contains(where: { $0 > 0 }) || items.contains(where: { $0 > 0 }) {
                    a.interpreter.warn("kfold(): test users never seen in training per fold: \(users), items: \(items); they are kept — see each split's report",
                                       at: a.location)
                }
                return .list(folds.map { .native(SplitObject($0, seed: try? a.int("seed"))) })
            },
        ])
    }
}
