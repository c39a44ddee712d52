import Foundation

/// The connection file a Jupyter client writes before starting the kernel: where each socket
/// binds and the key messages are signed with.
public struct ConnectionInfo: Decodable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port", signatureScheme = "signature_scheme"
    }

    /// Reads and checks a connection file. Errors name the file and the problem, never the key.
    public static func load(path: String) throws -> ConnectionInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError("cannot read the connection file \(path)")
        }
        let info: ConnectionInfo
        do { info = try JSONDecoder().decode(ConnectionInfo.self, from: data) }
        catch { throw KernelError("\(path): not a Jupyter connection file (\(Self.describe(error)))") }
        try info.validate(path)
        return info
    }

    func validate(_ path: String) throws {
        guard signatureScheme == "hmac-sha256" else {
            throw KernelError("\(path): signature_scheme \"\(signatureScheme)\" is not supported; Rec signs with hmac-sha256")
        }
        // Jupyter turns signing off for an empty key; Rec refuses instead, so that no message is
        // ever run unauthenticated.
        guard !key.isEmpty else {
            throw KernelError("\(path): the key is empty, so messages could not be authenticated; Rec's kernel requires a key")
        }
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelError("\(path): transport \"\(transport)\" is not supported (tcp or ipc)")
        }
        for (name, port) in [("shell_port", shellPort), ("iopub_port", iopubPort), ("stdin_port", stdinPort),
                             ("control_port", controlPort), ("hb_port", hbPort)] where !(1...65535).contains(port) {
            throw KernelError("\(path): \(name) \(port) is not a port number (1–65535)")
        }
    }

    /// The ZeroMQ endpoint for one port: `tcp://127.0.0.1:5555`, or for ipc the path
    /// `<ip>-<port>` as jupyter_client lays it out.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "\"\(c.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}

/// A kernel start-up failure, said in one line.
public struct KernelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
