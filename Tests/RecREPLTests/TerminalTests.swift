import Foundation
import XCTest

/// Drives the real `rec` binary through a pseudo-terminal (python3's pty module), as a person
/// at a keyboard would: libedit editing, tab completion, Ctrl-C at the prompt and during a
/// computation, persistent history across sessions and Ctrl-R search — with Chinese and
/// accented text typed as well as ASCII, in a UTF-8 locale and in the C locale.
final class TerminalTests: XCTestCase {
    /// A small expect-like driver: `send` writes keys; `expect` waits (with a deadline) until the
    /// accumulated output matches a regular expression. It fails with the transcript so far.
    /// Scenarios follow it in the same script.
    static let terminal = #"""
import os, pty, re, sys, time, select, json, codecs

rec, state = sys.argv[1], sys.argv[2]
env = dict(os.environ, TERM="xterm", XDG_STATE_HOME=state, HOME=state, LANG="C.UTF-8")
for name in ["REC_HISTORY", "NO_COLOR", "LC_ALL", "LC_CTYPE"]:
    env.pop(name, None)

def spawn(extra, args):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(rec, [rec] + list(args), dict(env, **extra))
    return pid, fd

def screen_lines(text):
    """The lines a terminal would show: each line's text after its last carriage return (the
    progress bar redraws in place), escape sequences removed."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\x01\x02]", "", text)
    return [l.split("\r")[-1] if not l.endswith("\r") else l[:-1].split("\r")[-1] for l in text.split("\n")]

class Term:
    def __init__(self, args=(), **extra):
        self.pid, self.fd = spawn(extra, args)
        self.out = ""
        # A read may end inside a multi-byte character: decode incrementally.
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.out += self.decoder.decode(data)
        return True
    def expect(self, pattern, timeout=15, since=None):
        start = since if since is not None else self.mark
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.clean(start))
            if m:
                self.mark = len(self.out)
                return m
            self.read(0.1)
        sys.stderr.write("TIMEOUT waiting for %r\n--- output since mark ---\n%r\n" % (pattern, self.out[start:]))
        sys.exit(1)
    def clean(self, start):
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\x01\x02]", "", self.out[start:])
    def send(self, keys):
        # Keys typed before libedit puts the terminal in raw mode are echoed by the kernel and
        # an early ^D is lost, as for any line editor; a person waits for the prompt too.
        time.sleep(0.15)
        self.read(0)
        self.mark = len(self.out)
        os.write(self.fd, keys.encode())
    def wait_exit(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        sys.stderr.write("rec did not exit\n%r\n" % self.out)
        sys.exit(1)
"""#

    static let sessions = #"""
# Session 1: values, completion, Ctrl-C at the prompt and during a loop.
t = Term(); t.mark = 0
t.expect(r"rec> $")
t.send("let zebra_count = 41\r"); t.expect(r"rec> $")
t.send("zebra_c\t"); t.expect(r"ount")   # libedit redraws: only the completed tail is written
t.send(" + 1\r"); t.expect(r"42\r?\n.*rec> $")
t.send("[1,\r"); t.expect(r"\.\.\.> $")
t.send("2]\r"); t.expect(r"\[1, 2\]")
t.send("1 + 2 + "); t.expect(r"1 \+ 2 \+ $")
t.send("\x03"); t.expect(r"\n.*rec> $")   # a fresh line, the typed text discarded
t.send("7\r"); t.expect(r"(?<!\+ )7\r?\n.*rec> $")
t.send("var spins = 0\r"); t.expect(r"rec> $")
t.send("while true { spins += 1 }\r")
time.sleep(0.7)
t.send("\x03"); t.expect(r"interrupted[\s\S]*rec> $")
t.send("spins > 0 and zebra_count == 41\r"); t.expect(r"true\r?\n.*rec> $")

# Chinese and accented text: echoed intact, counted as characters, completed, Ctrl-C discards it.
t.send('count("数据 café")\r'); t.expect(r'^count\("数据 café"\)\r?\n7\r?\n.*rec> $')
t.send("let π = 3.14\r"); t.expect(r"rec> $")
t.send("π * 2\r"); t.expect(r"π \* 2\r?\n6\.28\r?\n.*rec> $")
t.send("let 数据集 = [1, 2, 3]\r"); t.expect(r"rec> $")
t.send('"数据" + "é" + str(count(数'); t.expect(r'str\(count\(数$')
t.send("\t"); t.expect(r"据集$")   # completion with multi-byte text before the cursor
t.send("))\r"); t.expect(r'"数据é3"\r?\n.*rec> $')
t.send('"未完'); t.expect(r'"未完$')
t.send("\x03"); t.expect(r"\n.*rec> $")
t.send("count(数据集)\r"); t.expect(r"(?<!未完)count\(数据集\)\r?\n3\r?\n.*rec> $")
t.send('"数据"\x1b[D\x1b[D\x7fX\r'); t.expect(r'\n"X据"\r?\n.*rec> $')   # left over wide characters, backspace
# The caret under a line with CJK text: "数据" is four columns wide, so '+' is in column 15.
t.send('let x = "数据" + 1\r')
m = t.expect(r'\n    let x = "数据" \+ 1\r?\n( *)\^')
assert len(m.group(1)) == 4 + 15, "caret misplaced:\n%s" % m.group(0)
t.send('count("数据 café") + 1\r'); t.expect(r"8\r?\n.*rec> $")
t.send("\x04"); code = t.wait_exit()
assert code == 0, "exit code %r" % code

# libedit's history format escapes spaces and the like as \ooo octal bytes; what remains must be
# UTF-8 holding the lines as typed.
raw = open(os.path.join(state, "rec", "history"), "rb").read()
hist = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw).decode("utf-8")
for line in ["let zebra_count = 41", 'count("数据 café")', "let π = 3.14", "let 数据集 = [1, 2, 3]"]:
    assert line in hist.split("\n"), (line, hist)

