import Foundation
import RecKernel
import RecStore

/// `rec kernel …`: installing the Jupyter kernelspec and running the kernel.
enum KernelCommand {
    static let usage = """
    usage: rec kernel install [--user | --prefix DIR] [--workspace FILE]
           rec kernel -f CONNECTION_FILE [--workspace FILE]
      install       write the kernelspec "rec" (system-wide by default, --user for your own
                    Jupyter data directory, --prefix DIR for DIR/share/jupyter); --workspace
                    makes every notebook on this kernel open FILE
      -f FILE       run the kernel on the sockets of a Jupyter connection file (Jupyter does this)
    REC_WORKSPACE in the kernel's environment also names a workspace to open.
    """

    /// `args` are the words after `kernel`; `workspace` is rec's own --workspace, if given.
    static func run(_ args: [String], workspace: String?) -> Int32 {
        var rest = args[...]
        var connectionFile: String?
        var location: KernelSpec.Location?
        var install = false
        var workspace = workspace
        while let word = rest.popFirst() {
            switch word {
            case "install" where !install && connectionFile == nil: install = true
            case "--user" where install && location == nil: location = .user
            case "--prefix" where install && location == nil:
                guard let dir = rest.popFirst() else { return Runner.usage("--prefix needs a directory\n" + usage) }
                location = .prefix(dir)
            case "--sys-prefix" where install && location == nil:
                location = .prefix(ProcessInfo.processInfo.environment["VIRTUAL_ENV"] ?? "/usr/local")
            case "--workspace":
                guard let w = rest.popFirst() else { return Runner.usage("--workspace needs a file\n" + usage) }
                workspace = w
            case "-f", "--connection-file":
                guard !install, let f = rest.popFirst() else { return Runner.usage(usage) }
                connectionFile = f
            case "-h", "--help":
                print(usage)
                return 0
            default:
                return Runner.usage("unexpected '\(word)'\n" + usage)
            }
        }
        if install {
            do {
                let dir = try KernelSpec.install(location ?? .system, executable: KernelSpec.currentExecutable(), workspace: workspace)
                print("installed the Rec kernelspec in \(dir)")
                return 0
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                return 1
            }
        }
        guard let connectionFile else { return Runner.usage("rec kernel needs -f CONNECTION_FILE or install\n" + usage) }
        let env = ProcessInfo.processInfo.environment["REC_WORKSPACE"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let info = try ConnectionInfo.load(path: connectionFile)
            return Kernel(connection: info, options: .init(version: Rec.version, workspace: workspace ?? env, storage: Workspace.storage)).run()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
