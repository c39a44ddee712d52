// swift-tools-version:5.10
// Rec: a small language, REPL and notebook environment for recommender systems.
import PackageDescription

// The interpreter relies on exclusive access being guaranteed by construction (one evaluator per
// thread); the dynamic checks cost ~15% on call-heavy scripts, so they are disabled in the hot
// targets only.
let fastSwift: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "Rec",
    products: [
        .executable(name: "rec", targets: ["rec"]),
        .library(name: "RecCore", targets: ["RecCore"]),
        .library(name: "RecLang", targets: ["RecLang"]),
        // The fuzz targets' logic, linked by the libFuzzer package in Fuzz/ (see scripts/fuzz).
        .library(name: "RecFuzz", targets: ["RecFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // HMAC-SHA256 signing of Jupyter messages (the kernel).
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

        // The recommender core: plain Swift, usable without the language.
        .target(name: "RecCore", dependencies: ["CZlib"], swiftSettings: fastSwift),
        // The SQLite workspace.
        .target(name: "RecStore", dependencies: ["RecCore", "CSQLite"]),

        .target(name: "RecLang", dependencies: ["CRecSupport", "RecCore", "RecStore"], swiftSettings: fastSwift),
        .target(name: "RecREPL", dependencies: ["RecLang", "CEditLine", "CRecSupport"]),
        // The Jupyter kernel: the messaging protocol over ZeroMQ, running a Session.
        .target(name: "RecKernel", dependencies: [
            "RecLang", "RecREPL", "CRecSupport", "CZeroMQ",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // What each fuzz target does with one input; the regression tests replay crashes through it.
        .target(name: "RecFuzz", dependencies: ["RecLang", "RecCore", "CRecSupport"]),
        .executableTarget(name: "rec", dependencies: [
            "RecLang", "RecREPL", "RecKernel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Loading speed against pandas (Benchmarks/load_vs_pandas.sh).
        .executableTarget(name: "LoadBench", dependencies: ["RecCore"], path: "Benchmarks/LoadBench"),

        .testTarget(name: "RecCoreTests", dependencies: ["RecCore"]),
        .testTarget(name: "RecStoreTests", dependencies: ["RecStore", "RecCore"]),
        // Corpus/ holds .rec scripts with expected output and DocFixtures/ the files the examples
        // in docs/ read; both are found through #filePath, so a fresh clone needs no resources.
        .testTarget(name: "RecLangTests", dependencies: ["RecLang", "RecREPL"], exclude: ["Golden", "Corpus", "DocFixtures"]),
        .testTarget(name: "RecREPLTests", dependencies: ["RecREPL", "RecLang"]),
        .testTarget(name: "RecFuzzTests", dependencies: ["RecFuzz"]),
        .testTarget(name: "RecKernelTests", dependencies: ["RecKernel", "RecLang"]),
    ]
)
