package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

/** T5's span corruption (Q25): counts, layout, round trip, the span-length statistics and the errors. */
class SpanCorruptionTest {
    static final int[] SENTINELS = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120};

    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void hidesTheRightCountInSpansAndRestores() {
        int[] ids = range(40);
        for (long seed = 1; seed <= 50; seed++) {
            SpanCorruption.Corrupted c = SpanCorruption.t5().apply(ids, SENTINELS, new Rng(seed));
            assertEquals(2, c.spans(), "round(40 · 0.15) = 6 noise tokens, round(6 / 3) = 2 spans");
            assertEquals(40 - 6 + 2, c.input().length, "kept tokens plus one sentinel per span");
            assertEquals(6 + 2 + 1, c.target().length, "hidden tokens, one sentinel per span, one closing sentinel");
            assertEquals(100, c.target()[0]);
            assertEquals(102, c.target()[c.target().length - 1]);
            assertTrue(c.input()[0] < 100, "starts with kept tokens");
            assertEquals(101, c.input()[c.input().length - 1], "ends with a hidden span");
            assertArrayEquals(ids, SpanCorruption.restore(c, SENTINELS), "input + target give back the text");
        }
    }

    @Test
    void exampleOfTheClassComment() {
        SpanCorruption.Corrupted c = new SpanCorruption(0.3, 1.5).apply(range(10), SENTINELS, new Rng(7));
        assertEquals(2, c.spans());
        assertEquals(3 + 2 + 1, c.target().length);
        assertArrayEquals(range(10), SpanCorruption.restore(c, SENTINELS));
    }

    @Test
    void spansHaveTheAskedMeanLengthAndUniformCuts() {
        // 200 tokens, density 0.15 → 30 noise tokens in 10 spans of mean 3, whatever the draw; the cut points are
        // uniform, so each noise run is 1 + Binomial-like around 3 and a run of length 1 is the most common
        Rng rng = new Rng(3);
        int[] lengthCount = new int[31];
        for (int r = 0; r < 400; r++) {
            int[] len = SpanCorruption.segment(30, 10, rng);
            int sum = 0;
            for (int l : len) { assertTrue(l >= 1, "non-empty runs"); sum += l; lengthCount[l]++; }
            assertEquals(30, sum);
        }
        assertTrue(lengthCount[1] > lengthCount[3] && lengthCount[3] > lengthCount[6], "geometric-like run lengths: " + java.util.Arrays.toString(lengthCount));
        double first = 0;
        Rng r2 = new Rng(4);
        for (int r = 0; r < 2000; r++) first += SpanCorruption.segment(30, 10, r2)[0];
        assertEquals(3.0, first / 2000, 0.15, "the first run is as long as any other on average");
    }

    @Test
    void sameSeedSameCorruption() {
        SpanCorruption.Corrupted a = SpanCorruption.t5().apply(range(60), SENTINELS, new Rng(9)), b = SpanCorruption.t5().apply(range(60), SENTINELS, new Rng(9));
        assertArrayEquals(a.input(), b.input());
        assertArrayEquals(a.target(), b.target());
    }

    @Test
    void refusesBadSettingsWithOneLine() {
        assertThrows(IllegalArgumentException.class, () -> new SpanCorruption(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new SpanCorruption(0.15, 0.5));
        assertThrows(IllegalArgumentException.class, () -> SpanCorruption.t5().apply(new int[] {1}, SENTINELS, new Rng(1)));
        var e = assertThrows(IllegalArgumentException.class, () -> SpanCorruption.t5().apply(range(200), new int[] {100, 101}, new Rng(1)));
        assertTrue(e.getMessage().contains("10 spans need 11 sentinels"), e.getMessage());
    }
}
