// The catalogue as the tables of docs/models.md: generated, so the page cannot drift from the
// declarations (GoldenTests compares them).

extension ModelCatalogue {
    /// The marker lines around the generated part of docs/models.md.
    public static let markdownBegin = "<!-- catalogue: generated from ModelCatalogue (REC_UPDATE_GOLDEN=1 GoldenTests rewrites it); do not edit by hand -->"
    public static let markdownEnd = "<!-- catalogue: end -->"

    /// One overview table (what each model reads and offers, its paper), then one table of
    /// hyper-parameters per model (default, valid values, what grid_search tries, meaning).
    public static func markdown() -> String {
        var out = markdownBegin + "\n\n"
        out += "| model | reads | offers | paper |\n|---|---|---|---|\n"
        for k in kinds {
            let config = try? k.configure()
            let reads = config.map { $0.input.text } ?? "what its components read"
            let offers = config.map { $0.capabilities.names.joined(separator: ", ") } ?? "what its components offer"
            out += "| `\(k.name)` | \(cell(reads)) | \(cell(offers)) | \(cell(k.paper)) |\n"
        }
        for k in kinds {
            out += "\n### `\(k.name)`: hyper-parameters\n\n\(k.summary)\n\n"
            out += "| parameter | default | valid | grid_search tries | meaning |\n|---|---|---|---|---|\n"
            for p in k.parameters {
                let def = p.isRequired ? "required" : (p.defaultText ?? p.defaultValue.description)
                let search = p.searchValues.map(\.description).joined(separator: ", ")
                out += "| `\(p.name)` | \(cell(def)) | \(cell(p.domainText)) | \(cell(search.isEmpty ? "—" : search)) | \(cell(p.doc)) |\n"
            }
        }
        return out + "\n" + markdownEnd + "\n"
    }

    private static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
