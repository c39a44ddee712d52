import Foundation
import RecCore

/// The SQLite workspace: open it, save and restore values, query it.
public enum WorkspaceBuiltins {
    static func open(_ a: Arguments) throws -> any WorkspaceStore {
        guard let w = a.interpreter.workspace else {
            throw a.error("\(a.spec.name)(): no workspace is open; call workspace(\"name.recdb\") or start rec with --workspace FILE", kind: .io)
        }
        return w
    }

    static func sqlParams(_ values: [Value], _ a: Arguments) throws -> [TableValue] {
        try values.map { v in
            guard let c = TableObject.cell(v) else { throw a.error("\(a.spec.name)(): \(v.aTypeName) cannot be a query parameter", kind: .type) }
            return c
        }
    }

    /// Opens (or creates) a workspace file for this session with the host's opener. A workspace
    /// already open is closed once the new one has opened (a failed open leaves it in place).
    public static func openWorkspace(_ path: String, in interp: Interpreter) throws {
        let opened = try interp.requireStorage("workspace").openWorkspace(path)
        interp.closeWorkspace()
        interp.workspace = opened
    }

    /// A fresh path in `directory` (the system's temporary directory by default), deleted with
    /// its SQLite companions when `interp`'s session closes.
    static func temporaryPath(suffix: String, in directory: String? = nil, for interp: Interpreter) -> String {
        // Not from the seeded generator: a scratch name must not repeat between runs.
        let path = ((directory ?? NSTemporaryDirectory()) as NSString).appendingPathComponent("rec-\(getpid())-\(UUID().uuidString.prefix(8))\(suffix)")
        interp.temporaryPaths.append(path)
        return path
    }

    /// A saved value back from its kind and bytes, as `restore` reads them from the workspace.
    static func decode(kind: String, bytes: [UInt8], name: String, _ a: Arguments) throws -> Value {
        switch kind {
        case Table.workspaceKind: return .native(TableObject(try Table.workspaceDecode(bytes)))
        case Interactions.workspaceKind: return .native(DatasetObject(try Interactions.workspaceDecode(bytes)))
        case Split.workspaceKind: return .native(SplitObject(try Split.workspaceDecode(bytes)))
        case ValueCodec.kind: return try ValueCodec.decode(bytes)
        case ModelCodec.kind: return .native(try ModelCodec.decode(bytes, a))
        default: throw a.error("restore(): '\(name)' holds a \(kind), which this version of rec cannot read")
        }
    }

    /// The kinds of payload `restore` reads.
    public static let payloadKinds = [Table.workspaceKind, Interactions.workspaceKind, Split.workspaceKind, ValueCodec.kind, ModelCodec.kind]

