import Foundation

/// Which files a Rec program may open. `rec` runs with `.unrestricted`; a host that runs text it
/// does not trust (the fuzzer now, a shared notebook server later) narrows it.
///
/// Every way a program reaches the file system goes through `Arguments.path(_:writing:)` or
/// `Interpreter.checkFileAccess`: the loaders (`load`, `load_jsonl`, `movielens`,
/// `movielens_split`, `read_table`, `sqlite_table`, `sqlite_query`), `to_csv(path:)`,
/// `workspace(path)` and `import "file"`. Modules of the standard library (`import name`) and the
/// prelude are part of the host and always readable. `temp_path()` only names a file; it puts
/// names in `temporaryDirectory` when one is set, so that a host can let programs keep a scratch
/// workspace there.
public struct FileAccess: Sendable, Equatable {
    /// Directories whose files (at any depth) may be read; nil allows every file.
    public var readable: [String]?
    /// Directories whose files may be created or written (and read); nil allows every file.
    public var writable: [String]?
    /// Where `temp_path()` names its files; nil for the system's temporary directory.
    public var temporaryDirectory: String?

    public init(readable: [String]?, writable: [String]?, temporaryDirectory: String? = nil) {
        self.readable = readable.map { $0.map(FileAccess.canonical) }
        self.writable = writable.map { $0.map(FileAccess.canonical) }
        self.temporaryDirectory = temporaryDirectory
    }

    public static let unrestricted = FileAccess(readable: nil, writable: nil)
    /// No file at all: programs compute, print and use the standard library only.
    public static let none = FileAccess(readable: [], writable: [])

    /// Whether `path` may be opened for reading, or for writing when `writing`.
    public func permits(_ path: String, writing: Bool) -> Bool {
        if writing ? writable == nil : (readable == nil || writable == nil) { return true }
        let p = FileAccess.canonical(path)
        func inside(_ dirs: [String]?) -> Bool { dirs?.contains { p.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") } ?? false }
        return inside(writable) || (!writing && inside(readable))
    }

    /// Absolute, `.`/`..` and symbolic links resolved (for the longest existing prefix), so that
    /// `allowed/../../etc/passwd` or a link out of an allowed directory is judged by its target.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

extension Interpreter {
    /// Throws an I/O error unless the file access policy lets `what` (a builtin's name, or
    /// "import") open `path`.
    public func checkFileAccess(_ path: String, writing: Bool, for what: String, at loc: SourceLocation = .unknown) throws(RecError) {
        guard !fileAccess.permits(path, writing: writing) else { return }
        throw RecError(.io, "\(what): \(writing ? "writing" : "reading") \(path) is not allowed here (this host restricts file access)", at: loc)
    }
}

extension Arguments {
    /// The String argument `name`, a path that the file access policy lets this builtin open.
    public func path(_ name: String, writing: Bool = false) throws -> String {
        let p = try string(name)
        try interpreter.checkFileAccess(p, writing: writing, for: "\(spec.name)()", at: location)
        return p
    }
}