# Session 2: the history came back. Up recalls the last entry intact; Ctrl-R finds a CJK
# substring; then the ASCII definition.
t = Term(); t.mark = 0
t.expect(r"rec> $")
t.send("\x1b[A"); t.expect(r'count\("数据 café"\) \+ 1$')
t.send("\r"); t.expect(r"8\r?\n.*rec> $")
t.send("\x12"); time.sleep(0.3)
t.send("据集 = ["); time.sleep(0.3)
t.send("\r"); t.expect(r"rec> $")
t.send("count(数据集) * 2\r"); t.expect(r"6\r?\n.*rec> $")
t.send("\x12"); time.sleep(0.3)
t.send("zebra_count = "); time.sleep(0.3)
t.send("\r"); t.expect(r"rec> $")
t.send("zebra_count * 2\r"); t.expect(r"82")
t.send(":quit\r"); code = t.wait_exit()
assert code == 0, "exit code %r" % code

# Session 3, in the C locale (LC_ALL=C, as in many containers): input is still UTF-8.
t = Term(LC_ALL="C", LANG="C"); t.mark = 0
t.expect(r"rec> $")
t.send('count("数据 café")\r'); t.expect(r'^count\("数据 café"\)\r?\n7\r?\n.*rec> $')
t.send(":quit\r"); code = t.wait_exit()
assert code == 0, "exit code %r" % code
print("ok")
"""#

    /// Ctrl-C during `fit` on a terminal. `rec run`: the script ends with status 130 and the
    /// statement after the fit never runs; the progress bar stays on its line showing the epoch
    /// reached and the error starts on the next line. The REPL: the model keeps what it learned,
    /// the warning starts on a line of its own, and the session's variables are intact.
    static let fitInterrupts = #"""
bar = r"^biased_mf \[=* *\] (\d+)/1000000  loss \d+\.\d+  \(stopped\)(\^C)?$"
script = os.path.join(state, "fit.rec")
open(script, "w").write('let d = synthetic(users: 300, items: 200, seed: 1)\nprint("before")\n'
                        'let m = fit(biased_mf(epochs: 1000000), d)\nprint("after")\n')
t = Term(args=["run", script]); t.mark = 0
t.expect(r"biased_mf \[ *\] \d+/1000000")
t.send("\x03")
code = t.wait_exit()
assert code == 130, "exit code %r\n%r" % (code, t.out)
lines = screen_lines(t.out)
assert "after" not in lines, lines
i = next(k for k, l in enumerate(lines) if "error:" in l)
m = re.match(bar, lines[i - 1])
assert m, "the line before the error is not the bar:\n%r" % lines
assert lines[i] == "%s:3:12: error: interrupted: fit() stopped after epoch %s of 1000000" % (script, m.group(1)), lines
assert lines[i + 1:i + 3] == ["    let m = fit(biased_mf(epochs: 1000000), d)", "               ^"], lines

