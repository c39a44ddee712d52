import RecLang

/// A notebook after running: each code cell's events, in the order they happened, and its
/// execution count. Cells after a failing one do not run (as `nbconvert --execute` stops).
public struct NotebookRun {
    public struct CellRun {
        /// 1, 2, … in the order code cells ran.
        public var executionCount: Int
        public var events: [OutputEvent]
        public var error: RecError? {
            for case .error(let e) in events { return e }
            return nil
        }
    }

    public var notebook: Notebook
    /// One entry per cell of `notebook`: nil for markdown cells and cells that did not run.
    public var runs: [CellRun?]

    /// The index of the cell that failed, if one did.
    public var failedCell: Int? { runs.firstIndex { $0?.error != nil } }

    /// Runs every code cell in `session`, one chunk per cell, with a sink per cell. Errors name
    /// `file` and the line in the notebook; the last expression's value of a cell is shown as its
    /// result, as Jupyter does.
    public static func run(_ notebook: Notebook, file: String, in session: Session) -> NotebookRun {
        var run = NotebookRun(notebook: notebook, runs: Array(repeating: nil, count: notebook.cells.count))
        let saved = session.sink
        defer { session.sink = saved }
        var count = 0
        for (i, cell) in notebook.cells.enumerated() where cell.kind == .code {
            count += 1
            let sink = CollectingSink()
            session.sink = sink
            let name = cell.tags.contains("injected-parameters") ? "<parameters>" : cell.line > 0 ? file : "\(file)#cell-\(i + 1)"
            let result = session.evaluate(cell.sourceFile(name: name), showResult: true)
            run.runs[i] = CellRun(executionCount: count, events: sink.events)
            if case .failure = result {
                if let e = run.runs[i]?.error { pointAtLaterDefinition(of: e, after: i, in: notebook, file: file) }
                break
            }
        }
        return run
    }

    /// `rec run` sees the whole file and resolves a function defined further down; a notebook runs
    /// cell by cell, as Jupyter does, so the same name is undefined until its cell has run. Say so.
    static func pointAtLaterDefinition(of error: RecError, after failed: Int, in notebook: Notebook, file: String) {
        guard let name = error.undefinedName else { return }
        for j in notebook.cells.indices where j > failed && notebook.cells[j].kind == .code {
            let cell = notebook.cells[j]
            if DeclaredNames.topLevel(in: cell.sourceFile(name: file)).contains(name) {
                error.notes.append("'\(name)' is defined in cell \(j + 1), which runs after this one: a notebook runs its cells from top to bottom, so move that definition up")
                return
            }
        }
    }
}

/// A cell's events as a reader sees them: a progress bar appears once, where it started, in the
/// state it ended in.
enum CellOutputs {
    static func shown(_ events: [OutputEvent]) -> [OutputEvent] {
        var last: [String: ProgressUpdate] = [:]
        for case .progress(let p) in events { last[p.id] = p }
        var seen: Set<String> = []
        var out: [OutputEvent] = []
        for e in events {
            if case .progress(let p) = e {
                if seen.insert(p.id).inserted, let final = last[p.id] { out.append(.progress(final)) }
                continue
            }
            // Consecutive text on one stream reads as one block.
            if case .stream(let s, let text) = e, case .stream(let prev, let before)? = out.last, prev == s {
                out[out.count - 1] = .stream(s, before + text)
                continue
            }
            out.append(e)
        }
        return out
    }
}
