import Foundation
import RecLang
import RecNotebook

/// `rec render` and the `-p NAME=VALUE` parameters of `rec run` and `rec render`.
enum NotebookCommands {
    static let renderUsage = "rec render NOTEBOOK (.rec or .ipynb) [--to html|ipynb|rec] [-o OUT] [-p NAME=VALUE]…"

    /// Takes the `-p NAME=VALUE` (or `--param NAME=VALUE`, `-pNAME=VALUE`) arguments out of
    /// `arguments`; nil after reporting a usage error.
    static func takeParameters(_ arguments: inout [String], status: inout Int32) -> ParameterOverrides? {
        var overrides = ParameterOverrides()
        var rest: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            var value: String? = nil
            if a == "-p" || a == "--param" {
                guard i + 1 < arguments.count else { status = Runner.usage("\(a) needs NAME=VALUE, e.g. \(a) users=200"); return nil }
                value = arguments[i + 1]; i += 2
            } else if a.hasPrefix("-p"), a.count > 2 {
                value = String(a.dropFirst(2)); i += 1
            } else if a.hasPrefix("--param=") {
                value = String(a.dropFirst("--param=".count)); i += 1
            } else {
                rest.append(a); i += 1
            }
            if let value {
                do { try overrides.add(value) } catch { status = Runner.usage(error.message); return nil }
            }
        }
        arguments = rest
        return overrides
    }

    /// `rec run NOTEBOOK -p …`: the notebook as one script, the values bound after its
    /// parameters cell (line numbers unchanged).
    static func runWithParameters(_ file: String, _ overrides: ParameterOverrides, color: Bool, workspace: String?) -> Int32 {
        let renderer = TextRenderer(color: color && TextRenderer.wantsColor(fd: 2), showResults: false, showProgress: TextRenderer.wantsProgress())
        defer { renderer.flush() }
        return Runner.withSession(renderer, workspace: workspace) { session in
            let text: String
            do throws(RecError) { text = try SourceFile(path: file).text } catch { renderer.emit(.error(error)); return 1 }
            do {
                let notebook = try Notebook.parsePercent(text, file: file)
                let script = try overrides.scriptText(text, notebook: notebook, file: file)
                _ = try session.interpreter.runMain(SourceFile(name: file, text: script))
                return 0
            } catch let e as NotebookFormatError {
                return fail(e.description)
            } catch let e as RecError {
                renderer.emit(.error(e)); return Runner.exitStatus(e)
            } catch {
                return fail("\(error)")
            }
        }
    }

    enum Format: String { case html, ipynb, rec }

    /// `rec render`: runs a notebook and writes it as HTML or `.ipynb`, or converts an `.ipynb`
    /// (or `.rec`) to the percent format without running it. A failing cell makes the status 1,
    /// after the page is written.
    static func render(_ arguments: [String], workspace: String?) -> Int32 {
        var args = arguments
        var status: Int32 = 0
        guard let overrides = takeParameters(&args, status: &status) else { return status }
        var input: String? = nil, output: String? = nil, format: Format? = nil
        var i = 0
        while i < args.count {
            let a = args[i]
            switch a {
            case "--to", "-t", "-o", "--output":
                guard i + 1 < args.count else { return Runner.usage("\(a) needs a value: \(renderUsage)") }
                let v = args[i + 1]
                if a == "-o" || a == "--output" { output = v } else {
                    guard let f = Format(rawValue: v) else { return Runner.usage("--to \(v): expected html, ipynb or rec") }
                    format = f
                }
                i += 2
            case "--help", "-h":
                print("usage: \(renderUsage)\nRuns the notebook and writes it with its outputs (html, ipynb), or writes its cells as a percent-format .rec file (rec; nothing runs).")
                return 0
            default:
                if a.hasPrefix("-") && a != "-" { return Runner.usage("unknown option \(a): \(renderUsage)") }
                if input != nil { return Runner.usage("one notebook at a time: \(renderUsage)") }
                input = a; i += 1
            }
        }
        guard let input else { return Runner.usage("rec render needs a notebook: \(renderUsage)") }
        let ext = (input as NSString).pathExtension.lowercased()
        let chosen = format ?? output.flatMap { Format(rawValue: ($0 as NSString).pathExtension.lowercased()) } ?? .html
        let target = output ?? ((input as NSString).deletingPathExtension + "." + chosen.rawValue)
        if target == input { return Runner.usage("the output \(target) would overwrite the notebook; give -o") }

        let notebook: Notebook
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: input))
            if ext == "ipynb" {
                notebook = try IPYNB.read(data, file: input)
            } else {
                guard let text = String(data: data, encoding: .utf8) else { return fail("\(input): not UTF-8 text") }
                notebook = try Notebook.parsePercent(text, file: input)
            }
        } catch let e as NotebookFormatError {
            return fail(e.description)
        } catch {
            return fail("\(input): cannot read: \((error as NSError).localizedDescription)")
        }

        if chosen == .rec {
            if !overrides.isEmpty { return Runner.usage("-p sets values for a run; --to rec runs nothing") }
            return write(notebook.percentText(), to: target)
        }

        let renderer = TextRenderer(color: false, showResults: false, showProgress: false)
        defer { renderer.flush() }
        return Runner.withSession(renderer, workspace: workspace) { session in
            let prepared: Notebook
            do throws(RecError) { prepared = try overrides.inject(into: notebook, file: input) }
            catch { renderer.emit(.error(error)); return 1 }
            let run = NotebookRun.run(prepared, file: input, in: session)
            let text = chosen == .html ? HTMLRenderer.page(run, file: input) : IPYNB.write(run)
            let written = write(text, to: target)
            if written != 0 { return written }
            if let failed = run.failedCell, let e = run.runs[failed]?.error {
                renderer.emit(.error(e))
                FileHandle.standardError.write("rec render: cell \(failed + 1) failed; wrote \(target) with the error in it\n".data(using: .utf8)!)
                return Runner.exitStatus(e)
            }
            return 0
        }
    }

    static func write(_ text: String, to path: String) -> Int32 {
        if path == "-" { FileHandle.standardOutput.write(text.data(using: .utf8)!); return 0 }
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        catch { return fail("cannot write \(path): \((error as NSError).localizedDescription)") }
        return 0
    }

    static func fail(_ message: String) -> Int32 {
        let text = message.contains("error:") ? message : "error: " + message
        FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
        return 1
    }
}
