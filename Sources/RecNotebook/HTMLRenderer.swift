import Foundation
import RecLang

/// A run notebook as one self-contained HTML page: inline style sheet, no script, nothing loaded
/// from elsewhere. Markdown cells are rendered, code cells show their (highlighted) source with
/// their outputs under it; rich outputs (`text/html` tables, `image/svg+xml` plots) are inserted
/// as their producers made them, everything else is escaped text.
public enum HTMLRenderer {
    public static func page(_ run: NotebookRun, file: String) -> String {
        let markdown = MarkdownRenderer()
        var cells = ""
        for (i, cell) in run.notebook.cells.enumerated() {
            switch cell.kind {
            case .markdown:
                cells += "<section class=\"cell markdown\" id=\"cell-\(i + 1)\">\n\(markdown.html(cell.source))\n</section>\n"
            case .code:
                cells += codeCell(cell, index: i, run: run.runs[i], notRunBecause: run.failedCell.map { $0 < i } ?? false)
            }
        }
        let title = run.notebook.title ?? (file as NSString).lastPathComponent
        var body = "<header class=\"page-header\"><p class=\"file\">\(HTML.escape(file))</p></header>\n"
        if let failed = run.failedCell, let e = run.runs[failed]?.error {
            body += "<div class=\"banner error\" role=\"alert\">This notebook stopped with an error in <a href=\"#cell-\(failed + 1)\">cell \(failed + 1)</a>: \(HTML.escape(e.headline))</div>\n"
        }
        body += toc(markdown.headings)
        body += "<main>\n" + cells + "</main>\n"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="rec render">
        <title>\(HTML.escape(title))</title>
        <style>
        \(PageStyle.css)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func toc(_ headings: [Heading]) -> String {
        guard !headings.isEmpty else { return "" }
        let top = headings.map(\.level).min() ?? 1
        var s = "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ul>\n"
        for h in headings {
            s += "<li class=\"toc-\(h.level - top + 1)\"><a href=\"#\(h.id)\">\(h.html)</a></li>\n"
        }
        return s + "</ul>\n</nav>\n"
    }

    static func codeCell(_ cell: Notebook.Cell, index i: Int, run: NotebookRun.CellRun?, notRunBecause earlierFailure: Bool) -> String {
        var classes = ["cell", "code"]
        if run?.error != nil { classes.append("failed") }
        if run == nil { classes.append("not-run") }
        var s = "<section class=\"\(classes.joined(separator: " "))\" id=\"cell-\(i + 1)\">\n"
        let count = run.map { "[\($0.executionCount)]" } ?? "[ ]"
        s += "<div class=\"source\"><span class=\"count\">\(count)</span>"
        for tag in cell.tags { s += "<span class=\"tag\">\(HTML.escape(tag.replacingAll("-", " ")))</span>" }
        s += "<pre><code>\(Highlight.html(cell.source))</code></pre></div>\n"
        if let run {
            let outputs = CellOutputs.shown(run.events)
            if !outputs.isEmpty {
                s += "<div class=\"outputs\">\n" + outputs.map(output).joined() + "</div>\n"
            }
        } else if earlierFailure {
            s += "<p class=\"not-run-note\">Not run: an earlier cell failed.</p>\n"
        }
        return s + "</section>\n"
    }

    static func output(_ event: OutputEvent) -> String {
        switch event {
        case .stream(let stream, let text):
            return "<pre class=\"stream \(stream.rawValue)\">\(HTML.escape(text))</pre>\n"
        case .display(let d):
            return "<div class=\"display\">\(rich(d))</div>\n"
        case .result(let d):
            return "<div class=\"result\">\(rich(d))</div>\n"
        case .warning(let message, let location):
            let whereText = location.map { "<span class=\"where\">\(HTML.escape($0.description))</span> " } ?? ""
            return "<div class=\"warning\" role=\"note\"><span class=\"label\">warning</span> \(whereText)\(HTML.escape(message))</div>\n"
        case .error(let e):
            return "<div class=\"error\" role=\"alert\"><pre>\(HTML.escape(e.render(color: false)))</pre></div>\n"
        case .progress(let p):
            return progress(p)
        }
    }

    /// The richest form a bundle has: SVG, then HTML, then text.
    static func rich(_ d: DisplayData) -> String {
        if let svg = d.data["image/svg+xml"] { return "<div class=\"svg\">\(svg)</div>" }
        if let html = d.data["text/html"] { return "<div class=\"html\">\(html)</div>" }
        return "<pre>\(HTML.escape(d.plainText))</pre>"
    }

    /// The final state of a progress bar, drawn without script.
    static func progress(_ p: ProgressUpdate) -> String {
        let percent = String(format: "%.1f", p.fraction * 100)
        var s = "<div class=\"progress \(p.state.rawValue)\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"\(p.total)\" aria-valuenow=\"\(p.step)\">"
        s += "<span class=\"label\">\(HTML.escape(p.label))</span>"
        s += "<span class=\"bar\"><span class=\"fill\" style=\"width: \(percent)%\"></span></span>"
        s += "<span class=\"steps\">\(p.step)/\(p.total)</span>"
        if let d = p.detail { s += "<span class=\"detail\">\(HTML.escape(d))</span>" }
        if p.state != .finished && p.state != .running { s += "<span class=\"state\">\(p.state.rawValue)</span>" }
        return s + "</div>\n"
    }
}
