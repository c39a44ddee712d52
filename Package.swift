// swift-tools-version:5.10
// Rec: a small language, REPL and notebook environment for recommender systems.
import PackageDescription

// The interpreter relies on exclusive access being guaranteed by construction (one evaluator per
// thread); the dynamic checks cost ~15% on call-heavy scripts, so they are disabled in the hot
// targets only.
// LLVM's function merging folds the interpreter's specialised closures that compile to the same
// code into one body reached through an extra call; on `fib` that cost more than the code it saves.
let fastSwift: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-Xfrontend", "-disable-llvm-merge-functions-pass"])]

let package = Package(
    name: "Rec",
    products: [
        .executable(name: "rec", targets: ["rec"]),
        .library(name: "RecCore", targets: ["RecCore"]),
        .library(name: "RecLang", targets: ["RecLang"]),
        .library(name: "RecPlot", targets: ["RecPlot"]),
        // The fuzz targets' logic, linked by the libFuzzer package in Fuzz/ (see scripts/fuzz).
        .library(name: "RecFuzz", targets: ["RecFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // CommonMark-style Markdown to HTML for the markdown cells of rendered notebooks.
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        // HMAC-SHA256: signing of Jupyter messages (the kernel) and keyed pseudonyms (RecCore).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C helpers: SIGINT flag and native stack probing for the interpreter.
        .target(name: "CRecSupport"),
        // libedit's readline-compatible API behind a small shim (el_set is variadic).
        .target(name: "CEditLine", linkerSettings: [.linkedLibrary("edit")]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // ZeroMQ, the transport of the Jupyter messaging protocol.
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        // OpenBLAS's CBLAS and LAPACKE: EASE's dense inverse, the dense layers' and batch scoring's
        // matrix products (Sources/RecCore/Kernels/BLAS.swift, LAPACK.swift).
        .systemLibrary(name: "CLapack", pkgConfig: "lapacke", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),

        // The recommender core: plain Swift, usable without the language.
        // Crypto: HMAC-SHA256 for pseudonymized IDs (Privacy/Pseudonymization.swift).
        .target(name: "RecCore", dependencies: ["CZlib", "CLapack", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: fastSwift),
        // Charts drawn as SVG and as Unicode text, by Rec itself.
        .target(name: "RecPlot", dependencies: ["RecCore"]),
        // The SQLite workspace.
        .target(name: "RecStore", dependencies: ["RecCore", "CSQLite"]),

        .target(name: "RecLang", dependencies: ["CRecSupport", "RecCore", "RecPlot"], swiftSettings: fastSwift),
        .target(name: "RecREPL", dependencies: ["RecLang", "CEditLine", "CRecSupport"]),
        // The Jupyter kernel: the messaging protocol over ZeroMQ, running a Session.
        .target(name: "RecKernel", dependencies: [
            "RecLang", "RecCore", "RecREPL", "CRecSupport", "CZeroMQ",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // What each fuzz target does with one input; the regression tests replay crashes through it.
        .target(name: "RecFuzz", dependencies: ["RecLang", "RecCore", "RecStore", "CRecSupport"]),
        // Percent-format notebooks: cells, running them one by one, HTML and .ipynb renderings.
        .target(name: "RecNotebook", dependencies: ["RecLang", "RecCore", .product(name: "Ink", package: "Ink")]),
        .executableTarget(name: "rec", dependencies: [
            "RecLang", "RecREPL", "RecStore", "RecNotebook", "RecKernel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Loading speed against pandas (Benchmarks/load_vs_pandas.sh).
        .executableTarget(name: "LoadBench", dependencies: ["RecCore"], path: "Benchmarks/LoadBench"),

        .testTarget(name: "RecCoreTests", dependencies: ["RecCore"]),
        .testTarget(name: "RecPlotTests", dependencies: ["RecPlot"], exclude: ["Golden"]),
        .testTarget(name: "RecStoreTests", dependencies: ["RecStore", "RecCore"]),
        // Corpus/ holds .rec scripts with expected output and DocFixtures/ the files the examples
        // in docs/ read; both are found through #filePath, so a fresh clone needs no resources.
        .testTarget(name: "RecLangTests", dependencies: ["RecLang", "RecREPL", "RecStore", "RecPlot"], exclude: ["Golden", "Corpus", "DocFixtures"]),
        .testTarget(name: "RecREPLTests", dependencies: ["RecREPL", "RecLang", "RecStore"]),
        .testTarget(name: "RecFuzzTests", dependencies: ["RecFuzz"]),
        // Golden/ holds the expected HTML and .ipynb renderings, found through #filePath.
        .testTarget(name: "RecNotebookTests", dependencies: ["RecNotebook", "RecLang"], exclude: ["Golden"]),
        .testTarget(name: "RecKernelTests", dependencies: ["RecKernel", "RecLang"]),
    ]
)
