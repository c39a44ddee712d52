import Foundation
import RecLang

/// Tab completion: keywords, builtins and variables; named parameters (`factors:`) inside a
/// call's brackets; members after a dot; file paths inside a string literal. Pure logic over a session, so it is tested without a terminal.
public struct Completer {
    /// Asked on every completion, so that after `:reset` the new session's names are offered.
    let sessionProvider: () -> Session
    var session: Session { sessionProvider() }

    public init(session: @escaping () -> Session) { self.sessionProvider = session }
    public init(session: Session) { self.sessionProvider = { session } }

    /// Characters that end a completion word; must match the shim's rl_basic_word_break_characters.
    static let wordBreaks: Set<Character> = [" ", "\t", "\n", "\"", "'", "`", "@", "$", ">", "<", "=", ";", "|", "&",
                                             "{", "(", "[", ",", "+", "-", "*", "%", "!", ":"]
    static let keywords = ["let", "var", "fn", "if", "else", "while", "for", "in", "return", "break", "continue",
                           "true", "false", "nil", "and", "or", "not", "import"]
    static let metaCommands = ["help", "vars", "type", "time", "load", "reset", "quit"]

    /// The word before the cursor and the full words that may replace it, sorted.
    /// Inside a string literal the word is everything after the opening quote (paths may hold
    /// spaces and dashes), after `:load ` everything after the command.
    public func complete(_ prefix: String) -> (word: String, candidates: [String]) {
        if let open = openQuote(prefix) {
            let word = String(prefix[prefix.index(after: open)...])
            return (word, paths(word))
        }
        for command in [":load ", ":l "] where prefix.hasPrefix(command) {
            let word = String(prefix.dropFirst(command.count))
            return (word, paths(word))
        }
        let word = String(prefix.reversed().prefix { !Completer.wordBreaks.contains($0) }.reversed())
        let before = String(prefix.dropLast(word.count))
        if before == ":" { return (word, Completer.metaCommands.filter { $0.hasPrefix(word) }.sorted()) }
        if let dot = word.lastIndex(of: ".") {
            let target = String(word[..<dot]), partial = String(word[word.index(after: dot)...])
            return (word, members(of: target, partial).map { target + "." + $0 })
        }
        var names = Set(Completer.keywords)
        names.formUnion(session.interpreter.globalNames)
        var candidates = names.filter { $0.hasPrefix(word) }.sorted()
        // Inside `f(…`, the parameters of f not given yet come first, as `name:`.
        if let call = Interpreter.enclosingCall(of: before), let params = session.interpreter.namedParameters(of: call.callee) {
            let named = params.filter { $0.hasPrefix(word) && !call.given.contains($0) }.map { $0 + ":" }
            candidates = named + candidates
        }
        return (word, candidates)
    }

    /// The opening quote of the string literal the text ends inside, if it does.
    private func openQuote(_ text: String) -> String.Index? {
        var open: String.Index? = nil
        var escaped = false
        var i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if escaped { escaped = false }
            else if ch == "\\" && open != nil { escaped = true }
            else if ch == "\"" { open = open == nil ? i : nil }
            else if ch == "#" && open == nil { return nil }   // the rest is a comment
            i = text.index(after: i)
        }
        return open
    }

    /// The candidates as replacements for `shorter`, the part of `word` an editor that breaks
    /// words differently will replace (libedit breaks paths at '-' and ' ').
    public static func relative(_ candidates: [String], word: String, editorWord shorter: String) -> [String] {
        guard word.count > shorter.count, word.hasSuffix(shorter) else { return candidates }
        let drop = word.count - shorter.count
        return candidates.map { String($0.dropFirst(drop)) }
    }

    /// Members of a variable or a chain of fields (`model.params`); nothing is evaluated beyond
    /// reading variables and fields, so completion never runs user code.
    private func members(of target: String, _ partial: String) -> [String] {
        let parts = target.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, var value = session.interpreter.lookup(first) else { return [] }
        for p in parts.dropFirst() {
            guard let next = Members.member(of: value, p) else { return [] }
            value = next
        }
        var names = Set(Members.names(of: value))
        // Functions whose first parameter takes this type can be called as methods: xs.append(1).
        // (Not offered on numbers and booleans, where it would only be noise.)
        let scalar = ["Int", "Float", "Bool", "Nil"].contains(value.typeName)
        for spec in session.interpreter.registry.specs.values where !scalar && spec.params.first?.type == value.typeName {
            names.insert(spec.name)
        }
        return names.filter { $0.hasPrefix(partial) }.sorted()
    }

    private func paths(_ word: String) -> [String] {
        let fm = FileManager.default
        let expanded = word.hasPrefix("~/") ? NSHomeDirectory() + word.dropFirst(1) : word
        let dirPart = expanded.contains("/") ? String(expanded[...expanded.lastIndex(of: "/")!]) : ""
        let namePart = expanded.contains("/") ? String(expanded[expanded.index(after: expanded.lastIndex(of: "/")!)...]) : expanded
        let shownDir = word.contains("/") ? String(word[...word.lastIndex(of: "/")!]) : ""
        let dir = dirPart.isEmpty ? "." : dirPart
        guard let entries = try? fm.contentsOfDirectory(atPath: dir) else { return [] }
        return entries.filter { $0.hasPrefix(namePart) && (!$0.hasPrefix(".") || namePart.hasPrefix(".")) }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: (dir as NSString).appendingPathComponent(name), isDirectory: &isDir)
            return shownDir + name + (isDir.boolValue ? "/" : "")
        }
    }
}
