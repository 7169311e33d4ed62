import ForumFuzzing
import Foundation
import Testing

/// Every seed of `make fuzz` and every input it once failed on, replayed through its target's
/// code: a finding, once kept in `Corpus`, cannot come back unseen (a broken property stops the
/// test run).
@Suite struct FuzzCorpusTests {
    @Test(arguments: FuzzTarget.allCases) func theCorpusReadsWithoutAFinding(_ target: FuzzTarget) throws {
        let corpus = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil)).appendingPathComponent(target.rawValue)
        let inputs = try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil).map { try Data(contentsOf: $0) }
            + target.generatedSeeds
        #expect(inputs.count >= 3, "a target without seeds")
        for input in inputs { target.run(input) }
    }
}
