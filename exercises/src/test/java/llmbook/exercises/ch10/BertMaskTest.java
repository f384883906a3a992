package llmbook.exercises.ch10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.objectives.Masking;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch10.bert_mask", title = "BERT masking: 15%, then 80/10/10")
class BertMaskTest {
    static int[] seq(int n) { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = (7 * i + 3) % 40; return a; }

    @Test
    @Points(value = 1, hint = "targets hold the original id at chosen positions and −1 elsewhere; unchosen ids are copied unchanged")
    void targetsAndUntouchedPositions() {
        int[] ids = seq(40);
        int[][] r = BertMask.mask(ids, 99, 40, new Rng(3));
        int chosen = 0;
        for (int i = 0; i < ids.length; i++) {
            if (r[1][i] == -1) assertEquals(ids[i], r[0][i], "position " + i + " was not chosen but changed");
            else { assertEquals(ids[i], r[1][i], "the target is the original id"); chosen++; }
        }
        assertEquals(6, chosen, "round(0.15 · 40) = 6 positions");
    }

    @Test
    @Points(value = 1, hint = "n = max(1, round(0.15·length)): a 3-token sequence still gets one blank")
    void shortSequences() {
        assertEquals(1, java.util.Arrays.stream(BertMask.mask(new int[] {5, 6, 7}, 99, 10, new Rng(1))[1]).filter(t -> t >= 0).count());
        assertEquals(0, BertMask.mask(new int[0], 99, 10, new Rng(1))[0].length);
    }

    @Test
    @Points(value = 2, hint = "of the chosen: ~80% [MASK], ~10% a random id, ~10% kept — one rng.nextDouble() per chosen position")
    void eightyTenTen() {
        Rng rng = new Rng(11);
        int[] ids = seq(100);
        long chosen = 0, masked = 0, kept = 0;
        for (int rep = 0; rep < 600; rep++) {
            int[][] r = BertMask.mask(ids, 99, 40, rng);
            for (int i = 0; i < ids.length; i++) {
                if (r[1][i] < 0) continue;
                chosen++;
                if (r[0][i] == 99) masked++; else if (r[0][i] == ids[i]) kept++;
            }
        }
        assertEquals(0.8, (double) masked / chosen, 0.02);
        assertEquals(0.1 + 0.1 / 40, (double) kept / chosen, 0.015, "kept, plus the random draws that hit the same id");
    }

    @Test
    @Points(value = 3, hint = "the exact order of draws: shuffle all positions, take the first n, then one nextDouble per chosen position in increasing order (and nextInt(vocab) for the random tenth)")
    void exactPositionsForASeed() {
        for (int seed : new int[] {1, 2, 17, 123, 2026}) {
            for (int len : new int[] {7, 20, 64}) {
                int[] ids = seq(len);
                Masking.Masked want = Masking.bert().apply(ids, 99, 40, id -> true, null, new Rng(seed));
                int[][] got = BertMask.mask(ids, 99, 40, new Rng(seed));
                assertArrayEquals(want.targets(), got[1], "targets, seed " + seed + ", length " + len);
                assertArrayEquals(want.input(), got[0], "noised input, seed " + seed + ", length " + len);
            }
        }
    }
}
