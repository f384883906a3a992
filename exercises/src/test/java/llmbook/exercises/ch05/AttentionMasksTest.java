package llmbook.exercises.ch05;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch05.attention_masks", title = "Encoder and decoder attention masks")
class AttentionMasksTest {
    static void check(boolean causal, int t, int len) {
        boolean[][] a = AttentionMasks.allowed(causal, t, len);
        assertEquals(t, a.length, "T rows");
        for (int i = 0; i < len; i++) {
            assertEquals(t, a[i].length, "T columns");
            for (int j = 0; j < t; j++) {
                boolean want = j < len && (!causal || j <= i);
                assertEquals(want, a[i][j], (causal ? "decoder" : "encoder") + " T=" + t + " length=" + len + ": query " + i + ", key " + j);
            }
        }
    }

    @Test
    @Points(value = 1, hint = "the encoder sees both directions; the decoder hides keys after the query")
    void workedExample() {
        boolean[][] enc = AttentionMasks.allowed(false, 3, 2), dec = AttentionMasks.allowed(true, 3, 2);
        assertArrayEquals(new boolean[] {true, true, false}, enc[0]);
        assertArrayEquals(new boolean[] {true, true, false}, enc[1]);
        assertArrayEquals(new boolean[] {true, false, false}, dec[0]);
        assertArrayEquals(new boolean[] {true, true, false}, dec[1]);
    }

    @Test
    @Points(value = 2, hint = "padding hides KEYS (columns j ≥ length), for every real query row, in both kinds of mask")
    void paddingIsAColumnProperty() {
        check(false, 6, 4);
        check(true, 6, 4);
        check(false, 5, 1);
    }

    @Test
    @Points(value = 2, hint = "hidden sizes: decoder key j is visible to query i exactly when j ≤ i (and j is real)")
    void hiddenSizes() {
        for (int t : new int[] {1, 2, 7, 16})
            for (int len = 1; len <= t; len += Math.max(1, t / 3)) { check(true, t, len); check(false, t, len); }
    }
}
