import Foundation
import Ink

/// A heading of a markdown cell, for the table of contents.
struct Heading: Equatable {
    var level: Int
    var id: String
    /// The heading's content as HTML (already escaped, inline markup kept out).
    var html: String
}

/// Markdown cells to HTML through Ink. Headings get ids (unique in the page) and are collected
/// for the table of contents; raw HTML in the Markdown is shown as text, and links to
/// `javascript:` and similar schemes lose their target, so a notebook cannot inject script into
/// its own rendering.
final class MarkdownRenderer {
    private(set) var headings: [Heading] = []
    private var usedIDs: Set<String> = []
    private var parser = MarkdownParser()

    init() {
        parser.addModifier(Modifier(target: .headings) { [unowned self] input in self.heading(input.html) })
        parser.addModifier(Modifier(target: .html) { input in HTML.escape(String(input.markdown)) })
        parser.addModifier(Modifier(target: .links) { input in MarkdownRenderer.safeLink(input.html, markdown: input.markdown) })
    }

    func html(_ markdown: String) -> String { parser.html(from: markdown) }

    /// `<h2>text</h2>` becomes `<h2 id="text">text</h2>`, remembered for the contents.
    private func heading(_ html: String) -> String {
        guard html.hasPrefix("<h"), html.count > 9,
              let level = Int(String(html[html.index(html.startIndex, offsetBy: 2)])) else { return html }
        let body = String(html.dropFirst(4).dropLast(5))
        var base = MarkdownRenderer.slug(MarkdownRenderer.stripTags(body))
        if base.isEmpty { base = "section" }
        var id = base, n = 2
        while usedIDs.contains(id) { id = "\(base)-\(n)"; n += 1 }
        usedIDs.insert(id)
        headings.append(Heading(level: level, id: id, html: MarkdownRenderer.stripTags(body)))
        return "<h\(level) id=\"\(id)\">\(body)</h\(level)>"
    }

    /// Lowercase letters and digits of the text, words joined by `-`.
    static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for ch in unescape(text).lowercased() {
            if ch.isLetter || ch.isNumber {
                if pendingDash && !out.isEmpty { out += "-" }
                out.append(ch)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        return out
    }

    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for ch in html {
            if ch == "<" { inTag = true } else if ch == ">" && inTag { inTag = false } else if !inTag { out.append(ch) }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        s.replacingAll("&lt;", "<").replacingAll("&gt;", ">").replacingAll("&quot;", "\"").replacingAll("&#39;", "'").replacingAll("&amp;", "&")
    }

    /// Ink writes `<a href="URL">title</a>` with the URL as written; it is escaped here, and
    /// schemes that run code are dropped.
    static func safeLink(_ html: String, markdown: Substring) -> String {
        let prefix = "<a href=\""
        guard html.hasPrefix(prefix), html.hasSuffix("</a>") else { return html }
        let rest = html.dropFirst(prefix.count)
        var url: Substring
        var title: Substring
        // An inline link ends in `(URL)`: take the URL from the Markdown, so that quotes in it
        // cannot be mistaken for the end of the attribute.
        if markdown.hasSuffix(")"), let open = markdown.range(of: "](", options: .backwards),
           rest.hasPrefix(markdown[open.upperBound..<markdown.index(before: markdown.endIndex)] + "\">") {
            url = markdown[open.upperBound..<markdown.index(before: markdown.endIndex)]
            title = rest.dropFirst(url.count + 2).dropLast(4)
        } else if let end = rest.range(of: "\">") {
            url = rest[..<end.lowerBound]
            title = rest[end.upperBound...].dropLast(4)
        } else {
            return HTML.escape(String(markdown))
        }
        let scheme = String(url.filter { $0.isLetter || $0 == ":" }).lowercased()
        if ["javascript:", "vbscript:", "data:"].contains(where: { scheme.hasPrefix($0) }) { url = "#" }
        return "<a href=\"\(HTML.escape(MarkdownRenderer.unescape(String(url))))\">\(title)</a>"
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
