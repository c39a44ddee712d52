// Prequential evaluation over time: the log is cut into windows of equal length; a model trained
// on everything before a window recommends, is scored on the window's events, then learns them
// (an update, a refit, or nothing) before the next window. What freshness is worth, and costs.

import Foundation

/// What the model does with a window's events once they are scored.
public enum ReplayMode: String, Sendable, CaseIterable {
    /// `IncrementalRecommender.update` with the window's events.
    case incremental
    /// A new fit on everything up to the window's end.
    case full
    /// Nothing: the model trained before the first window is scored on every window.
    case frozen
}

public enum Replay {
    /// One scored window.
    public struct Window: Sendable {
        /// Seconds since the epoch.
        public let start: Int64
        public let events: Int
        public let evaluation: ModelEvaluation
        public let data: EvaluationData
        /// Seconds spent learning the window's events after scoring them.
        public let updateSeconds: Double
    }

    /// Runs a replay over `data` (which needs timestamps). The first window starts `start` days
    /// after the first event (by default half-way through the log's span, on a whole number of
    /// windows); windows are `every` days long. `fresh` makes an unfitted model, `input` turns
    /// a log into what the model is given (values dropped for models that ignore them).
    public static func run(_ data: Interactions, every days: Double, start startDays: Double? = nil, mode: ReplayMode,
                           metrics: [MetricSpec], fresh: () throws -> any Recommender,
                           input: (Interactions) -> Interactions = { $0 },
                           cancellation: Cancellation = .none) throws -> [Window] {
        guard let ts = data.timestamps, let first = ts.min(), let last = ts.max() else {
            throw DataError(.invalidArgument, message: "replay needs data with a timestamp column")
        }
        guard days > 0 else { throw DataError(.invalidArgument, message: "every: must be a positive number of days") }
        let width = Int64((days * 86_400).rounded())
        let offset = startDays.map { Int64(($0 * 86_400).rounded()) } ?? ((last - first) / 2 / width) * width
        let begin = first + offset
        guard begin > first, begin <= last else {
            throw DataError(.invalidArgument, message: "start: must fall inside the log's span (\((last - first) / 86_400) days), after its first day")
        }
        // Rows in time order, then cut at window boundaries.
        let order = (0..<data.count).sorted { ts[$0] != ts[$1] ? ts[$0] < ts[$1] : $0 < $1 }
        var cut = order.firstIndex { ts[$0] >= begin } ?? order.count
        var trainRows = Array(order[..<cut])
        var model = try fresh()
        var trained = data.selecting(rows: trainRows)
        try model.fit(input(trained), context: FitContext(cancellation: cancellation))
        var out: [Window] = []
        var windowStart = begin
        while windowStart <= last {
            try cancellation.check()
            let end = windowStart + width
            let lo = cut
            while cut < order.count && ts[order[cut]] < end { cut += 1 }
            let rows = Array(order[lo..<cut])
            defer { windowStart = end }
            guard !rows.isEmpty else { continue }
            let test = data.selecting(rows: rows)
            let evalData = try EvaluationData(train: trained, test: test)
            let e = try Evaluation.evaluate(.model(model), name: mode.rawValue, data: evalData, metrics: metrics, cancellation: cancellation)
            let t0 = DispatchTime.now().uptimeNanoseconds
            switch mode {
            case .frozen: break
            case .incremental:
                guard let inc = model as? IncrementalRecommender else {
                    throw DataError(.invalidArgument, message: "\(model.name) cannot be updated (models that update: \(ModelCatalogue.incrementalKinds.joined(separator: ", ")))")
                }
                try inc.update(TrainingUpdate(previous: input(trained), newEvents: input(test)), context: FitContext(cancellation: cancellation))
            case .full:
                model = try fresh()
                try model.fit(input(data.selecting(rows: trainRows + rows)), context: FitContext(cancellation: cancellation))
            }
            let seconds = mode == .frozen ? 0 : Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            out.append(Window(start: windowStart, events: rows.count, evaluation: e, data: evalData, updateSeconds: seconds))
            if mode != .frozen {
                trainRows += rows
                trained = data.selecting(rows: trainRows)
            }
        }
        return out
    }

    /// One row per window (and per group with `grouping`): window, start (UTC date and time),
    /// events, users scored, the metrics, update_seconds, mode.
    public static func table(_ windows: [Window], mode: ReplayMode,
                             grouping: ((EvaluationData) throws -> UserGrouping?)? = nil) throws -> Table {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        var names = ["window", "start", "events"]
        var rows: [[TableValue]] = []
        for (n, w) in windows.enumerated() {
            let head: [TableValue] = [.int(Int64(n + 1)), .string(f.string(from: Date(timeIntervalSince1970: TimeInterval(w.start)))), .int(Int64(w.events))]
            let tail: [TableValue] = [.double(w.updateSeconds), .string(mode.rawValue)]
            let g = try grouping?(w.data)
            let t = try Evaluation.table([w.evaluation], data: w.data, grouping: g)
            let cols = t.columnNames.filter { $0 != "model" }
            if n == 0 { names += cols + ["update_seconds", "mode"] }
            for r in 0..<t.rowCount {
                rows.append(head + (try cols.map { try t.value(row: r, column: $0) }) + tail)
            }
        }
        if rows.isEmpty { names += ["update_seconds", "mode"] }
        return try Table(columnNames: names, rows: rows)
    }
}
