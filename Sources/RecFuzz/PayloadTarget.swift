import RecLang

/// The `payload` target: bytes as a saved workspace value, decoded exactly as `restore` reads
/// them (option byte: which kind — table, dataset, split, plain value or model), and, when they
/// decode, used as a program would use a restored value: shown, described, and for a model asked
/// for recommendations. Corrupt payloads must fail with an error, never crash later.
enum PayloadTarget {
    static let use = SourceFile(name: "<payload>", text: """
        show(v)
        let t = type(v)
        if t == "Dataset" { describe(v); show(table(v)) }
        if t == "Split" { describe(v.train); describe(v.test) }
        if t == "Model" {
          show(recommend(v, 1, k: 3))
          show(recommend(v, "1", k: 3))
        }
        """)

    static func run(_ data: UnsafeRawBufferPointer) {
        let (o, bytes) = LoaderTargets.split(data)
        let kinds = WorkspaceBuiltins.payloadKinds
        let kind = kinds[Int(o) % kinds.count]
        let payload = Array(bytes)
        // Builtins only (no prelude): the prelude is what makes an interpreter slow to start.
        FuzzHost.shared.withInterpreter(.none, prelude: false) { interp in
            interp.define("v", try interp.decodePayload(kind: kind, bytes: payload))
            try interp.run(use)
        }
    }
}
