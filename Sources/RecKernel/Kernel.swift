import CRecSupport
import CZeroMQ
import Foundation
import RecCore
import RecLang

/// A native Jupyter kernel for Rec (messaging protocol 5.3 over ZeroMQ).
///
/// Threads: the heartbeat echoes on its own thread; the control channel (interrupt, shutdown)
/// has its own thread, so both answer while a cell runs; the shell channel is served by the
/// execution thread, which has a 1 GiB stack like every Rec program run by `rec`, and owns
/// the `Session`. Requests on the shell channel are handled one at a time, in order, as the
/// protocol expects.
public final class Kernel {
    public struct Options {
        /// The `rec` version, for kernel_info.
        public var version: String
        /// A workspace to open for the whole kernel (from the kernelspec's argv or REC_WORKSPACE).
        public var workspace: String?
        /// How notebooks open workspaces and database files (the command lends SQLite's).
        public var storage: Storage?
        public init(version: String, workspace: String? = nil, storage: Storage? = nil) {
            self.version = version; self.workspace = workspace; self.storage = storage
        }
    }

    let info: ConnectionInfo
    let options: Options
    let codec: WireCodec
    let sessionID = UUID().uuidString.lowercased()
    private let stateLock = NSLock()
    private var stopping = false
    private var restartRequested = false

    private var context: ZMQContext!
    var shell: ZMQSocket!
    private var control: ZMQSocket!
    private var stdinSocket: ZMQSocket!
    private var heartbeat: ZMQSocket!
    var iopub: IOPub!
    var sink: KernelSink!

    // Owned by the execution thread.
    var session: Session?
    var executionCount = 0
    var history = History()
    var startupWarning: String?
    /// The requests that were waiting when an execution failed with stop_on_error; served
    /// (executions aborted) once the failed request has gone idle.
    var queuedBehindFailure: [Message] = []

    public init(connection: ConnectionInfo, options: Options) {
        info = connection
        self.options = options
        codec = WireCodec(signer: MessageSigner(key: connection.key))
    }

    var isStopping: Bool { stateLock.lock(); defer { stateLock.unlock() }; return stopping }

    func stop() { stateLock.lock(); stopping = true; stateLock.unlock() }

    /// Binds every socket where the connection file says, serves until a shutdown request, and
    /// returns the process exit status.
    public func run() -> Int32 {
        do {
            context = try ZMQContext()
            shell = try context.socket(ZMQ_ROUTER)
            control = try context.socket(ZMQ_ROUTER)
            stdinSocket = try context.socket(ZMQ_ROUTER)
            heartbeat = try context.socket(ZMQ_REP)
            let pub = try context.socket(ZMQ_PUB)
            try shell.bind(info.endpoint(info.shellPort))
            try control.bind(info.endpoint(info.controlPort))
            try stdinSocket.bind(info.endpoint(info.stdinPort))
            try heartbeat.bind(info.endpoint(info.hbPort))
            try pub.bind(info.endpoint(info.iopubPort))
            iopub = IOPub(socket: pub, codec: codec, session: sessionID)
            sink = KernelSink(iopub: iopub)
        } catch {
            KernelLog.write("\(error)")
            closeSockets()
            return 1
        }
        // Ctrl-C and Jupyter's interrupt (SIGINT, interrupt_mode "signal") only raise the flag
        // the interpreter polls: the running cell stops, the kernel and its variables stay.
        rec_install_interrupt_handler()
        iopub.status("starting", parent: nil)

        let heartbeatDone = spawn(name: "rec-heartbeat") { [self] in heartbeatLoop() }
        let controlDone = spawn(name: "rec-control") { [self] in controlLoop() }
        var status: Int32 = 0
        let job = ShellJob { [self] in status = shellLoop() }
        let unmanaged = Unmanaged.passRetained(job)
        let rc = rec_run_with_stack(1 << 30, { ctx in
            Unmanaged<ShellJob>.fromOpaque(ctx!).takeUnretainedValue().body()
        }, unmanaged.toOpaque())
        unmanaged.release()
        if rc != 0 { status = shellLoop() }
        stop()
        heartbeatDone.wait()
        controlDone.wait()
        closeSockets()
        return status
    }

    private final class ShellJob { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }

    private func spawn(name: String, _ body: @escaping () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let t = Thread { body(); done.signal() }
        t.name = name
        t.start()
        return done
    }

    private func closeSockets() {
        for s in [shell, control, stdinSocket, heartbeat] { s?.close() }
        iopub?.close()
        context?.terminate()
    }

    // MARK: - Loops

    private func heartbeatLoop() {
        while !isStopping {
            do {
                if let frames = try heartbeat.receive(timeout: 100) { try heartbeat.send(frames) }
            } catch { KernelLog.write("heartbeat: \(error)"); return }
        }
    }

