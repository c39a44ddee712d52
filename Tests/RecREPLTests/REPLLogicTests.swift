import Foundation
import XCTest
@testable import RecREPL
import RecLang

/// The REPL loop over scripted input: continuation lines, results, errors, meta-commands.
final class REPLLogicTests: XCTestCase {
    func testBareExpressionsShowTheirValueAndNilShowsNothing() throws {
        XCTAssertEqual(try transcript(["1 + 2", "nil", "let x = 4", "x * 2", "[1, \"a\"]"]), "3\n8\n[1, \"a\"]\n")
    }

    /// A plot typed at the prompt, or shown, draws its text chart (title, ticks, braille), never
    /// its SVG, on the terminal.
    func testAPlotShowsAsATextChart() throws {
        let out = try transcript(["plot([1, 4, 9], title: \"Squares\")", "show(plot([2, 1]))"])
        let charts = out.components(separatedBy: "┤").count - 1
        XCTAssertGreaterThanOrEqual(charts, 4, out)
        XCTAssertTrue(out.contains("Squares"), out)
        XCTAssertTrue(out.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, out)
        XCTAssertFalse(out.contains("<svg"), out)
    }

    func testOpenBracketsAndStringsContinueWithTheContinuationPrompt() throws {
        let (repl, reader, sink) = try scriptedREPL([
            .line("fn f(x) {"), .line("  x * 2"), .line("}"),
            .line("[1,"), .line(" 2]"),
            .line("\"a"), .line("b\""),
            .line("f(21)"),
        ])
        repl.run()
        XCTAssertEqual(sink.transcript, "[1, 2]\n\"a\\nb\"\n42\n")
        XCTAssertEqual(reader.prompts, ["rec> ", "...> ", "...> ", "rec> ", "...> ", "rec> ", "...> ", "rec> ", "rec> "])
        // History keeps whole entries, not their lines.
        XCTAssertEqual(reader.history, ["fn f(x) {\n  x * 2\n}", "[1,\n 2]", "\"a\nb\"", "f(21)"])
    }

    func testCtrlCWhileTypingDiscardsThePartialEntry() throws {
        let (repl, reader, sink) = try scriptedREPL([.line("let x = [1,"), .interrupted, .line("let x = 5"), .line("x")])
        repl.run()
        XCTAssertEqual(sink.transcript, "\n5\n")
        XCTAssertEqual(reader.prompts.prefix(3), ["rec> ", "...> ", "rec> "])
    }

    func testErrorsDoNotEndTheSessionAndVariablesSurvive() throws {
        let (repl, _, sink) = try scriptedREPL([.line("var n = 1"), .line("n += 1"), .line("1 / 0"), .line("undefined_thing"), .line("n")])
        repl.run()
        XCTAssertEqual(sink.transcript, """
        <repl:3>:1:3: error: division by zero
            1 / 0
              ^
        <repl:4>:1:1: error: undefined name 'undefined_thing'
            undefined_thing
            ^
        2

        """)
        XCTAssertEqual(repl.failures, 2)
    }

    func testInputEndingInsideABracketIsRunSoTheErrorShows() throws {
        let out = try transcript(["f(1,"])
        XCTAssertTrue(out.contains("<repl:1>:1:2: error: '(' was never closed\n    f(1,\n     ^\nnote: expected ')' before the end of the input\n"), out)
    }

    func testAWarningRepeatedInOneEntryIsCountedAndEachEntryStartsAfresh() throws {
        let out = try transcript(["for _ in 0..<3 { warn(\"slow\") }", "warn(\"slow\")"])
        XCTAssertEqual(out, """
        <repl:1>:1:22: warning: slow
        <repl:1>:1:22: warning: repeated 2 more times: slow
        <repl:2>:1:5: warning: slow

        """)
    }

