package llmbook.exercises.ch10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import llmbook.grading.Exercise;
import llmbook.grading.Points;

@Exercise(id = "ch10.training_pairs", title = "Causal and masked training pairs from one sequence")
class TrainingPairsTest {
    static final int I = TrainingPairs.IGNORE;

    @Test
    @Points(value = 2, hint = "causal: the input drops the last token, the target drops the first — (5, 6, 7, 8) gives (5, 6, 7) → (6, 7, 8)")
    void causalShift() {
        int[][] p = TrainingPairs.causal(new int[] {5, 6, 7, 8});
        assertArrayEquals(new int[] {5, 6, 7}, p[0]);
        assertArrayEquals(new int[] {6, 7, 8}, p[1]);
        Random r = new Random(26);
        for (int t = 0; t < 20; t++) {
            int[] x = r.ints(2 + r.nextInt(30), 0, 50).toArray();
            int[][] q = TrainingPairs.causal(x);
            assertEquals(x.length - 1, q[0].length);
            assertEquals(x.length - 1, q[1].length);
            for (int i = 0; i + 1 < x.length; i++) {
                assertEquals(x[i], q[0][i], "input " + i);
                assertEquals(x[i + 1], q[1][i], "target " + i + " is the next token");
            }
        }
    }

    @Test
    @Points(value = 2, hint = "masked: only the masked positions are scored, every other target is IGNORE; the target is the original token, not the mask id")
    void maskedScoresOnlyMasked() {
        int[] x = {5, 6, 7, 8};
        int[][] p = TrainingPairs.masked(x, new int[] {1}, 0);
        assertArrayEquals(new int[] {5, 0, 7, 8}, p[0]);
        assertArrayEquals(new int[] {I, 6, I, I}, p[1]);
        assertArrayEquals(new int[] {5, 6, 7, 8}, x, "the caller's tokens must not change");
        Random r = new Random(29);
        for (int t = 0; t < 20; t++) {
            int[] y = r.ints(1 + r.nextInt(30), 1, 50).toArray();
            int[] pos = r.ints(r.nextInt(y.length + 1), 0, y.length).toArray();
            int[][] q = TrainingPairs.masked(y, pos, 99);
            boolean[] m = new boolean[y.length];
            for (int k : pos) m[k] = true;
            for (int i = 0; i < y.length; i++) {
                assertEquals(m[i] ? 99 : y[i], q[0][i], "input " + i);
                assertEquals(m[i] ? y[i] : I, q[1][i], "target " + i);
            }
        }
    }

    @Test
    @Points(value = 1, hint = "a position outside the sequence is an IllegalArgumentException, not an index error; one token has nothing to predict causally")
    void edges() {
        assertThrows(IllegalArgumentException.class, () -> TrainingPairs.masked(new int[] {1, 2}, new int[] {2}, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingPairs.masked(new int[] {1, 2}, new int[] {-1}, 0));
        int[][] p = TrainingPairs.causal(new int[] {4});
        assertEquals(0, p[0].length);
        assertEquals(0, p[1].length);
    }
}
