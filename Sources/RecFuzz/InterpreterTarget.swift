import RecLang

/// The `interpreter` target: the input as Rec source, parsed, resolved and run with every
/// builtin and the prelude (`FuzzHost.withInterpreter`), its output rendered and discarded.
///
/// What keeps it safe to run millions of generated programs:
/// - file access (`FileAccess`): reading only the fixtures directory (bound to the global
///   `FIXTURES`) and a scratch directory, writing only the scratch directory, which is where
///   `temp_path()` names files and which is emptied after each input;
/// - a time budget: after `FuzzHost.budgetSeconds` the watchdog interrupts the program as Ctrl-C
///   would;
/// - a 1 GiB stack, as `rec` runs with, so the interpreter's own recursion limits apply.
enum InterpreterTarget {
    static func run(_ data: UnsafeRawBufferPointer) {
        let host = FuzzHost.shared
        let source = SourceFile(name: "<fuzz>", text: String(decoding: data, as: UTF8.self))
        host.withInterpreter(host.programAccess) { interp in
            interp.define("FIXTURES", .string(host.fixtures))
            try interp.run(source)
        }
    }
}
