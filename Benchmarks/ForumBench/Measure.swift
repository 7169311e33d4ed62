import Foundation

/// Wall-clock milliseconds of `runs` runs of `work` (after `setUp` for each run): the median,
/// and the fastest, which is what the code costs on this machine with the noise taken out.
func measure<State>(runs: Int, setUp: () async throws -> State, _ work: (State) async throws -> Void) async rethrows -> (median: Double, fastest: Double) {
    var times: [Double] = []
    for _ in 0..<runs {
        let state = try await setUp()
        let start = ContinuousClock.now
        try await work(state)
        times.append((ContinuousClock.now - start) / .milliseconds(1))
    }
    let sorted = times.sorted()
    return (sorted[sorted.count / 2], sorted[0])
}

func format(_ time: (median: Double, fastest: Double)) -> String {
    String(format: "%8.1f ms (fastest %6.1f ms)", time.median, time.fastest)
}
