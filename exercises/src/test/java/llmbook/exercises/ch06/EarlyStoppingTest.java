package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch06.early_stopping", title = "Early stopping with patience")
class EarlyStoppingTest {
    /** Independent reference: stop at the first index i whose P predecessors... written as a scan of windows. */
    static int[] reference(double[] v, int p) {
        double best = Double.POSITIVE_INFINITY;
        int bestAt = -1, lastImprovement = -1;
        for (int i = 0; i < v.length; i++) {
            if (v[i] < best) { best = v[i]; bestAt = i; lastImprovement = i; }
            if (i - lastImprovement == p) return new int[] {bestAt, i};
        }
        return new int[] {bestAt, v.length - 1};
    }

    @Test
    @Points(value = 1, hint = "the best is the lowest loss; stop after P evaluations in a row without a new best")
    void workedExample() {
        assertArrayEquals(new int[] {1, 3}, EarlyStopping.decide(new double[] {3, 2, 2.5, 2.4, 2.6}, 2));
    }

    @Test
    @Points(value = 2, hint = "an equal loss is no improvement (keep the earlier weights); an improvement resets the count")
    void tiesAndResets() {
        assertArrayEquals(new int[] {1, 3}, EarlyStopping.decide(new double[] {3, 2, 2, 2, 1}, 2), "ties do not count");
        assertArrayEquals(new int[] {3, 4}, EarlyStopping.decide(new double[] {5, 4, 3, 2, 2.1, 1}, 1), "patience 1");
        assertArrayEquals(new int[] {4, 6}, EarlyStopping.decide(new double[] {5, 4, 4.5, 3, 2, 2.1, 2.2, 1}, 2), "an improvement resets the count");
        assertArrayEquals(new int[] {3, 5}, EarlyStopping.decide(new double[] {5, 4, 4.5, 3, 3.5, 3.2}, 2), "never runs out: stop at the end");
        assertArrayEquals(new int[] {0, 0}, EarlyStopping.decide(new double[] {7}, 3), "one evaluation");
    }

    @Test
    @Points(value = 2, hint = "hidden noisy U-shaped validation curves, several patiences")
    void hiddenCurves() {
        Random r = new Random(16);
        for (int trial = 0; trial < 30; trial++) {
            int n = 5 + r.nextInt(40);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Math.pow((i - n / 2.0) / n, 2) + 0.01 * r.nextGaussian();
            int p = 1 + r.nextInt(6);
            assertArrayEquals(reference(v, p), EarlyStopping.decide(v, p), "trial " + trial + ", patience " + p);
        }
    }
}
