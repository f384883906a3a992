package llmbook.exercises.ch08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch08.zero_shot", title = "Zero-shot classification by label likelihood")
class ZeroShotTest {
    private static final double[][] EXAMPLE = {{-2.0}, {-1.2, -0.9}};

    @Test
    @Points(value = 2, hint = "the worked example: whole words -2.0 vs -2.1 pick 0; per token -2.0 vs -1.05 pick 1")
    void workedExample() {
        assertEquals(0, ZeroShot.classify(EXAMPLE, false));
        assertEquals(1, ZeroShot.classify(EXAMPLE, true));
    }

    @Test
    @Points(value = 2, hint = "length bias: with perToken a many-token label must be scored by its MEAN log-probability, not its sum, first or last token")
    void lengthBias() {
        Random r = new Random(30);
        int disagree = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 2 + r.nextInt(4);
            double[][] lp = new double[n][];
            int sumBest = 0, meanBest = 0;
            double sumS = Double.NEGATIVE_INFINITY, meanS = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                lp[c] = new double[1 + r.nextInt(4)];
                double s = 0;
                for (int t = 0; t < lp[c].length; t++) s += lp[c][t] = -0.1 - 3 * r.nextDouble();
                if (s > sumS) { sumS = s; sumBest = c; }
                if (s / lp[c].length > meanS) { meanS = s / lp[c].length; meanBest = c; }
            }
            if (sumBest != meanBest) disagree++;
            assertEquals(sumBest, ZeroShot.classify(lp, false), "whole-word score, trial " + trial);
            assertEquals(meanBest, ZeroShot.classify(lp, true), "per-token score, trial " + trial);
        }
        assertTrue(disagree > 30, "the hidden cases should make the two scores disagree, got " + disagree);
    }

    @Test
    @Points(value = 1, hint = "scores are negative: start the best score at -infinity (not 0); equal scores pick the smaller index")
    void negativeScoresAndTies() {
        assertEquals(2, ZeroShot.classify(new double[][] {{-5.0}, {-4.0, -3.0}, {-1.0, -1.0}}, false));
        assertEquals(1, ZeroShot.classify(new double[][] {{-3.0}, {-1.0, -1.0}, {-0.5, -1.5}}, true));
    }

    @Test
    @Points(value = 1, hint = "a label with no token cannot be scored: IllegalArgumentException")
    void emptyLabel() {
        assertThrows(IllegalArgumentException.class, () -> ZeroShot.classify(new double[][] {{-1.0}, {}}, true));
    }
}
