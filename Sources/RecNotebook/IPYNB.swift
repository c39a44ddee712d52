import Foundation
import RecLang

/// Jupyter notebooks (nbformat 4.5): a run notebook written with its outputs as MIME bundles,
/// and an `.ipynb` file read back into cells.
public enum IPYNB {
    /// The kernelspec a rendered notebook names, so Jupyter opens it with the `rec` kernel.
    static let kernelspec: JSON = .object(["name": .string("rec"), "display_name": .string("Rec"), "language": .string("rec")])
    static let languageInfo: JSON = .object([
        "name": .string("rec"), "file_extension": .string(".rec"), "mimetype": .string("text/x-rec"),
        "version": .string("0.1.0"),
    ])

    /// The notebook as `.ipynb` text. Cells that did not run have no outputs and no count.
    public static func write(_ run: NotebookRun) -> String {
        var cells: [JSON] = []
        for (i, cell) in run.notebook.cells.enumerated() {
            var o: [String: JSON] = [
                "cell_type": .string(cell.kind.rawValue),
                "id": .string("cell-\(i + 1)"),
                "metadata": cell.tags.isEmpty ? .object([:]) : .object(["tags": .array(cell.tags.map { .string($0) })]),
                "source": lines(cell.source),
            ]
            if cell.kind == .code {
                let r = run.runs[i]
                o["execution_count"] = r.map { .int($0.executionCount) } ?? .null
                o["outputs"] = .array(r.map { outputs($0) } ?? [])
            }
            cells.append(.object(o))
        }
        var metadata: [String: JSON] = ["kernelspec": kernelspec, "language_info": languageInfo]
        if !run.notebook.preamble.isEmpty { metadata["rec"] = .object(["preamble": .string(run.notebook.preamble)]) }
        return JSON.object([
            "cells": .array(cells), "metadata": .object(metadata),
            "nbformat": .int(4), "nbformat_minor": .int(5),
        ]).serialized()
    }

    /// nbformat's multi-line string: a list of lines, each but the last ending in a newline.
    static func lines(_ text: String) -> JSON {
        var out: [JSON] = []
        var current = ""
        for ch in text.unicodeScalars {
            current.unicodeScalars.append(ch)
            if ch == "\n" { out.append(.string(current)); current = "" }
        }
        if !current.isEmpty { out.append(.string(current)) }
        return .array(out)
    }

    static func outputs(_ run: NotebookRun.CellRun) -> [JSON] {
        var out: [JSON] = []
        var pending: (name: String, text: String)? = nil
        func flush() {
            if let p = pending { out.append(.object(["output_type": .string("stream"), "name": .string(p.name), "text": lines(p.text)])) }
            pending = nil
        }
        func stream(_ name: String, _ text: String) {
            if pending?.name == name { pending!.text += text } else { flush(); pending = (name, text) }
        }
        for e in CellOutputs.shown(run.events) {
            switch e {
            case .stream(let s, let text): stream(s.rawValue, text)
            // Jupyter has no warning output; its kernels write warnings to stderr.
            case .warning(let m, let loc): stream("stderr", (loc.map { "\($0): " } ?? "") + "warning: " + m + "\n")
            case .display(let d):
                flush()
                out.append(.object(["output_type": .string("display_data"), "data": bundle(d), "metadata": .object([:])]))
            case .result(let d):
                flush()
                out.append(.object(["output_type": .string("execute_result"), "execution_count": .int(run.executionCount),
                                    "data": bundle(d), "metadata": .object([:])]))
            case .error(let err):
                flush()
                out.append(.object(["output_type": .string("error"), "ename": .string(errorName(err.kind)),
                                    "evalue": .string(err.message),
                                    "traceback": .array(err.render(color: false).split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })]))
            case .progress(let p):
                flush()
                out.append(.object(["output_type": .string("display_data"), "metadata": .object([:]),
                                    "data": bundle(DisplayData(["text/plain": p.barText(), "text/html": HTMLRenderer.progress(p)]))]))
            }
        }
        flush()
        return out
    }

    static func bundle(_ d: DisplayData) -> JSON {
        .object(d.data.mapValues { lines($0) })
    }

    static func errorName(_ kind: RecError.Kind) -> String {
        switch kind {
        case .syntax: return "SyntaxError"
        case .name: return "NameError"
        case .type: return "TypeError"
        case .value: return "ValueError"
        case .runtime: return "RuntimeError"
        case .interrupted: return "Interrupted"
        case .recursion: return "RecursionError"
        case .io: return "IOError"
        }
    }

    /// The cells of an `.ipynb` file: sources and the `parameters` tag (outputs are not kept).
    public static func read(_ data: Data, file: String) throws(NotebookFormatError) -> Notebook {
        func fail(_ m: String) -> NotebookFormatError { NotebookFormatError(file: file, line: 0, message: m) }
        let json: JSON
        do { json = try JSON.parse(data) } catch { throw fail("not valid JSON: \(error.localizedDescription)") }
        guard case .int(let major)? = json["nbformat"], major == 4 else {
            throw fail("not an nbformat 4 notebook (Jupyter's format since 2015); convert it with `jupyter nbconvert --to notebook` first")
        }
        guard let cellList = json["cells"]?.arrayValue else { throw fail("no 'cells' list") }
        var cells: [Notebook.Cell] = []
        for (i, c) in cellList.enumerated() {
            let type = c["cell_type"]?.stringValue ?? "?"
            let source: String
            switch c["source"] {
            case .string(let s)?: source = s
            case .array(let parts)?: source = parts.compactMap(\.stringValue).joined()
            default: throw fail("cell \(i + 1) has no source")
            }
            var text = source
            while text.hasSuffix("\n") { text.removeLast() }
            let tags = (c["metadata"]?["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch type {
            case "code":
                if let bad = text.split(separator: "\n").first(where: { Notebook.isMarker($0) }) {
                    throw fail("cell \(i + 1) has a line '\(bad)', which would start a new cell in a .rec file")
                }
                cells.append(Notebook.Cell(.code, text, tags: tags.contains("parameters") ? ["parameters"] : []))
            case "markdown":
                if let bad = text.split(separator: "\n").first(where: { Notebook.isMarker("# " + $0) }) {
                    throw fail("cell \(i + 1) has a line '\(bad)', which as a comment would start a new cell in a .rec file")
                }
                cells.append(Notebook.Cell(.markdown, text))
            default:
                throw fail("cell \(i + 1) is a \(type) cell; a .rec notebook holds only code and markdown cells")
            }
        }
        let preamble = json["metadata"]?["rec"]?["preamble"]?.stringValue ?? ""
        return Notebook(preamble: preamble, cells: cells)
    }
}

extension Notebook {
    static func isMarker(_ line: Substring) -> Bool {
        if case .text = classify(line) { return false }
        return true
    }
}
