/// The fuzz targets: one function per kind of untrusted input, called by the libFuzzer shims
/// (Fuzz/Sources/*, built by scripts/fuzz) and by the regression tests, which replay every
/// input that ever crashed (Tests/Fuzz/crashes/<target>/) through the same function.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case interpreter, csv, jsonl, movielens, payload

    /// Runs one input. Returns normally for every input the code under test handles (whether it
    /// accepted it or reported an error); a defect shows up as a crash.
    public func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .interpreter: InterpreterTarget.run(data)
        case .csv: LoaderTargets.csv(data)
        case .jsonl: LoaderTargets.jsonl(data)
        case .movielens: LoaderTargets.movielens(data)
        case .payload: PayloadTarget.run(data)
        }
    }

    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { run($0) }
    }
}
