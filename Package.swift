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
                .library(name: "RecLang", targets: ["RecLang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C helpers: SIGINT flag and native stack probing for the interpreter.
        .target(name: "CRecSupport"),
        // libedit's readline-compatible API behind a small shim (el_set is variadic).
        .target(name: "CEditLine", linkerSettings: [.linkedLibrary("edit")]),

        .target(name: "RecLang", dependencies: ["CRecSupport"], swiftSettings: fastSwift),
        .target(name: "RecREPL", dependencies: ["RecLang", "CEditLine", "CRecSupport"]),
        .executableTarget(name: "rec", dependencies: [
            "RecLang", "RecREPL",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "RecLangTests", dependencies: ["RecLang"]),
        .testTarget(name: "RecREPLTests", dependencies: ["RecREPL", "RecLang"]),
    ]
)
