import Foundation
import XCTest

/// Drives the real `rec` binary through a pseudo-terminal (python3's pty module), as a person
/// at a keyboard would: libedit editing, tab completion, Ctrl-C at the prompt and during a
/// computation, persistent history across sessions and Ctrl-R search.
final class TerminalTests: XCTestCase {
    /// A small expect-like driver: `send` writes keys; `expect` waits (with a deadline) until the
    /// accumulated output matches a regular expression. It fails with the transcript so far.
    static let driver = #"""
import os, pty, re, sys, time, select, json

rec, state = sys.argv[1], sys.argv[2]
env = dict(os.environ, TERM="xterm", XDG_STATE_HOME=state, HOME=state, LANG="C.UTF-8")
env.pop("REC_HISTORY", None)
env.pop("NO_COLOR", None)

def spawn():
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(rec, [rec], env)
    return pid, fd

class Term:
    def __init__(self):
        self.pid, self.fd = spawn()
        self.out = ""
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
        self.out += data.decode("utf-8", "replace")
        return True
    def expect(self, pattern, timeout=15, since=None):
        start = since if since is not None else self.mark
        deadline = time.time() + timeout
        while time.time() < deadline:
            clean = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\x01\x02]", "", self.out[start:])
            m = re.search(pattern, clean)
            if m:
                self.mark = len(self.out)
                return m
            self.read(0.1)
        sys.stderr.write("TIMEOUT waiting for %r\n--- output since mark ---\n%r\n" % (pattern, self.out[start:]))
        sys.exit(1)
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
t.send("\x04"); code = t.wait_exit()
assert code == 0, "exit code %r" % code

hist = open(os.path.join(state, "rec", "history"), encoding="utf-8", errors="replace").read()
hist = hist.encode().decode("unicode_escape")   # libedit's format writes a space as \040
assert "zebra_count = 41" in hist, hist

# Session 2: the history came back: Ctrl-R finds the definition, up-arrow recalls the last entry.
t = Term(); t.mark = 0
t.expect(r"rec> $")
t.send("\x12"); time.sleep(0.3)
t.send("zebra_count = "); time.sleep(0.3)
t.send("\r"); t.expect(r"rec> $")
t.send("zebra_count * 2\r"); t.expect(r"82")
t.send(":quit\r"); code = t.wait_exit()
assert code == 0, "exit code %r" % code
print("ok")
"""#

    func testInteractiveSession() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built")
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
                ?? findOnPath("python3") else {
            throw XCTSkip("python3 is needed to drive a pseudo-terminal")
        }
        let dir = try temporaryDirectory(self)
        let script = dir.appendingPathComponent("drive.py")
        try TerminalTests.driver.write(to: script, atomically: true, encoding: .utf8)
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
