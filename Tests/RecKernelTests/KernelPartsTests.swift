import CZeroMQ
import Foundation
import XCTest
import RecLang
@testable import RecKernel

/// The kernel's pieces that need no client: connection files, the kernelspec, history,
/// completeness, the name under the cursor, and how output events become IOPub messages.
final class KernelPartsTests: XCTestCase {
    func write(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "rec-conn-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func connection(key: String, scheme: String = "hmac-sha256", transport: String = "tcp") -> String {
        """
        {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
         "ip": "127.0.0.1", "key": "\(key)", "transport": "\(transport)", "signature_scheme": "\(scheme)", "kernel_name": "rec"}
        """
    }

    func testConnectionFileGivesTheEndpoints() throws {
        let info = try ConnectionInfo.load(path: write(connection(key: "abc")))
        XCTAssertEqual(info.endpoint(info.shellPort), "tcp://127.0.0.1:5001")
        XCTAssertEqual(info.endpoint(info.hbPort), "tcp://127.0.0.1:5005")
        let ipc = try ConnectionInfo.load(path: write(connection(key: "abc", transport: "ipc").replacingOccurrences(of: "127.0.0.1", with: "/tmp/k")))
        XCTAssertEqual(ipc.endpoint(ipc.controlPort), "ipc:///tmp/k-5004")
    }

