import XCTest
@testable import RecCore

/// Terminal columns of text, against hand-known values: CJK, kana, Hangul and fullwidth forms
/// take two columns, combining marks and zero-width characters none, an emoji glyph two.
final class DisplayWidthTests: XCTestCase {
    func testHandKnownWidths() {
        XCTAssertEqual("".displayWidth, 0)
        XCTAssertEqual("item_42".displayWidth, 7)
        XCTAssertEqual("数据".displayWidth, 4)
        XCTAssertEqual("数据 café".displayWidth, 9)
        XCTAssertEqual("café".displayWidth, 4)                 // precomposed é
        XCTAssertEqual("cafe\u{301}".displayWidth, 4)          // e + combining acute
        XCTAssertEqual("e\u{301}".displayWidth, 1)
        XCTAssertEqual("π".displayWidth, 1)
        XCTAssertEqual("Ünïcödé".displayWidth, 7)
        XCTAssertEqual("Привет".displayWidth, 6)               // Cyrillic is narrow
        XCTAssertEqual("カタカナ".displayWidth, 8)            // katakana
        XCTAssertEqual("ｶﾀｶﾅ".displayWidth, 4)                // halfwidth katakana
        XCTAssertEqual("한국어".displayWidth, 6)              // Hangul syllables
        XCTAssertEqual("\u{1100}\u{1161}\u{11A8}".displayWidth, 2)  // the same syllable from conjoining jamo
        XCTAssertEqual("ＡＢＣ".displayWidth, 6)              // fullwidth Latin
        XCTAssertEqual("，".displayWidth, 2)                   // fullwidth comma
        XCTAssertEqual("\u{3000}".displayWidth, 2)             // ideographic space
        XCTAssertEqual("𠀀".displayWidth, 2)                  // CJK Extension B (plane 2)
    }

    func testEmoji() {
        XCTAssertEqual("😀".displayWidth, 2)
        XCTAssertEqual("👍🏽".displayWidth, 2)                // with a skin-tone modifier
        XCTAssertEqual("👨‍👩‍👧".displayWidth, 2)           // a ZWJ sequence is one glyph
        XCTAssertEqual("🇯🇵".displayWidth, 2)                // a flag: two regional indicators
        XCTAssertEqual("❤️".displayWidth, 2)                 // text-default heart with U+FE0F
        XCTAssertEqual("❤".displayWidth, 1)                  // without it
        XCTAssertEqual("1️⃣".displayWidth, 2)                 // keycap
    }

    func testInvisibleCharacters() {
        XCTAssertEqual("a\u{200B}b".displayWidth, 2)           // zero-width space
        XCTAssertEqual("\u{7}".displayWidth, 0)
        XCTAssertEqual("\u{85}".displayWidth, 0)               // C1 control
        XCTAssertEqual(DisplayWidth.of(Unicode.Scalar(0x301)!), 0)
        XCTAssertEqual(DisplayWidth.of(Unicode.Scalar(0x20DD)!), 0)  // enclosing circle
        XCTAssertEqual(DisplayWidth.of(Unicode.Scalar(0x4E00)!), 2)
        XCTAssertEqual(DisplayWidth.of(Unicode.Scalar(0x303F)!), 1)  // half-fill space: narrow among wide
    }

    func testTheWideTableIsSortedAndDisjoint() {
        for (a, b) in zip(DisplayWidth.wide, DisplayWidth.wide.dropFirst()) {
            XCTAssertLessThanOrEqual(a.0, a.1)
            XCTAssertLessThan(a.1, b.0)
        }
    }

    func testPaddingAndClipping() {
        XCTAssertEqual("数据".padded(toWidth: 6) + "|", "数据  |")
        XCTAssertEqual("数据".padded(toWidth: 6, right: true), "  数据")
        XCTAssertEqual("数据集".padded(toWidth: 4), "数据集")       // never cut
        XCTAssertEqual("数据集合".clipped(toWidth: 6), "数据…")       // 2 + 2 + 1
        XCTAssertEqual("数据集合".clipped(toWidth: 5), "数据…")
        XCTAssertEqual("数据集合".clipped(toWidth: 8), "数据集合")
        XCTAssertEqual("cafe\u{301} crème".clipped(toWidth: 5), "cafe\u{301}…")  // the accent stays on its e
        XCTAssertEqual("abcdef".clipped(toWidth: 4), "abc…")
    }
}