    private func controlLoop() {
        // When the process that started the kernel dies, the kernel is reparented and nobody
        // can reach it any more: it ends instead of lingering (as ipykernel's parent poller does).
        let parent = getppid()
        var lastParentCheck = Date()
        while !isStopping {
            if Date().timeIntervalSince(lastParentCheck) > 1 {
                lastParentCheck = Date()
                if getppid() != parent {
                    KernelLog.write("the process that started the kernel ended; stopping")
                    rec_interrupt_raise()
                    stop()
                    return
                }
            }
            do {
                if let frames = try control.receive(timeout: 20), let m = accept(frames, channel: "control") {
                    handleControl(m)
                }
            } catch { KernelLog.write("control: \(error)"); return }
            sink.flushIfStale()
        }
    }

    private func shellLoop() -> Int32 {
        do {
            let s = try Session(sink: sink, storage: options.storage)
            s.interpreter.define("args", .list([]))
            // Like the REPL: a fit stopped between epochs keeps what it learned.
            s.interpreter.fitInterruption = .keepModel
            if let w = options.workspace {
                do { try WorkspaceBuiltins.openWorkspace(w, in: s.interpreter) }
                catch { startupWarning = "cannot open workspace \(w): \(error)" ; KernelLog.write(startupWarning!) }
            }
            session = s
        } catch {
            KernelLog.write(error.render(color: false))
            stop()
            return 1
        }
        defer { session?.close() }
        while !isStopping {
            do {
                if let frames = try shell.receive(timeout: 50), let m = accept(frames, channel: "shell") {
                    handleShell(m)
                    serveQueuedBehindFailure()
                }
            } catch { KernelLog.write("shell: \(error)"); stop(); return 1 }
        }
        return 0
    }

    /// The message in `frames` if its signature holds; otherwise it is dropped, unrun and
    /// unanswered, with a line in the log that names neither the key nor the signature.
    func accept(_ frames: [[UInt8]], channel: String) -> Message? {
        do { return try codec.decode(frames) }
        catch { KernelLog.write("\(channel): dropped a message: \(error)"); return nil }
    }

    // MARK: - Replies

    func reply(_ request: Message, on socket: ZMQSocket, _ content: JSONObject) {
        let type = request.type.hasSuffix("_request") ? String(request.type.dropLast("_request".count)) + "_reply" : request.type + "_reply"
        let m = Message(identities: request.identities, header: Message.header(type: type, session: sessionID),
                        parentHeader: request.header, content: content)
        do { try socket.send(codec.encode(m)) } catch { KernelLog.write("reply \(type): \(error)") }
    }

    private func handleControl(_ m: Message) {
        iopub.status("busy", parent: m)
        defer { iopub.status("idle", parent: m) }
        switch m.type {
        case "interrupt_request":
            rec_interrupt_raise()
            reply(m, on: control, ["status": "ok"])
        case "shutdown_request":
            shutdown(m, on: control)
        case "kernel_info_request":
            reply(m, on: control, kernelInfo())
        default:
            KernelLog.write("control: ignored \(m.type)")
        }
    }

    private func shutdown(_ m: Message, on socket: ZMQSocket) {
        let restart = m.content["restart"] as? Bool ?? false
        let content: JSONObject = ["status": "ok", "restart": restart]
        reply(m, on: socket, content)
        iopub.publish("shutdown_reply", content, parent: m)
        // A running cell stops at its next poll; the execution thread then closes the session
        // (checkpointing an open workspace) and the process exits. Jupyter restarts a kernel by
        // starting a new process.
        rec_interrupt_raise()
        stop()
    }

    func handleShell(_ m: Message) {
        iopub.status("busy", parent: m)
        defer { iopub.status("idle", parent: m) }
        switch m.type {
        case "kernel_info_request": reply(m, on: shell, kernelInfo())
        case "execute_request": execute(m)
        case "complete_request": reply(m, on: shell, complete(m.content))
        case "inspect_request": reply(m, on: shell, inspect(m.content))
        case "is_complete_request": reply(m, on: shell, isComplete(m.content))
        case "history_request": reply(m, on: shell, ["status": "ok", "history": history.reply(to: m.content)])
        case "comm_info_request": reply(m, on: shell, ["status": "ok", "comms": [:] as JSONObject])
        case "shutdown_request": shutdown(m, on: shell)
        default: KernelLog.write("shell: ignored \(m.type)")
        }
    }

    func kernelInfo() -> JSONObject {
        ["status": "ok", "protocol_version": Message.protocolVersion, "implementation": "rec",
         "implementation_version": options.version,
         "language_info": ["name": "rec", "version": options.version, "mimetype": "text/x-rec",
                           "file_extension": ".rec"] as JSONObject,
         "banner": "Rec \(options.version): a small language for recommender systems. help() lists the functions.",
         "help_links": [] as [Any], "debugger": false]
    }
}
