import CRecSupport

// Fused nodes of the numeric tier for the shapes recursion is made of: the base case
// `if n < 2 { return n }; …` as one node (the comparison, the branch and the chosen operand read
// in place), and a call whose argument is `n - 1` computed in the call node itself. Each closure
// call saved is a few nanoseconds on every call of a recursive function.

/// How a tier conditional tests: any Bool node, or an Int local against an Int constant.
enum NumericCondition {
    case code(WordCode)
    case compare(BinaryOperator, word: Int, constant: Int)
}

protocol WordCondition {
    func test(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Bool
}
struct CodeCondition: WordCondition {
    let run: WordCode
    @inline(__always) func test(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Bool { try run(fp) != 0 }
}
struct CompareCondition<O: WordOperator>: WordCondition {
    let w: Int, c: Int
    @inline(__always) func test(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Bool { try O.apply(fp[w], c) != 0 }
}

/// An Int local plus a constant, with the overflow check of `+`.
struct OffsetWord: WordSource {
    let w: Int, c: Int
    @inline(__always) func get(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int {
        let (r, o) = fp[w].addingReportingOverflow(c); if o { throw Bail() }; return r
    }
}

enum WordFusion {
    /// `cond ? then : otherwise` as one node.
    static func select(_ cond: NumericCondition, _ t: WordOperand, _ e: WordOperand) -> WordCode {
        switch cond {
        case .code(let c): return select(CodeCondition(run: c), t, e)
        case .compare(let op, let w, let c):
            switch op {
            case .less: return select(CompareCondition<IntLess>(w: w, c: c), t, e)
            case .lessOrEqual: return select(CompareCondition<IntLessOrEqual>(w: w, c: c), t, e)
            case .greater: return select(CompareCondition<IntGreater>(w: w, c: c), t, e)
            case .greaterOrEqual: return select(CompareCondition<IntGreaterOrEqual>(w: w, c: c), t, e)
            case .equal: return select(CompareCondition<WordEqual>(w: w, c: c), t, e)
            default: return select(CompareCondition<WordNotEqual>(w: w, c: c), t, e)
            }
        }
    }

    private static func select<C: WordCondition>(_ c: C, _ t: WordOperand, _ e: WordOperand) -> WordCode {
        switch t {
        case .word(let a): return select(c, FrameWord(w: a), e)
        case .constant(let a): return select(c, ConstantWord(c: a), e)
        case .code, .floatElement, .intElement: return select(c, CodeWord(run: t.code), e)
        }
    }

    private static func select<C: WordCondition, T: WordSource>(_ c: C, _ t: T, _ e: WordOperand) -> WordCode {
        switch e {
        case .word(let b): return node(c, t, FrameWord(w: b))
        case .constant(let b): return node(c, t, ConstantWord(c: b))
        case .code, .floatElement, .intElement: return node(c, t, CodeWord(run: e.code))
        }
    }

    private static func node<C: WordCondition, T: WordSource, E: WordSource>(_ c: C, _ t: T, _ e: E) -> WordCode {
        { fp throws(Bail) in try c.test(fp) ? try t.get(fp) : try e.get(fp) }
    }

    /// A call with one argument, read from `a` in the caller's frame.
    static func call<A: WordSource>(_ a: A, _ site: NumericCallSite) -> WordCode {
        { fp throws(Bail) in
            let x = try a.get(fp)
            let n = try site.enter(fp)
            n[2] = x
            return try NumericEntry.call(site.callee, n)
        }
    }
}

/// What a compiled call needs besides its arguments: where the callee's frame goes, and the
/// checks made on entering it.
struct NumericCallSite {
    let callerWords: Int
    let calleeWords: Int
    /// The runtime's limits (`NumericTierRuntime.limits`): a plain pointer, read without a retain.
    let limits: UnsafeMutablePointer<Int>
    let callee: UnsafeMutablePointer<Unmanaged<NumericEntry.BodyBox>?>

    /// The callee's frame, right after the caller's, with its depth set; bails when the depth
    /// limit, the tier's stack or the native stack would be exceeded, or Ctrl-C was pressed.
    @inline(__always)
    func enter(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> UnsafeMutablePointer<Int> {
        let n = fp + callerWords
        let d = fp[1] &+ 1
        if d > limits[0] || Int(bitPattern: n + calleeWords) > limits[1] || Int(bitPattern: rec_stack_address()) < limits[2]
            || rec_interrupt_pending() != 0 { throw Bail() }
        n[1] = d
        return n
    }
}
