package llmbook.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-split step of a byte-level BPE (Q1): before any merge, text is cut into "pieces" by a
 * regular expression, and merges never cross a piece boundary. That is why " dog", " dog." and
 * "dog" can share the token {@code " dog"}, and why digits and letters are never glued together.
 *
 * <p>{@link #GPT2} is GPT-2's pattern (r50k_base):
 * <pre>'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * <p>For example {@code "Hello world's  42!"} splits into
 * {@code ["Hello", " world", "'s", " ", " 42", "!"]}: a run of spaces gives all but its last
 * space to a piece of its own, so the last one can start the next word.
 *
 * <p>{@link #CL100K} is GPT-4's pattern (cl100k_base): contractions are case-insensitive, numbers
 * are cut into groups of at most three digits, and a letter run may take one leading non-letter.
 *
 * <p>Both regexes use {@link Pattern#UNICODE_CHARACTER_CLASS} ({@code \s} is Unicode White_Space),
 * as JTokkit does. GPT-2's pattern also has a hand-written scanner ({@link #nextEnd}) that gives
 * exactly the same pieces as the regex (tested over every code point and a whole book) and is
 * several times faster; CL100K always runs the regex.
 */
public enum SplitPattern {
    GPT2("'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"),
    CL100K("'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*"
            + "|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+");

    /** Receives one piece as the half-open range {@code [start, end)} of the text. */
    @FunctionalInterface
    public interface PieceConsumer {
        void accept(int start, int end);
    }

    private final String regex;
    private final Pattern pattern;

    SplitPattern(String regex) {
        this.regex = regex;
        this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** The regular expression, as written above. */
    public String regex() {
        return regex;
    }

    /** The compiled regex (the reference the fast GPT-2 scanner is tested against). */
    public Pattern pattern() {
        return pattern;
    }

    /** The pieces of {@code text}, as strings (convenient for notebooks and tests). */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        forEachPiece(text, 0, text.length(), (s, e) -> out.add(text.substring(s, e)));
        return out;
    }

    /** Calls {@code out} for each piece of {@code text[from, to)}, left to right; pieces tile the range. */
    public void forEachPiece(CharSequence text, int from, int to, PieceConsumer out) {
        if (this == GPT2) {
            for (int i = from; i < to; ) {
                int j = nextEnd(text, i, to);
                out.accept(i, j);
                i = j;
            }
        } else {
            forEachPieceRegex(text, from, to, out);
        }
    }

    /** The same split done by the regex engine (the reference implementation). */
    public void forEachPieceRegex(CharSequence text, int from, int to, PieceConsumer out) {
        Matcher m = pattern.matcher(text).region(from, to);
        int last = from;
        while (m.find()) {
            if (m.start() != last) throw new IllegalStateException("pattern skipped text at " + last);
            out.accept(m.start(), m.end());
            last = m.end();
        }
        if (last != to) throw new IllegalStateException("pattern left text unmatched at " + last);
    }

    // ---- the hand-written GPT-2 scanner --------------------------------------------------------

    private static final byte OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;
    private static final byte[] BMP = new byte[65536];

    static {
        for (int c = 0; c < 65536; c++) BMP[c] = classify(c);
    }

    /** Which of {@code \p{L}}, {@code \p{N}}, {@code \s} (Unicode White_Space) or "other" a code point is. */
    static byte classify(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        if (Character.isLetter(cp)) return LETTER;
        int t = Character.getType(cp);
        if (t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER) return NUMBER;
        return OTHER;
    }

    private static boolean isWhiteSpace(int cp) {
        return (cp >= 9 && cp <= 13) || cp == 32 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    private static byte cls(CharSequence s, int i, int to) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
            return classify(Character.toCodePoint(c, s.charAt(i + 1)));
        }
        return BMP[c];
    }

    private static int width(CharSequence s, int i, int to) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
    }

    /** End of the GPT-2 piece that starts at {@code i} (requires {@code i < to}); equals the regex's match. */
    static int nextEnd(CharSequence s, int i, int to) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < to) {                               // '(?:[sdmt]|ll|ve|re)
            char d = s.charAt(i + 1);
            if (d == 's' || d == 'd' || d == 'm' || d == 't') return i + 2;
            if (i + 2 < to) {
                char e = s.charAt(i + 2);
                if ((d == 'l' && e == 'l') || (d == 'v' && e == 'e') || (d == 'r' && e == 'e')) return i + 3;
            }
        }
        int j = i;
        byte k = cls(s, i, to);
        if (c == ' ' && i + 1 < to) {                                  // the optional leading space
            byte next = cls(s, i + 1, to);
            if (next != SPACE) {
                j = i + 1;
                k = next;
            }
        }
        if (k != SPACE) {                                              // \p{L}+ | \p{N}+ | [^\s\p{L}\p{N}]+
            j += width(s, j, to);
            while (j < to && cls(s, j, to) == k) j += width(s, j, to);
            return j;
        }
        int e = i;                                                     // \s+(?!\S) | \s+  (white space is BMP)
        while (e < to && cls(s, e, to) == SPACE) e++;
        if (e == to || e - i == 1) return e;
        return e - 1;
    }
}
