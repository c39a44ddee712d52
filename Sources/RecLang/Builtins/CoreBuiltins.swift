import Foundation

/// Printing, types and conversions, help, assertions.
enum CoreBuiltins {
    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("print", [.variadic("values"), .optional("sep", "String", default: .string(" ")),
                                  .optional("end", "String", default: .string("\n"))],
                        category: "Core",
                        doc: """
                        Writes the values separated by single spaces, then a newline.
                        Strings are written without quotes; other values as the REPL shows them. `sep:` and `end:` change the separator and the terminator.
                        """) { a in
                let sep = try a.string("sep"), end = try a.string("end")
                let options = a.interpreter.display
                a.interpreter.write(a.rest.map { Display.text(of: $0, options: options) }.joined(separator: sep) + end)
                return .nil
            },
            BuiltinSpec("show", [.required("value"), .optional("rows")], category: "Core",
                        doc: """
                        Displays a value now (as the REPL shows results); in notebooks it becomes a rich output (tables as HTML, plots as SVG).
                        rows: how many rows of a table to show (an Int of at least 2, or "all"); the session's setting (set_display) otherwise.
                        Example: show(recommend_all(m), rows: "all"); show(t, rows: 50)
                        """) { a in
                var options = a.interpreter.display
                if a.has("rows") { options.rows = try displayRows(a) }
                a.interpreter.sink.emit(.display(Display.data(for: try a.any("value"), options: options)))
                return .nil
            },
            BuiltinSpec("set_display", [.optional("rows"), .optional("width", "Int", range: 4...10_000),
                                        .optional("decimals", "Int", range: 0...17)], returns: "Record", category: "Core",
                        doc: """
                        Changes how values are shown for the rest of the session, and returns the settings now in force.
                        rows: tables with more rows show the first and last rows/2 around a `…` row (default 20; "all" shows every row);
                        width: longer cell text is cut (default 40 terminal columns); decimals: at most this many for Floats (default 4).
                        Given no arguments, it returns the current settings. show(t, rows: n) overrides rows for one table.
                        Example: set_display(rows: 50); set_display(rows: "all")
                        """) { a in
                if a.has("rows") { a.interpreter.display.rows = try displayRows(a) }
                if let w = try a.optionalInt("width") { a.interpreter.display.width = w }
                if let d = try a.optionalInt("decimals") { a.interpreter.display.decimals = d }
                return a.interpreter.display.record
            },
            BuiltinSpec("type", [.required("value")], returns: "String", category: "Core",
                        doc: "The type name of a value: Int, Float, String, Bool, Nil, List, Map, Record, Range, Function, or a native type such as Dataset or Model.") { a in
                .string(try a.any("value").typeName)
            },
            BuiltinSpec("str", [.required("value")], returns: "String", category: "Core",
                        doc: "The value as text, as `print` would write it (strings unchanged).") { a in
                .string(Display.text(of: try a.any("value"), options: a.interpreter.display))
            },
            BuiltinSpec("repr", [.required("value")], returns: "String", category: "Core",
                        doc: "The value as the REPL displays it (strings quoted and escaped).") { a in
                .string(try a.any("value").repr)
            },
            BuiltinSpec("int", [.required("value")], returns: "Int", category: "Core",
                        doc: "Converts to Int: floats truncate toward zero, strings are parsed (error if not a whole number), booleans give 0 or 1.") { a in
                let v = try a.any("value")
                switch v {
                case .int: return v
                case .double(let d):
                    guard d.isFinite, abs(d) < 9.2e18 else { throw a.error("int(): \(Value.formatDouble(d)) cannot be converted to Int") }
                    return .int(Int(d))
                case .bool(let b): return .int(b ? 1 : 0)
                case .string(let s):
                    guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw a.error("int(): \(v.repr) is not a whole number") }
                    return .int(i)
                default: throw a.typeError("value", expected: "a number, Bool or String", got: v)
                }
            },
            BuiltinSpec("float", [.required("value")], returns: "Float", category: "Core",
                        doc: "Converts to Float: ints widen, strings are parsed (\"nan\" and \"inf\" accepted).") { a in
                let v = try a.any("value")
                switch v {
                case .int(let i): return .double(Double(i))
                case .double: return v
                case .bool(let b): return .double(b ? 1 : 0)
                case .string(let s):
                    guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else { throw a.error("float(): \(v.repr) is not a number") }
                    return .double(d)
                default: throw a.typeError("value", expected: "a number, Bool or String", got: v)
                }
            },
            BuiltinSpec("fields", [.required("record", "Record")], returns: "List", category: "Core",
                        doc: "The field names of a record, in order.") { a in
                let v = try a.any("record")
                guard case .record(let r) = v else { throw a.typeError("record", expected: "a Record", got: v) }
                return .list(r.names.map { .string($0) })
            },
            BuiltinSpec("help", [.optional("topic")], category: "Core",
                        doc: """
                        Shows the signature and documentation of a function: help(print), help("recommend").
                        Without an argument, lists every builtin by category.
                        """) { a in
                a.interpreter.write(Help.text(for: a.value("topic"), in: a.interpreter) + "\n")
                return .nil
            },
            BuiltinSpec("assert", [.required("condition", "Bool"), .optional("message", "String", default: .string("assertion failed"))],
                        category: "Core",
                        doc: "Stops with an error carrying `message` when `condition` is false.") { a in
                if try !a.bool("condition") { throw a.error(try a.string("message"), kind: .runtime) }
                return .nil
            },
            BuiltinSpec("error", [.required("message", "String")], category: "Core",
                        doc: "Stops the program with an error carrying `message` and the current position.") { a in
                throw a.error(try a.string("message"), kind: .runtime)
            },
            BuiltinSpec("warn", [.required("message", "String")], category: "Core",
                        doc: "Reports a warning (on stderr in the terminal, as a warning output in notebooks) and goes on.") { a in
                a.interpreter.warn(try a.string("message"), at: a.location)
                return .nil
            },
            BuiltinSpec("clock", [], returns: "Float", category: "Core",
                        doc: "Seconds on a monotonic clock, for timing code: let t = clock(); …; print(clock() - t).") { _ in
                .double(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
            },
        ])
    }

    /// `rows:` of show and set_display: an Int of at least 2, or "all" (nil: every row).
    static func displayRows(_ a: Arguments) throws -> Int? {
        let v = try a.any("rows")
        switch v {
        case .string("all"): return nil
        case .int(let n) where n >= 2: return n
        case .int(let n): throw a.error("\(a.spec.name)(): argument 'rows' must be at least 2 or \"all\", got \(n)")
        default: throw a.typeError("rows", expected: "an Int or \"all\"", got: v)
        }
    }
}