    static func register(into r: BuiltinRegistry) {
        let cat = "Workspace"
        r.register([
            BuiltinSpec("temp_path", [.optional("suffix", "String", default: .string(""))], returns: "String", category: cat,
                        doc: "A fresh path in the system's temporary directory, deleted when rec exits: a scratch workspace that leaves nothing behind. Example: workspace(temp_path(\".recdb\")).") { a in
                .string(temporaryPath(suffix: try a.string("suffix"), in: a.interpreter.fileAccess.temporaryDirectory, for: a.interpreter))
            },
            BuiltinSpec("workspace", [.required("path", "String")], returns: "String", category: cat,
                        doc: "Opens the SQLite workspace at `path` (creating it if needed) for save, restore, sql and experiments; returns the path. Without a workspace nothing is written to disk.") { a in
                let path = try a.path("path", writing: true)
                try DataBuiltins.rethrow(a) { try openWorkspace(path, in: a.interpreter) }
                return .string(path)
            },
            BuiltinSpec("save", [.required("name", "String"), .required("value")], category: cat,
                        doc: "Saves a value under `name` in the open workspace, replacing any older version in one transaction (a crash mid-save leaves the old one). Tables, datasets, splits, models (fitted or not; restored without refitting) and plain values (numbers, strings, lists, maps, records) can be saved.") { a in
                let w = try open(a), name = try a.string("name"), v = try a.any("value")
                try DataBuiltins.rethrow(a) {
                    switch v {
                    case .native(let o as TableObject): try w.save(name: name, value: o.table)
                    case .native(let o as DatasetObject): try w.save(name: name, value: o.data)
                    case .native(let o as SplitObject): try w.save(name: name, value: o.split)
                    case .native(let o as ModelObject): try w.save(name: name, kind: ModelCodec.kind, payload: try ModelCodec.encode(o))
                    case .native(let o): throw a.error("save(): a \(o.typeName) cannot be saved", kind: .type)
                    default: try w.save(name: name, kind: ValueCodec.kind, payload: try ValueCodec.encode(v))
                    }
                }
                return .nil
            },
            BuiltinSpec("restore", [.required("name", "String")], category: cat,
                        doc: "The value saved under `name` in the open workspace.") { a in
                let w = try open(a), name = try a.string("name")
                return try DataBuiltins.rethrow(a) {
                    let p = try w.restore(name: name)
                    return try decode(kind: p.kind, bytes: p.bytes, name: name, a)
                }
            },
            BuiltinSpec("saved", [], returns: "Table", category: cat,
                        doc: "What the open workspace holds: name, kind, size in bytes and when it was saved.") { a in
                let w = try open(a)
                return TableBuiltins.wrap(try DataBuiltins.rethrow(a) { try w.savedTable() })
            },
            BuiltinSpec("sql", [.required("query", "String"), .optional("params", "List")], returns: "Table", category: cat,
                        doc: "Runs a read-only SQL query on the open workspace (tables: saved, experiments); `?` placeholders are bound to `params`, never spliced into the text.") { a in
                let w = try open(a)
                let params = a.has("params") ? try sqlParams(try a.list("params").items, a) : []
                return TableBuiltins.wrap(try DataBuiltins.rethrow(a) { try w.query(try a.string("query"), parameters: params) })
            },
            BuiltinSpec("experiments", [], returns: "Table", category: cat,
                        doc: "The experiments recorded in the open workspace: when, script, dataset fingerprint, split seed, model, parameters and metrics.") { a in
                let w = try open(a)
                return TableBuiltins.wrap(try DataBuiltins.rethrow(a) { try w.experiments() })
            },
        ])
    }
}

extension Interpreter {
    /// Decodes a workspace payload of `kind` (one of `WorkspaceBuiltins.payloadKinds`) exactly as
    /// `restore` would, without a workspace: for hosts holding payload bytes, and the fuzzer.
    public func decodePayload(kind: String, bytes: [UInt8]) throws -> Value {
        guard let spec = registry["restore"] else { throw RecError(.name, "restore is not a builtin here") }
        let a = Arguments(interpreter: self, location: .unknown, spec: spec, bound: [.string("payload")], rest: [])
        return try DataBuiltins.rethrow(a) { try WorkspaceBuiltins.decode(kind: kind, bytes: bytes, name: "payload", a) }
    }

    /// Closes the open workspace, if any (see `Workspace.close`): its file is then complete on
    /// its own, without `-wal` and `-shm` companions.
    public func closeWorkspace() {
        workspace?.close()
        workspace = nil
    }

    /// The host's storage, or an error naming the builtin that needed it.
    func requireStorage(_ builtin: String) throws -> Storage {
        guard let storage else { throw RecError(.io, "\(builtin)(): this host has no database storage (a Session made without storage:)") }
        return storage
    }

    /// Deletes the files `temp_path()` handed out (and SQLite's companions of each).
    func removeTemporaryFiles() {
        for p in temporaryPaths {
            for f in [p, p + "-wal", p + "-shm", p + "-journal"] { unlink(f) }
        }
        temporaryPaths = []
    }
}
