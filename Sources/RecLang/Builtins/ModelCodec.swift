import RecCore

/// Models as workspace payloads. A model is saved as the constructor call that made it (its kind
/// and parameters, component models of a hybrid nested the same way) plus, when fitted, the data
/// it was fitted on and the learned state from RecCore (`PersistentRecommender`). Restoring calls
/// the constructor again with the saved parameters — so the model is checked and built exactly
/// as in a script — and then puts the learned state back, without refitting.
///
/// Layout: magic "RCMO", format version, the call as a saved Rec value (ValueCodec), a fitted
/// flag, then for a fitted model: the training data (the dataset payload), the state bytes, the
/// fit time and the epoch a stopped fit ended at.
enum ModelCodec {
    static let kind = "model"
    private static let magic: UInt32 = 0x5243_4D4F   // "RCMO"
    private static let version: UInt16 = 1
    /// Marks a nested model inside a saved parameter value.
    private static let nestedKey = "$model"

    static func encode(_ m: ModelObject) throws -> [UInt8] {
        var w = PayloadWriter()
        w.write(magic); w.write(version)
        let call = try ValueCodec.encode(try callValue(m))
        w.write(UInt64(call.count)); w.writeBytes(call)
        guard let data = m.trainedOn else { w.write(false); return w.bytes }
        guard let core = m.model as? PersistentRecommender else {
            throw RecError(.type, "save(): a \(m.displayName) model cannot be saved fitted (its learned state has no saved form); save it unfitted, or save its data and refit")
        }
        w.write(true)
        let training = try data.workspaceEncode()
        w.write(UInt64(training.count)); w.writeBytes(training)
        let state = try core.savedState().encoded()
        w.write(UInt64(state.count)); w.writeBytes(state)
        w.write(m.fitSeconds ?? -1)
        w.write(Int64(m.stoppedAfter?.epoch ?? -1)); w.write(Int64(m.stoppedAfter?.of ?? -1))
        return w.bytes
    }

    /// The constructor call as a plain value: ["$model": kind, "params": record of parameters].
    private static func callValue(_ m: ModelObject) throws -> Value {
        if m.kind == "custom" {
            throw RecError(.type, "save(): the model \(m.displayName) is written in Rec (custom_model), and functions cannot be saved; save its data and run the script again")
        }
        let values = try m.params.map { try paramValue($0.value) }
        return .record(RecordRef(names: [nestedKey, "params"],
                                 values: [.string(m.kind), .record(RecordRef(names: m.params.map(\.name), values: values))]))
    }

    private static func paramValue(_ v: Value) throws -> Value {
        switch v {
        case .native(let m as ModelObject): return try callValue(m)
        case .list(let l): return .list(try l.items.map(paramValue))
        default: return v
        }
    }

    static func decode(_ bytes: [UInt8], _ a: Arguments) throws -> ModelObject {
        var r = PayloadReader(bytes)
        guard try r.read(UInt32.self) == magic else { throw PayloadError("not a saved model") }
        let v = try r.read(UInt16.self)
        guard v <= version else { throw PayloadError("model format version \(v) is newer than this rec (\(version))") }
        let call = try ValueCodec.decode(try r.readBytes(r.readCount()))
        guard case .native(let m as ModelObject) = try construct(call, a) else { throw PayloadError("not a saved model") }
        guard try r.readBool() else { return m }
        let data = try Interactions.workspaceDecode(try r.readBytes(r.readCount()))
        let state = try ModelState(decoding: try r.readBytes(r.readCount()))
        let seconds = try r.readDouble()
        let epoch = Int(try r.read(Int64.self)), of = Int(try r.read(Int64.self))
        guard r.isAtEnd else { throw PayloadError("trailing bytes after the model") }
        try m.restoreFitted(state: state, trainedOn: data, fitSeconds: seconds >= 0 ? seconds : nil,
                            stoppedAfter: epoch >= 0 ? (epoch, of) : nil)
        return m
    }

    /// Rebuilds a saved value: a saved model from its catalogue kind and saved parameters (nested
    /// models first), checked by the kind's declaration exactly as a constructor call is; anything
    /// else as it is.
    private static func construct(_ v: Value, _ a: Arguments) throws -> Value {
        switch v {
        case .record(let rec) where rec.names.first == nestedKey:
            guard rec.names == [nestedKey, "params"], case .string(let name) = rec.values[0],
                  case .record(let params) = rec.values[1] else { throw PayloadError("malformed saved model call") }
            guard let kind = ModelCatalogue.kind(named: name) else {
                throw PayloadError("the saved model \(name) is unknown to this version of rec")
            }
            var named: [(String, Value)] = []
            for (p, value) in zip(params.names, params.values) {
                guard kind.parameter(p) != nil else { throw PayloadError("\(name)() no longer takes the saved parameter \(p)") }
                named.append((p, try construct(value, a)))
            }
            return .native(try ModelObject(.config(try ModelParameters.config(kind, named))))
        case .list(let l):
            return .list(try l.items.map { try construct($0, a) })
        default:
            return v
        }
    }
}