/// Text for `help(…)` and the REPL's `:help`.
public enum Help {
    public static func text(for topic: Value?, in interp: Interpreter) -> String {
        switch topic {
        case nil:
            var out = "Builtin functions (help(name) for details; Stdlib functions such as map and filter are written in Rec):\n"
            for (cat, specs) in interp.registry.byCategory {
                out += "\n\(cat):\n"
                for s in specs { out += "  \(s.signature)\n" }
            }
            return out
        case .string(let name)?:
            if let spec = interp.registry[name], case .builtin? = interp.lookup(name) { return describe(spec) }
            if let v = interp.lookup(name) { return text(for: v, in: interp) }
            var msg = "no function named '\(name)'"
            if let s = Suggest.closest(name, among: interp.globalNames) { msg += "; did you mean '\(s)'?" }
            return msg
        case .builtin(let b)?:
            return describe(b.spec)
        case .closure(let c)?:
            let p = c.proto
            return "\(p.signature)\n\n" + (p.doc ?? "(no documentation; put # comment lines right above the fn to document it)")
                + (p.location.line > 0 ? "\n\ndefined at \(shownPath(p.location, interp)):\(p.location.line)" : "")
        case .native(let o)?:
            return "\(o.typeName)\nmembers: \(o.memberNames.joined(separator: ", "))"
        case let v?:
            let names = Ops.memberNames(v)
            return "\(v.typeName)" + (names.isEmpty ? "" : "\nmembers: \(names.joined(separator: ", "))")
        }
    }

    /// Stdlib files are shown relative to the Stdlib directory, so help text is the same on
    /// every machine.
    static func shownPath(_ loc: SourceLocation, _ interp: Interpreter) -> String {
        let name = loc.fileName
        if let dir = interp.stdlibDirectory, name.hasPrefix(dir + "/") { return "Stdlib/" + name.dropFirst(dir.count + 1) }
        return name
    }

    static func describe(_ s: BuiltinSpec) -> String {
        "\(s.signature)\n\n\(s.doc)"
    }
}
