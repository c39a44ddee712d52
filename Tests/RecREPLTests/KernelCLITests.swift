import Foundation
import XCTest

/// `rec kernel …` on the command line: installing the kernelspec and refusing bad start-ups with
/// a clear message (the protocol itself is tested in Tests/Jupyter through real clients).
final class KernelCLITests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built at \(recBinary.path)")
    }

    func testInstallWritesTheKernelspecUnderThePrefix() throws {
        let dir = try temporaryDirectory(self)
        let r = try runProcess(recBinary, ["kernel", "install", "--prefix", dir.path, "--workspace", "w.recdb"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let specDir = dir.appendingPathComponent("share/jupyter/kernels/rec")
        XCTAssertEqual(r.stdout, "installed the Rec kernelspec in \(specDir.path)\n")
        let spec = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: specDir.appendingPathComponent("kernel.json"))) as? [String: Any])
        let argv = try XCTUnwrap(spec["argv"] as? [String])
        XCTAssertTrue(argv[0].hasPrefix("/") && argv[0].hasSuffix("/rec"), argv[0])
        XCTAssertEqual(Array(argv[1...4]), ["kernel", "-f", "{connection_file}", "--workspace"])
        XCTAssertEqual(argv[5], FileManager.default.currentDirectoryPath + "/w.recdb")
        XCTAssertEqual(spec["display_name"] as? String, "Rec")
        XCTAssertEqual(spec["language"] as? String, "rec")
    }

    func testBadInvocationsFailWithUsageOrTheReason() throws {
        let none = try runProcess(recBinary, ["kernel"])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.hasPrefix("error: rec kernel needs -f CONNECTION_FILE or install\nusage: rec kernel install"), none.stderr)
        let odd = try runProcess(recBinary, ["kernel", "install", "--bogus"])
        XCTAssertEqual(odd.status, 64)
        XCTAssertTrue(odd.stderr.hasPrefix("error: unexpected '--bogus'\n"), odd.stderr)

        let missing = try runProcess(recBinary, ["kernel", "-f", "/nonexistent/kernel-1.json"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "error: cannot read the connection file /nonexistent/kernel-1.json\n")

        let dir = try temporaryDirectory(self)
        let file = dir.appendingPathComponent("conn.json")
        try #"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "127.0.0.1", "key": "", "transport": "tcp", "signature_scheme": "hmac-sha256"}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let unsigned = try runProcess(recBinary, ["kernel", "-f", file.path])
        XCTAssertEqual(unsigned.status, 1)
        XCTAssertEqual(unsigned.stderr, "error: \(file.path): the key is empty, so messages could not be authenticated; Rec's kernel requires a key\n")
    }
}