    func testBlankLinesAreIgnored() throws {
        let (repl, reader, sink) = try scriptedREPL([.line(""), .line("   "), .line("7")])
        repl.run()
        XCTAssertEqual(sink.transcript, "7\n")
        XCTAssertEqual(reader.history, ["7"])
    }

    func testHelpAndHelpForABuiltin() throws {
        let out = try transcript([":help"])
        for c in REPL.commands { XCTAssertTrue(out.contains(c.usage), "missing \(c.usage) in \(out)") }
        let sqrt = try transcript([":help sqrt"])
        XCTAssertTrue(sqrt.hasPrefix("sqrt(x: Float) -> Float\n"), sqrt)
        XCTAssertEqual(sqrt, try transcript(["help(sqrt)"]))
    }

    func testVarsListsUserVariablesOnly() throws {
        XCTAssertEqual(try transcript([":vars"]), "no variables defined yet\n")
        let out = try transcript(["let name = \"Ada\"", "var n = 3", "fn f() { 1 }", ":vars"])
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("name") && $0.contains("String") && $0.contains("let") && $0.hasSuffix("\"Ada\"") }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("n ") && $0.contains("Int") && $0.contains("var") && $0.hasSuffix("3") }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("f ") && $0.contains("Function") }, out)
    }

    func testTypeShowsTheTypeWithoutShowingTheValue() throws {
        XCTAssertEqual(try transcript([":type 1 + 1", ":type [1]", ":type 2.5", ":type nil"]), "Int\nList\nFloat\nNil\n")
        XCTAssertEqual(try transcript([":type"]), "warning: usage: :type expr\n")
        XCTAssertTrue(try transcript([":type nosuch"]).contains("undefined name 'nosuch'"))
    }

    func testTimeShowsTheValueAndADuration() throws {
        let out = try transcript([":time 6 * 7"])
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "42")
        XCTAssertTrue(lines.last?.range(of: #"^time: [0-9.]+ (ms|s)$"#, options: .regularExpression) != nil, out)
        XCTAssertEqual(REPL.formatDuration(0.25), "0.250 ms")
        XCTAssertEqual(REPL.formatDuration(12.34), "12.3 ms")
        XCTAssertEqual(REPL.formatDuration(2500), "2.50 s")
    }

    func testLoadRunsAFileAndKeepsItsDefinitions() throws {
        let dir = try temporaryDirectory(self)
        let file = dir.appendingPathComponent("defs.rec")
        try "fn triple(x) { x * 3 }\nlet base = 10\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try transcript([":load \(file.path)", "triple(base)"]), "30\n")
        XCTAssertEqual(try transcript([":load \"\(file.path)\"", "base"]), "10\n")
        let missing = try transcript([":load \(dir.path)/nope.rec"])
        XCTAssertTrue(missing.contains("nope.rec: no such file"), missing)
    }

    func testResetForgetsVariables() throws {
        let out = try transcript(["let a = 1", ":reset", "a", "sqrt(4)"])
        XCTAssertTrue(out.hasPrefix("session reset\n"), out)
        XCTAssertTrue(out.contains("undefined name 'a'"), out)
        XCTAssertTrue(out.hasSuffix("2.0\n"), out)
    }

    func testQuitStopsReadingAndPrefixesWork() throws {
        let (repl, reader, sink) = try scriptedREPL([.line("1"), .line(":q"), .line("2")])
        repl.run()
        XCTAssertEqual(sink.transcript, "1\n")
        XCTAssertTrue(repl.finished)
        XCTAssertEqual(reader.prompts.count, 2)
        XCTAssertEqual(try transcript([":ty 1"]), "Int\n")
    }

    func testUnknownAndAmbiguousCommandsSayWhatToDo() throws {
        XCTAssertEqual(try transcript([":frobnicate"]), "warning: unknown command ':frobnicate'; type :help for the list of commands\n")
        // :t could be :type or :time.
        XCTAssertEqual(try transcript([":t 1"]), "warning: unknown command ':t' (ambiguous: :type, :time); type :help for the list of commands\n")
    }
}
