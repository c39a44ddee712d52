// LoadBench: times RecCore's delimited loader on one file and prints a machine-readable line.
//
//   LoadBench PATH [--sep TAB|,|::] [--columns user,item,rating,timestamp] [--header]
//                  [--threads N] [--double] [--ops]
//
// --ops also times the common preparation steps on the loaded data (matrix, CSC, splits, k-core,
// describe), one line each.
// Output (one line): `rec_load rows=… users=… items=… seconds=… peak_rss_kb=…`. Peak RSS comes
// from getrusage(RUSAGE_SELF), i.e. the whole process including the mapped file pages touched.
import Foundation
import RecCore

var args = Array(CommandLine.arguments.dropFirst())
guard let path = args.first, !path.hasPrefix("--") else {
    FileHandle.standardError.write("usage: LoadBench PATH [--sep SEP] [--columns a,b,c] [--header] [--threads N] [--double]\n".data(using: .utf8)!)
    exit(2)
}
args.removeFirst()
var options = DelimitedOptions(separator: "\t", header: .absent, columns: ["user", "item", "rating", "timestamp"])
var ops = false
var i = 0
while i < args.count {
    switch args[i] {
    case "--sep": i += 1; options.separator = args[i] == "TAB" ? "\t" : args[i]
    case "--columns": i += 1; options.columns = args[i].split(separator: ",").map(String.init)
    case "--header": options.header = .present; options.columns = nil
    case "--threads": i += 1; options.threads = Int(args[i])
    case "--double": options.valuePrecision = .double
    case "--ops": ops = true
    default: FileHandle.standardError.write("unknown option \(args[i])\n".data(using: .utf8)!); exit(2)
    }
    i += 1
}

let start = DispatchTime.now().uptimeNanoseconds
do {
    let result = try DelimitedReader.load(path, options: options)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var usage = rusage()
    getrusage(0 /* RUSAGE_SELF */, &usage)
    let d = result.interactions
    print("rec_load rows=\(d.count) users=\(d.userCount) items=\(d.itemCount) seconds=\(String(format: "%.3f", seconds)) peak_rss_kb=\(usage.ru_maxrss)")
    if result.report.skippedCount > 0 { print(result.report) }
    if ops {
        func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = try body()
            print(String(format: "  %-28@ %.3f s", name as NSString, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
            return r
        }
        _ = time("matrix (CSR, last)") { d.matrix(duplicates: .last) }
        _ = time("csc") { d.csc(duplicates: .last) }
        _ = try time("randomSplit 0.2") { try d.randomSplit(testFraction: 0.2, seed: 1) }
        if d.timestamps != nil {
            _ = try time("temporalSplit 0.2") { try d.temporalSplit(testFraction: 0.2) }
            _ = try time("perUserTemporal lastN 1") { try d.perUserTemporalSplit(lastN: 1) }
        }
        _ = time("leaveOneOut") { d.leaveOneOut(seed: 1) }
        _ = time("deduplicated") { d.deduplicated() }
        _ = time("kCore 5") { d.kCore(5) }
        _ = try time("describe") { try d.describe() }
    }
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(1)
}
