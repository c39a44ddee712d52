import RecLang

/// A notebook as cells: what the percent format (`# %%` markers in a `.rec` file) and an
/// `.ipynb` file both describe. Sources are kept as text without the markers; markdown cells hold
/// the Markdown itself, not the `# ` comment prefixes.
public struct Notebook: Equatable {
    public enum Kind: String, Equatable { case code, markdown }

    public struct Cell: Equatable {
        public var kind: Kind
        public var source: String
        /// Jupyter-style tags: `parameters` for the cell `# %% [parameters]` marks, and
        /// `injected-parameters` for the one holding values given with `-p`.
        public var tags: [String]
        /// The 1-based line of the source's first line in the `.rec` file it came from, so that
        /// errors point into that file; 0 for cells made elsewhere.
        public var line: Int

        public init(_ kind: Kind, _ source: String, tags: [String] = [], line: Int = 0) {
            self.kind = kind; self.source = source; self.tags = tags; self.line = line
        }

        public var isParameters: Bool { tags.contains("parameters") }
    }

    /// Text before the first marker (a `#!/usr/bin/env rec` line), without its trailing newline.
    public var preamble: String
    public var cells: [Cell]

    public init(preamble: String = "", cells: [Cell]) {
        self.preamble = preamble; self.cells = cells
    }
}

/// A notebook file that does not follow the format, with the line at fault.
public struct NotebookFormatError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { line > 0 ? "\(file):\(line): error: \(message)" : "\(file): error: \(message)" }
}

extension Notebook {
    /// The kinds a marker may name: `# %% [markdown]` (or `[md]`, as jupytext also writes) and
    /// `# %% [parameters]`; a bare `# %%` is a code cell.
    enum Line { case text, marker(Kind, tags: [String]), unknownMarker(Substring) }

    static func classify(_ line: Substring) -> Line {
        guard line == "# %%" || line.hasPrefix("# %% ") else { return .text }
        let rest = line.dropFirst(4).trimmingSpaces
        switch rest {
        case "": return .marker(.code, tags: [])
        case "[markdown]", "[md]": return .marker(.markdown, tags: [])
        case "[parameters]": return .marker(.code, tags: ["parameters"])
        default: return .unknownMarker(rest)
        }
    }

    /// Parses the percent format (docs/notebooks.md). `file` names the notebook in errors.
    public static func parsePercent(_ text: String, file: String) throws(NotebookFormatError) -> Notebook {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.last == "" { lines.removeLast() }
        var preamble: [Substring] = []
        var cells: [Cell] = []
        var current: (kind: Kind, tags: [String], markerLine: Int, body: [Substring])? = nil

        func close() throws(NotebookFormatError) {
            guard var c = current else { return }
            while let last = c.body.last, last.trimmingSpaces.isEmpty { c.body.removeLast() }
            var source: [Substring] = []
            for (k, l) in c.body.enumerated() {
                if c.kind == .code { source.append(l); continue }
                if l == "#" { source.append("") }
                else if l.hasPrefix("# ") { source.append(l.dropFirst(2)) }
                else {
                    throw NotebookFormatError(file: file, line: c.markerLine + 1 + k,
                                              message: "a markdown cell's lines are comments: '# ' and the text, or a bare '#'; end the cell with a '# %%' line before code")
                }
            }
            cells.append(Cell(c.kind, source.joined(separator: "\n"), tags: c.tags, line: c.markerLine + 1))
            current = nil
        }

        for (i, line) in lines.enumerated() {
            switch classify(line) {
            case .marker(let kind, let tags):
                try close()
                current = (kind, tags, i + 1, [])
            case .text:
                if current == nil { preamble.append(line) } else { current!.body.append(line) }
            case .unknownMarker(let name):
                throw NotebookFormatError(file: file, line: i + 1,
                                          message: "unknown cell marker '\(name)'; a marker is '# %%', '# %% [markdown]' or '# %% [parameters]'")
            }
        }
        try close()
        while let last = preamble.last, last.trimmingSpaces.isEmpty { preamble.removeLast() }
        let parameterCells = cells.filter(\.isParameters)
        if parameterCells.count > 1 {
            throw NotebookFormatError(file: file, line: parameterCells[1].line - 1,
                                      message: "a second parameters cell; the first starts at line \(parameterCells[0].line - 1), and a notebook has at most one")
        }
        return Notebook(preamble: preamble.joined(separator: "\n"), cells: cells)
    }

    /// The percent format: a marker per cell, markdown as `# ` comment lines, one blank line
    /// between cells. Parsing this text gives the same cells back.
    public func percentText() -> String {
        var parts: [String] = []
        if !preamble.isEmpty { parts.append(preamble) }
        for c in cells {
            var s: String
            switch c.kind {
            case .code: s = c.isParameters ? "# %% [parameters]" : "# %%"
            case .markdown: s = "# %% [markdown]"
            }
            let body = c.source.split(separator: "\n", omittingEmptySubsequences: false)
            if !(body.count == 1 && body[0].isEmpty) {
                for l in body {
                    switch c.kind {
                    case .code: s += "\n" + l
                    case .markdown: s += l.isEmpty ? "\n#" : "\n# " + l
                    }
                }
            }
            parts.append(s)
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The title a reader sees first: the text of the first Markdown heading, if any.
    public var title: String? {
        for c in cells where c.kind == .markdown {
            for line in c.source.split(separator: "\n") where line.hasPrefix("#") {
                let t = line.drop(while: { $0 == "#" }).trimmingSpaces
                if !t.isEmpty { return String(t) }
            }
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
