import CZeroMQ
import Foundation

/// The IOPub socket, shared by the shell thread (outputs, status) and the control thread
/// (status, shutdown): every send goes through one lock, which is also the memory barrier
/// libzmq asks for when a socket changes threads.
final class IOPub {
    private let socket: ZMQSocket
    private let codec: WireCodec
    let session: String
    private let lock = NSLock()

    init(socket: ZMQSocket, codec: WireCodec, session: String) {
        self.socket = socket; self.codec = codec; self.session = session
    }

    func publish(_ type: String, _ content: JSONObject, parent: Message?) {
        var m = Message(header: Message.header(type: type, session: session),
                        parentHeader: parent?.header ?? [:], content: content)
        // Subscribers filter by topic prefix; Jupyter's clients subscribe to everything.
        m.identities = [Array("kernel.\(session).\(type)".utf8)]
        let frames = codec.encode(m)
        lock.lock(); defer { lock.unlock() }
        do { try socket.send(frames) } catch { KernelLog.write("iopub: \(error)") }
    }

    func close() {
        lock.lock(); defer { lock.unlock() }
        socket.close()
    }

    func status(_ state: String, parent: Message?) {
        publish("status", ["execution_state": state], parent: parent)
    }
}

/// Diagnostics of the kernel itself, on stderr (Jupyter shows it in the server's log). Never
/// given the key, a signature or message content.
enum KernelLog {
    static let lock = NSLock()
    static func write(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data(("rec kernel: " + line + "\n").utf8))
    }
}
