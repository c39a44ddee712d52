extension Interpreter {
    /// Lets go of every global (builtins, the prelude, the program's definitions), the open
    /// workspace and the import records. Compiled Rec functions hold their interpreter and the
    /// globals hold those functions, so an interpreter a host discards without this stays in
    /// memory with its value stack. Hosts that make many interpreters (the fuzzer, notebook
    /// servers) call it when they are done with one; the interpreter cannot run code afterwards.
    public func tearDown() {
        for g in systemGlobals.values { g.value = .nil; g.defined = false }
        for g in userGlobals_.values { g.value = .nil; g.defined = false }
        systemGlobals = [:]
        userGlobals_ = [:]
        closeWorkspace()
        removeTemporaryFiles()
        importedPaths = []
    }
}
