import XCTest
@testable import RecPlot

/// Tick values against Heckbert's procedure worked by hand.
final class NiceScaleTests: XCTestCase {
    func assertTicks(_ s: NiceScale, _ expected: [Double], labels: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(s.ticks.count, expected.count, file: file, line: line)
        for (a, b) in zip(s.ticks, expected) { XCTAssertEqual(a, b, accuracy: 1e-9, file: file, line: line) }
        XCTAssertEqual(s.labels, labels, file: file, line: line)
    }

    func testNiceNumbers() {
        XCTAssertEqual(NiceScale.niceNumber(0.74, round: false), 1, accuracy: 1e-12)
        XCTAssertEqual(NiceScale.niceNumber(150, round: false), 200, accuracy: 1e-9)
        XCTAssertEqual(NiceScale.niceNumber(3.2, round: true), 5, accuracy: 1e-12)
        XCTAssertEqual(NiceScale.niceNumber(1.4, round: true), 1, accuracy: 1e-12)
        XCTAssertEqual(NiceScale.niceNumber(7, round: true), 10, accuracy: 1e-12)
        XCTAssertEqual(NiceScale.niceNumber(0.025, round: true), 0.02, accuracy: 1e-12)
    }

    func testUnitRange() {
        // range nice(1) = 1, step nice(1/4 = 0.25, round) = 0.2.
        assertTicks(NiceScale(min: 0, max: 1, ticks: 5), [0, 0.2, 0.4, 0.6, 0.8, 1.0], labels: ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // 0.13…0.87: range nice(0.74) = 1, step 0.2, ends floor(0.65)·0.2 = 0 and ceil(4.35)·0.2 = 1.
        assertTicks(NiceScale(min: 0.13, max: 0.87, ticks: 5), [0, 0.2, 0.4, 0.6, 0.8, 1.0], labels: ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    func testNegativeToPositive() {
        // range nice(15.9) = 20, step nice(5) = 5, from floor(-0.74)·5 = -5 to ceil(2.44)·5 = 15.
        assertTicks(NiceScale(min: -3.7, max: 12.2, ticks: 5), [-5, 0, 5, 10, 15], labels: ["-5", "0", "5", "10", "15"])
    }

    func testLargeValuesAreShortened() {
        // range nice(95000) = 100000, step nice(25000) = 20000.
        assertTicks(NiceScale(min: 0, max: 95_000, ticks: 5), [0, 20_000, 40_000, 60_000, 80_000, 100_000],
                    labels: ["0", "20k", "40k", "60k", "80k", "100k"])
        // range nice(2.5e6) = 5e6, step nice(1.25e6) = 1e6.
        assertTicks(NiceScale(min: 0, max: 2_500_000, ticks: 5), [0, 1e6, 2e6, 3e6], labels: ["0", "1M", "2M", "3M"])
    }

    func testOneValueIsWidened() {
        // 5 becomes 4.5…5.5: step nice(0.25) = 0.2, ends 22·0.2 and 28·0.2.
        assertTicks(NiceScale(min: 5, max: 5, ticks: 5), [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6],
                    labels: ["4.4", "4.6", "4.8", "5.0", "5.2", "5.4", "5.6"])
        // Zero stays non-negative: 0…1.
        XCTAssertEqual(NiceScale(min: 0, max: 0).lo, 0)
        XCTAssertEqual(NiceScale(min: 0, max: 0).hi, 1, accuracy: 1e-12)
        // Nonsense in, a usable axis out.
        XCTAssertEqual(NiceScale(min: .nan, max: 3).ticks.count, 6)
        XCTAssertEqual(NiceScale(min: 1, max: .infinity).hi, 1, accuracy: 1e-12)
    }

    func testNoNegativeZero() {
        XCTAssertEqual(NumberText.fixed(-0.00001, decimals: 2), "0.00")
        XCTAssertEqual(NumberText.coordinate(-0.04), "0")
        XCTAssertEqual(NumberText.coordinate(12.25), "12.3")
        XCTAssertEqual(NumberText.value(0.15349), "0.153")
        XCTAssertEqual(NumberText.value(1234.6), "1235")
    }

    func testHistogramBins() {
        // 1…10 in about five bins: NiceScale(1, 10, 6) has step 2, edges 0…10; 10 falls in the last bin.
        let (edges, counts) = Binning.histogram([[1, 2, 2, 3, 9, 10, .nan]], bins: 5)
        XCTAssertEqual(edges, [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(counts, [[1, 3, 0, 0, 2]])
        XCTAssertEqual(Binning.histogram([[.nan]]).edges, [])
        let one = Binning.histogram([[7]])
        XCTAssertEqual(one.counts[0].reduce(0, +), 1)
    }
}
