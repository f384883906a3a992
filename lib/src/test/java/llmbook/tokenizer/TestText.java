package llmbook.tokenizer;

/** Test text: the Moby Dick corpus from the repository's data folder, and hard edge cases. */
final class TestText {
    private TestText() {}

    /** The whole of Moby Dick ({@code Corpus.load}; it says "run ./llmbook data" if missing). */
    static String mobyDick() {
        return llmbook.data.Corpus.load("moby-dick").text();
    }

    /** Strings that break naive tokenizers. */
    static final String[] EDGE_CASES = {
        "", " ", "  ", "\n", "\n\n\n", "\t \t", "a", "Hello, world!", "Hello world's  42!",
        "I'm you're they've we'll he'd it's I'M IT'S", "'s 's ''s", "  leading and trailing  ",
        "héllo naïve café", "e\u0301\u0302 combining marks", "日本語のテキスト、中文文本。", "한국어 텍스트",
        "emoji 😀👍🏽👨‍👩‍👧 flags 🇫🇷", "math ∑∫√∞ ≠ ≤", "numbers 123 4567 89.0 1,000,000 ٣٤٥",
        "mixed123abc 12ab ab12", "<|endoftext|> is special", "tabs\tand\u00a0nbsp\u2003em space\u3000ideographic",
        "line\r\nbreaks\rand\u2028separators", "\u0000\u0001 control \u007f", "zero\u200bwidth\u200djoiner",
        "lone high \ud83d end", "lone low \ude00 here", "reversed \ude00\ud83d pair", "\ud800", "ab\udfffcd",
        "https://example.com/path?q=1&x=y#frag", "    def f(x):\n        return x ** 2\n", "!!!???...,,,;;;",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    };
}
