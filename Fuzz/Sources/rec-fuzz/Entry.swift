import Foundation
import RecFuzz

// SwiftPM links an executable with `main` aliased to `<module>_main` (here rec_fuzz_main), so
// libFuzzer's own main is never pulled in; this one hands control to libFuzzer's driver
// instead, with the same flags. The target is chosen by REC_FUZZ_TARGET (interpreter, csv,
// jsonl, movielens, payload), so that one binary serves them all; scripts/fuzz sets it.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

nonisolated(unsafe) var target = FuzzTarget.interpreter

@_cdecl("rec_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = ProcessInfo.processInfo.environment["REC_FUZZ_TARGET"] ?? "interpreter"
    guard let t = FuzzTarget(rawValue: name) else {
        fputs("REC_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n", stderr)
        return 2
    }
    target = t
    setenv("REC_NO_PROGRESS", "1", 1)
    var count = argc
    var args = argv
    return LLVMFuzzerRunDriver(&count, &args) { data, size in
        target.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
