// How many threads the kernels split work over, read once.

import Foundation

/// `ProcessInfo.activeProcessorCount` re-reads the cgroup files on every access (a measurable share
/// of a neural fit, which asks once per matrix product); the core count does not change while the
/// process runs, so it is read once here.
enum Parallelism {
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
