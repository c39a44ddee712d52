import Foundation

/// The kernelspec that tells Jupyter how to start Rec: `<dir>/kernels/rec/kernel.json`.
public enum KernelSpec {
    public static let name = "rec"

    public enum Location: Equatable {
        /// Jupyter's per-user data directory.
        case user
        /// `<prefix>/share/jupyter`, as `jupyter kernelspec install --prefix` (a virtual
        /// environment's prefix, say).
        case prefix(String)
        /// The system-wide directory, Jupyter's default for installs.
        case system
    }

    /// The `jupyter` data directory for a location, following jupyter_core on Linux:
    /// JUPYTER_DATA_DIR, then XDG_DATA_HOME/jupyter, then ~/.local/share/jupyter for the user.
    public static func dataDirectory(_ location: Location, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        switch location {
        case .user:
            if let d = environment["JUPYTER_DATA_DIR"], !d.isEmpty { return d }
            if let x = environment["XDG_DATA_HOME"], !x.isEmpty { return x + "/jupyter" }
            return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/jupyter"
        case .prefix(let p):
            return absolute(p) + "/share/jupyter"
        case .system:
            return "/usr/local/share/jupyter"
        }
    }

    /// kernel.json's content: Jupyter starts `<rec> kernel -f <connection file>` and interrupts
    /// it with SIGINT. A workspace given here is opened for every notebook using this kernel.
    public static func json(executable: String, workspace: String?) -> [String: Any] {
        var argv = [executable, "kernel", "-f", "{connection_file}"]
        if let workspace { argv += ["--workspace", absolute(workspace)] }
        return ["argv": argv, "display_name": "Rec", "language": "rec", "interrupt_mode": "signal",
                "metadata": ["debugger": false]]
    }

    /// Writes the kernelspec and returns its directory.
    @discardableResult
    public static func install(_ location: Location, executable: String, workspace: String?) throws -> String {
        let dir = dataDirectory(location) + "/kernels/" + name
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: json(executable: executable, workspace: workspace),
                                                  options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: dir + "/kernel.json"))
        } catch {
            throw KernelError("cannot write the kernelspec in \(dir): \(error.localizedDescription)")
        }
        return dir
    }

    /// The running executable's absolute path, however it was started.
    public static func currentExecutable() -> String {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return exe }
        return absolute(CommandLine.arguments[0])
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}
