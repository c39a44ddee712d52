import RecLang

/// Values given on the command line (`-p users=200`) for the `let` bindings of a notebook's
/// parameters cell, papermill-style: the cell runs with its defaults, then the given values are
/// bound again under the same names, so everything after sees them.
public struct ParameterOverrides: Equatable {
    /// Name and the literal's source text, in the order given.
    public private(set) var values: [(name: String, text: String)] = []

    public init() {}

    public var isEmpty: Bool { values.isEmpty }

    public static func == (a: ParameterOverrides, b: ParameterOverrides) -> Bool {
        a.values.map(\.name) == b.values.map(\.name) && a.values.map(\.text) == b.values.map(\.text)
    }

    /// Adds one `NAME=VALUE` argument; VALUE must be a Rec literal. A name given twice keeps the
    /// later value.
    public mutating func add(_ argument: String) throws(RecError) {
        guard let eq = argument.firstIndex(of: "=") else {
            throw RecError(.value, "-p \(argument): expected NAME=VALUE, e.g. -p users=200")
        }
        let name = String(argument[..<eq]).trimmingCharacters(in: " ")
        let text = String(argument[argument.index(after: eq)...]).trimmingCharacters(in: " ")
        guard !name.isEmpty else { throw RecError(.value, "-p \(argument): the parameter name is missing") }
        guard !text.isEmpty else { throw RecError(.value, "-p \(argument): the value is missing") }
        _ = try NotebookParameters.literal(text, name: name)
        values.removeAll { $0.name == name }
        values.append((name, text))
    }

    /// The statements that bind the values: `let users = 200` per line.
    var bindings: [String] { values.map { "let \($0.name) = \($0.text)" } }

    /// Checks every name against the notebook's parameters cell; the error names the
    /// parameters the notebook has.
    public func check(_ notebook: Notebook, file: String) throws(RecError) {
        guard !isEmpty else { return }
        guard let cell = notebook.cells.first(where: \.isParameters) else {
            throw RecError(.value, "\(file): the notebook has no parameters cell ('# %% [parameters]' above its let bindings), so -p \(values[0].name)=… has nothing to set")
        }
        let declared = try NotebookParameters.names(in: cell.sourceFile(name: file))
        for (name, _) in values where !declared.contains(name) {
            let known = declared.isEmpty ? "it binds no names" : "its parameters are " + declared.joined(separator: ", ")
            throw RecError(.value, "\(file): unknown parameter '\(name)'; \(known)")
        }
    }

    /// The notebook with a cell tagged `injected-parameters` after the parameters cell.
    public func inject(into notebook: Notebook, file: String) throws(RecError) -> Notebook {
        try check(notebook, file: file)
        guard !isEmpty, let i = notebook.cells.firstIndex(where: \.isParameters) else { return notebook }
        var nb = notebook
        nb.cells.insert(Notebook.Cell(.code, bindings.joined(separator: "\n"), tags: ["injected-parameters"]), at: i + 1)
        return nb
    }

    /// The whole file as one script with the values bound right after the parameters cell, on
    /// the line of the next marker, so that every line keeps its number (what `rec run -p` runs).
    public func scriptText(_ text: String, notebook: Notebook, file: String) throws(RecError) -> String {
        try check(notebook, file: file)
        guard !isEmpty, let cellIndex = notebook.cells.firstIndex(where: \.isParameters) else { return text }
        let statements = bindings.joined(separator: "; ")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The marker of the cell after the parameters cell is the line before its source.
        if cellIndex + 1 < notebook.cells.count {
            let markerIndex = notebook.cells[cellIndex + 1].line - 2
            lines[markerIndex] = statements + "  " + lines[markerIndex]
        } else {
            if lines.last == "" { lines.removeLast() }
            lines.append(statements)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

extension Notebook.Cell {
    /// The source as a file named `name` whose lines carry their numbers in the notebook: the
    /// text is preceded by as many empty lines as come before it there.
    func sourceFile(name: String) -> SourceFile {
        SourceFile(name: name, text: String(repeating: "\n", count: max(0, line - 1)) + source)
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
