package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitPatternTest {
    private static List<String> regexSplit(SplitPattern p, String s) {
        List<String> out = new ArrayList<>();
        p.forEachPieceRegex(s, 0, s.length(), (a, b) -> out.add(s.substring(a, b)));
        return out;
    }

    @Test
    void handWorkedExample() {
        assertEquals(List.of("Hello", " world", "'s", " ", " 42", "!"), SplitPattern.GPT2.split("Hello world's  42!"));
    }

    @Test
    void cl100kGroupsDigitsByThree() {
        assertEquals(List.of("123", "456", "7"), SplitPattern.CL100K.split("1234567"));
        assertEquals(List.of("I", "'M", " fine"), SplitPattern.CL100K.split("I'M fine"));
    }

    @Test
    void scannerEqualsRegexOnEveryCodePointInContext() {
        String[] around = {"a", " ", "1", "'", "  ", "\n"};
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3400 ? 1 : 7)) {
            String c = new String(Character.toChars(cp));
            String ctx = around[cp % around.length];
            String s = ctx + c + " " + c + c + ctx;
            List<String> fast = SplitPattern.GPT2.split(s);
            List<String> slow = regexSplit(SplitPattern.GPT2, s);
            if (!fast.equals(slow)) assertEquals(slow, fast, "code point U+" + Integer.toHexString(cp));
        }
    }

    @Test
    void scannerEqualsRegexOnRandomStrings() {
        String alphabet = "aZé1٣ '\n\t\u00a0\u2003.,!?'sdmtlvre😀\ud800\udc00\u0301日";
        int[] cps = alphabet.codePoints().toArray();
        Random r = new Random(7);
        for (int t = 0; t < 20_000; t++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                int pick = r.nextInt(cps.length + 2);
                if (pick == cps.length) sb.append('\ud83d');          // lone surrogates too
                else if (pick == cps.length + 1) sb.append('\ude00');
                else sb.appendCodePoint(cps[pick]);
            }
            String s = sb.toString();
            assertEquals(regexSplit(SplitPattern.GPT2, s), SplitPattern.GPT2.split(s), () -> "input [" + s + "]");
        }
    }

    @Test
    void scannerEqualsRegexOnTheWholeBook() {
        String text = TestText.mobyDick();
        assertEquals(regexSplit(SplitPattern.GPT2, text), SplitPattern.GPT2.split(text));
    }
}
