// swift-tools-version:5.10
// The libFuzzer driver for Rec's fuzz targets (Sources/RecFuzz in the main package). A package
// of its own so that the main build never needs libFuzzer; scripts/fuzz builds it with
// `-sanitize=fuzzer` into .build-fuzz/.
import PackageDescription

let package = Package(
    name: "RecFuzzDriver",
    dependencies: [.package(name: "Rec", path: "..")],
    targets: [
        // No main: libFuzzer's is linked in by -sanitize=fuzzer and calls LLVMFuzzerTestOneInput.
        .executableTarget(name: "rec-fuzz", dependencies: [.product(name: "RecFuzz", package: "Rec")],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
