import Foundation

extension Interpreter {
    func undefinedName(_ name: String, _ loc: SourceLocation) -> Unwind {
        var msg = "undefined name '\(name)'"
        if let s = Suggest.closest(name, among: globalNames) { msg += "; did you mean '\(s)'?" }
        let e = RecError(.name, msg, at: loc)
        e.undefinedName = name
        return .error(e)
    }

    /// Runs a module once: `import "path.rec"` (relative to the importing file) or `import name`
    /// (a file in the Stdlib directory). Its top-level names become globals.
    func importModule(_ path: String, isModuleName: Bool, at loc: SourceLocation) throws(RecError) {
        let resolved: String
        if isModuleName {
            guard let dir = stdlibDirectory else {
                throw RecError(.io, "cannot import '\(path)': the standard library directory was not found (set REC_STDLIB)", at: loc)
            }
            resolved = (dir as NSString).appendingPathComponent(path + ".rec")
        } else if path.hasPrefix("/") {
            resolved = path
        } else {
            let base = loc.file.map { ($0.name as NSString).deletingLastPathComponent } ?? ""
            let dir = base.isEmpty || base.hasPrefix("<") ? FileManager.default.currentDirectoryPath : base
            resolved = (dir as NSString).appendingPathComponent(path)
        }
        let canonical = Interpreter.canonicalPath(resolved)
        if !isModuleName { try checkFileAccess(canonical, writing: false, for: "import", at: loc) }
        if importedPaths.contains(canonical) { return }
        if importStack.contains(canonical) {
            throw RecError(.runtime, "circular import of '\(path)'", at: loc)
        }
        let file: SourceFile
        do {
            file = try SourceFile(path: canonical)
        } catch {
            let what = isModuleName ? "no standard library module '\(path)' (looked for \(canonical))" : "cannot import '\(path)': \(error.message)"
            throw RecError(.io, what, at: loc)
        }
        importStack.append(canonical)
        defer { importStack.removeLast() }
        _ = try run(file, programName: "<module \(isModuleName ? path : (path as NSString).lastPathComponent)>", system: isModuleName)
        importedPaths.insert(canonical)
    }
}

extension Interpreter {
    /// Absolute, with `.`/`..` and symbolic links resolved, so one file has one name.
    static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

extension SourceFile {
    /// Reads a UTF-8 source file; the error says why it could not be read.
    public convenience init(path: String) throws(RecError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RecError(.io, "\(path): no such file")
        }
        if isDir.boolValue { throw RecError(.io, "\(path): is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecError(.io, "\(path): cannot be read (permission denied?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RecError(.io, "\(path): is not UTF-8 text")
        }
        self.init(name: path, text: text)
    }
}