t = Term(); t.mark = 0
t.expect(r"rec> $")
t.send("let d = synthetic(users: 300, items: 200, seed: 1)\r"); t.expect(r"rec> $")
start = len(t.out)
t.send("let m = fit(biased_mf(epochs: 1000000), d)\r")
t.expect(r"biased_mf \[ *\] \d+/1000000")
t.send("\x03")
t.expect(r"stopped by Ctrl-C after epoch \d+ of 1000000[^\n]*\n[\s\S]*rec> $")
lines = screen_lines(t.out[start:])
i = next(k for k, l in enumerate(lines) if "warning:" in l)
m = re.match(bar, lines[i - 1])
assert m, "the line before the warning is not the bar:\n%r" % lines
assert lines[i] == "<repl:2>:1:12: warning: fit(): stopped by Ctrl-C after epoch %s of 1000000; the model is usable as trained so far" % m.group(1), lines
t.send("m.fitted and d.count == 8742\r"); t.expect(r"true\r?\n.*rec> $")
t.send("m\r"); t.expect(r"stopped after epoch %s of 1000000\)\)\r?\n.*rec> $" % m.group(1))
t.send("\x04"); code = t.wait_exit()
assert code == 0, "exit code %r" % code
print("ok")
"""#

    func testCtrlCDuringFitOnATerminal() throws {
        try drive(TerminalTests.fitInterrupts, in: try temporaryDirectory(self))
    }

    func testInteractiveSession() throws {
        try drive(TerminalTests.sessions, in: try temporaryDirectory(self))
    }

    /// The REPL sets only LC_CTYPE from the environment: in a locale whose decimal mark is a
    /// comma, strtod (which the loaders use for long decimals) must still read "3.14…".
    static let commaLocale = #"""
path = os.path.join(state, "pi.csv")
open(path, "w").write("user,item,rating\n1,2,3.14159265358979323846\n1,3,2.5\n")
t = Term(LANG="de_DE.UTF-8", LOCPATH=os.path.join(state, "locales")); t.mark = 0
t.expect(r"rec> $")
t.send('load("%s").count\r' % path); t.expect(r"\n2\r?\n.*rec> $")
t.send('count("数据 café")\r'); t.expect(r"\n7\r?\n.*rec> $")
t.send(":quit\r"); code = t.wait_exit()
assert code == 0, "exit code %r" % code
print("ok")
"""#

    func testNumbersReadTheSameInACommaDecimalLocale() throws {
        let dir = try temporaryDirectory(self)
        let locales = dir.appendingPathComponent("locales")
        try FileManager.default.createDirectory(at: locales, withIntermediateDirectories: true)
        // Built from the C library's locale sources (Debian's `locales` package) when present.
        guard FileManager.default.fileExists(atPath: "/usr/share/i18n/locales/de_DE"),
              let localedef = ["/usr/bin/localedef"].first(where: FileManager.default.isExecutableFile),
              let made = try? runProcess(URL(fileURLWithPath: localedef),
                                         ["-i", "de_DE", "-f", "UTF-8", locales.appendingPathComponent("de_DE.UTF-8").path]),
              made.status == 0 else {
            throw XCTSkip("no de_DE locale sources to build a comma-decimal locale from")
        }
        try drive(TerminalTests.commaLocale, in: dir)
    }

    /// Runs the driver followed by `scenario` against the built `rec`, with `dir` as its state.
    private func drive(_ scenario: String, in dir: URL) throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built")
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
                ?? findOnPath("python3") else {
            throw XCTSkip("python3 is needed to drive a pseudo-terminal")
        }
        let script = dir.appendingPathComponent("drive.py")
        try (TerminalTests.terminal + "\n" + scenario).write(to: script, atomically: true, encoding: .utf8)
        let r = try runProcess(URL(fileURLWithPath: python), [script.path, recBinary.path, dir.path])
        XCTAssertEqual(r.status, 0, "pty session failed:\n\(r.stderr)\n\(r.stdout)")
        XCTAssertEqual(r.stdout, "ok\n", r.stderr)
    }

    private func findOnPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
