import Foundation
import RecCore

/// Text: splitting, joining, case, trimming, number formatting.
enum StringBuiltins {
    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("split", [.required("text", "String"), .optional("separator", "String")], returns: "List", category: "Strings",
                        doc: "Splits on `separator` (keeping empty pieces); without one, on runs of whitespace.") { a in
                let s = try a.string("text")
                if let sep = try a.optionalString("separator") {
                    if sep.isEmpty { throw a.error("split(): the separator cannot be empty") }
                    return .list(s.components(separatedBy: sep).map { .string($0) })
                }
                return .list(s.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) })
            },
            BuiltinSpec("join", [.required("values"), .optional("separator", "String", default: .string(""))], returns: "String", category: "Strings",
                        doc: "Concatenates the elements (as `str` would show them) with `separator` between: join([1, 2], \", \") is \"1, 2\".") { a in
                let xs = try CollectionBuiltins.items(try a.any("values"), a, "values")
                return .string(xs.map(\.str).joined(separator: try a.string("separator")))
            },
            BuiltinSpec("upper", [.required("text", "String")], returns: "String", category: "Strings",
                        doc: "The text in upper case.") { a in .string(try a.string("text").uppercased()) },
            BuiltinSpec("lower", [.required("text", "String")], returns: "String", category: "Strings",
                        doc: "The text in lower case.") { a in .string(try a.string("text").lowercased()) },
            BuiltinSpec("trim", [.required("text", "String")], returns: "String", category: "Strings",
                        doc: "The text without leading and trailing whitespace.") { a in
                .string(try a.string("text").trimmingCharacters(in: .whitespacesAndNewlines))
            },
            BuiltinSpec("replace", [.required("text", "String"), .required("old", "String"), .required("new", "String")],
                        returns: "String", category: "Strings",
                        doc: "The text with every occurrence of `old` replaced by `new`.") { a in
                let old = try a.string("old")
                if old.isEmpty { throw a.error("replace(): `old` cannot be empty") }
                return .string(try a.string("text").replacingOccurrences(of: old, with: try a.string("new")))
            },
            BuiltinSpec("starts_with", [.required("text", "String"), .required("prefix", "String")], returns: "Bool", category: "Strings",
                        doc: "Whether the text begins with `prefix`.") { a in .bool(try a.string("text").hasPrefix(try a.string("prefix"))) },
            BuiltinSpec("ends_with", [.required("text", "String"), .required("suffix", "String")], returns: "Bool", category: "Strings",
                        doc: "Whether the text ends with `suffix`.") { a in .bool(try a.string("text").hasSuffix(try a.string("suffix"))) },
            BuiltinSpec("format", [.required("number"), .optional("digits", "Int", default: .nil, range: 0...17), .optional("width", "Int", default: .int(0), range: 0...1_000_000)],
                        returns: "String", category: "Strings",
                        doc: """
                        A number as text with `digits` decimals (2 for Floats, none for Ints unless given), right-aligned in `width` characters.
                        Example: format(3.14159, digits: 3) is "3.142"; format(7, width: 4) is "   7".
                        """) { a in
                let v = try a.any("number")
                let given = a.has("digits")
                let digits = given ? try a.int("digits") : 2, width = try a.int("width")
                guard (0...17).contains(digits) else { throw a.error("format(): digits must be between 0 and 17") }
                let text: String
                switch v {
                case .int(let i) where !given || digits == 0: text = String(i)
                case .int, .double: text = String(format: "%.\(digits)f", Ops.number(v)!)
                default: throw a.typeError("number", expected: "a number", got: v)
                }
                return .string(text.padded(toWidth: width, right: true))
            },
            BuiltinSpec("pad", [.required("text"), .required("width", "Int", range: 0...1_000_000), .optional("right", "Bool", default: .bool(false))],
                        returns: "String", category: "Strings",
                        doc: "The text (any value, as str shows it) padded with spaces to `width` terminal columns (a CJK character takes two); left-aligned unless right: true.") { a in
                .string(try a.any("text").str.padded(toWidth: try a.int("width"), right: try a.bool("right")))
            },
        ])
    }
}