    func testConnectionFileErrorsNameTheProblemButNeverTheKey() throws {
        let secret = "s3cr3t-value"
        for (json, expected) in [(connection(key: ""), "the key is empty"),
                                 (connection(key: secret, scheme: "hmac-md5"), "signature_scheme \"hmac-md5\" is not supported"),
                                 (connection(key: secret, transport: "udp"), "transport \"udp\""),
                                 (connection(key: secret).replacingOccurrences(of: "\"hb_port\": 5005,", with: ""), "missing \"hb_port\""),
                                 ("{\"key\": \"\(secret)\",", "not valid JSON")] {
            let path = try write(json)
            XCTAssertThrowsError(try ConnectionInfo.load(path: path)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix(path + ": "), text)
                XCTAssertTrue(text.contains(expected), text)
                XCTAssertFalse(text.contains(secret), text)
            }
        }
    }

    func testKernelSpecStartsRecWithTheConnectionFile() throws {
        let spec = KernelSpec.json(executable: "/opt/rec/bin/rec", workspace: nil)
        XCTAssertEqual(spec["argv"] as? [String], ["/opt/rec/bin/rec", "kernel", "-f", "{connection_file}"])
        XCTAssertEqual(spec["display_name"] as? String, "Rec")
        XCTAssertEqual(spec["language"] as? String, "rec")
        XCTAssertEqual(spec["interrupt_mode"] as? String, "signal")
        let withWorkspace = KernelSpec.json(executable: "/r", workspace: "/data/w.recdb")
        XCTAssertEqual(withWorkspace["argv"] as? [String], ["/r", "kernel", "-f", "{connection_file}", "--workspace", "/data/w.recdb"])

        XCTAssertEqual(KernelSpec.dataDirectory(.user, environment: ["HOME": "/home/a"]), "/home/a/.local/share/jupyter")
        XCTAssertEqual(KernelSpec.dataDirectory(.user, environment: ["HOME": "/home/a", "XDG_DATA_HOME": "/x"]), "/x/jupyter")
        XCTAssertEqual(KernelSpec.dataDirectory(.user, environment: ["JUPYTER_DATA_DIR": "/j", "XDG_DATA_HOME": "/x"]), "/j")
        XCTAssertEqual(KernelSpec.dataDirectory(.prefix("/venv/")), "/venv/share/jupyter")

        let prefix = NSTemporaryDirectory() + "rec-prefix-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: prefix) }
        let dir = try KernelSpec.install(.prefix(prefix), executable: "/r", workspace: nil)
        XCTAssertEqual(dir, prefix + "/share/jupyter/kernels/rec")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/kernel.json"))) as? [String: Any]
        XCTAssertEqual(written?["argv"] as? [String], ["/r", "kernel", "-f", "{connection_file}"])
    }

    func testHistoryTailRangeAndSearch() {
        var h = History()
        for (i, code) in ["let a = 1", "a + 1", "print(a)", "a + 1"].enumerated() { h.record(line: i + 1, input: code) }
        h.setOutput(line: 2, "2")
        func lines(_ r: [Any]) -> [Int] { r.map { ($0 as! [Any])[1] as! Int } }
        XCTAssertEqual(lines(h.reply(to: ["hist_access_type": "tail", "n": 2])), [3, 4])
        XCTAssertEqual(lines(h.reply(to: ["hist_access_type": "range", "session": 1, "start": 2, "stop": 4])), [2, 3])
        XCTAssertEqual(lines(h.reply(to: ["hist_access_type": "range", "session": -1, "start": 1])), [])
        XCTAssertEqual(lines(h.reply(to: ["hist_access_type": "search", "pattern": "a +*"])), [2, 4])
        XCTAssertEqual(lines(h.reply(to: ["hist_access_type": "search", "pattern": "a +*", "unique": true])), [4])
        XCTAssertEqual(lines(h.reply(to: ["hist_access_type": "search", "pattern": "*(?)", "n": 5])), [3])
        let withOutput = h.reply(to: ["hist_access_type": "range", "session": 0, "start": 2, "stop": 3, "output": true])
        XCTAssertEqual(((withOutput[0] as! [Any])[2] as! [Any]).first as? String, "a + 1")
        XCTAssertEqual(((withOutput[0] as! [Any])[2] as! [Any]).last as? String, "2")
    }

    func testCompletenessSeparatesUnclosedFromInvalid() {
        XCTAssertEqual(Session.completeness("let x = [1, 2]"), .complete)
        XCTAssertEqual(Session.completeness(""), .complete)
        XCTAssertEqual(Session.completeness("let x = [1,\n2"), .incomplete)
        XCTAssertEqual(Session.completeness("print(\"abc"), .incomplete)
        XCTAssertEqual(Session.completeness("fn f(x) {\n  x"), .incomplete)
        XCTAssertEqual(Session.completeness("let = 3"), .invalid)
        XCTAssertEqual(Session.completeness("1 + )"), .invalid)
    }

    func testNameUnderTheCursorOrOfTheCallBeingTyped() {
        func name(_ code: String, _ pos: Int) -> String { Kernel.name(at: pos, in: Array(code.unicodeScalars)) }
        XCTAssertEqual(name("sum(xs)", 2), "sum")
        XCTAssertEqual(name("sum(", 4), "sum")        // just inside the parenthesis
        XCTAssertEqual(name("sum( )", 5), "sum")
        XCTAssertEqual(name("sum(xs)", 5), "xs")
        XCTAssertEqual(name("let 名前 = 1", 5), "名前")
        XCTAssertEqual(name("1 + 2", 2), "")
    }

    /// A PUB/SUB pair in memory: what the kernel publishes for a run's events.
    func testOutputEventsBecomeIOPubMessagesUnderTheRequest() throws {
        let ctx = try ZMQContext()
        let pub = try ctx.socket(ZMQ_PUB), sub = try ctx.socket(ZMQ_SUB)
        defer { pub.close(); sub.close(); ctx.terminate() }
        try pub.bind("inproc://iopub-test")
        try sub.connect("inproc://iopub-test")
        XCTAssertEqual(zmq_setsockopt(sub.handle, ZMQ_SUBSCRIBE, "", 0), 0)
        usleep(50_000)   // the subscription reaches the publisher asynchronously
        let codec = WireCodec(signer: MessageSigner(key: "k"))
        let sink = KernelSink(iopub: IOPub(socket: pub, codec: codec, session: "sess"))
        let request = Message(header: Message.header(type: "execute_request", session: "client"), content: [:])
        sink.begin(request, executionCount: 7)
        sink.emit(.stream(.stdout, "a"))
        sink.emit(.stream(.stdout, "b\n"))
        sink.emit(.progress(ProgressUpdate(id: "fit-1", label: "mf", step: 1, total: 4, detail: "loss 0.5")))
        sink.emit(.progress(ProgressUpdate(id: "fit-1", label: "mf", step: 4, total: 4, state: .finished)))
        sink.emit(.warning("careful", nil))
        sink.emit(.result(DisplayData(["text/plain": "3", "text/html": "<b>3</b>"])))
        sink.end()

        var got: [Message] = []
        let reader = WireCodec(signer: MessageSigner(key: "k"))
        while let frames = try sub.receive(timeout: 500) {
            let m = try reader.decode(frames)
            XCTAssertEqual(m.parentHeader["msg_id"] as? String, request.id)
            XCTAssertEqual(String(decoding: frames[0], as: UTF8.self), "kernel.sess.\(m.type)")
            got.append(m)
            if m.type == "execute_result" { break }
        }
        XCTAssertEqual(got.map(\.type), ["stream", "display_data", "update_display_data", "stream", "execute_result"])
        XCTAssertEqual(got[0].content["text"] as? String, "ab\n")   // batched
        XCTAssertEqual((got[1].content["transient"] as? [String: Any])?["display_id"] as? String, "fit-1")
        XCTAssertEqual((got[2].content["transient"] as? [String: Any])?["display_id"] as? String, "fit-1")
        XCTAssertEqual((got[1].content["data"] as? [String: String])?["text/plain"], "mf [======                  ] 1/4  loss 0.5")
        XCTAssertEqual(got[3].content["name"] as? String, "stderr")
        XCTAssertEqual(got[3].content["text"] as? String, "warning: careful\n")
        XCTAssertEqual(got[4].content["execution_count"] as? Int, 7)
        XCTAssertEqual((got[4].content["data"] as? [String: String])?["text/html"], "<b>3</b>")
        XCTAssertEqual(sink.resultText, "3")
    }

    func testErrorContentCarriesKindMessagePositionCaretAndTrace() throws {
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        guard case .failure(let e) = session.evaluate("fn f(x) {\n  x / 0\n}\nf(1)", name: "<cell 2>") else { return XCTFail("no error") }
        let c = KernelSink.errorContent(e)
        XCTAssertEqual(c["ename"] as? String, "value error")
        XCTAssertEqual(c["evalue"] as? String, "division by zero")
        let plain = (c["traceback"] as? [String] ?? []).map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
        XCTAssertEqual(plain, ["<cell 2>:2:5: error: division by zero", "      x / 0", "        ^",
                               "stack trace (most recent call first):", "  in f at <cell 2>:2:5", "  in <cell> at <cell 2>:4:2"])
    }
}
