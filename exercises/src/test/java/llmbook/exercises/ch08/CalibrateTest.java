package llmbook.exercises.ch08;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch08.calibrate", title = "Calibrate before use")
class CalibrateTest {
    @Test
    @Points(value = 2, hint = "the worked example: N/A = [0.8, 0.2], input [0.6, 0.4] calibrates to [3/11, 8/11] and predicts 1 (divide by the content-free probabilities)")
    void workedExample() {
        double[] cf = {0.8, 0.2}, p = {0.6, 0.4};
        assertArrayEquals(new double[] {3.0 / 11, 8.0 / 11}, Calibrate.calibrate(cf, p), 1e-12);
        assertEquals(1, Calibrate.predict(cf, p));
    }

    @Test
    @Points(value = 1, hint = "the content-free input itself must calibrate to the uniform distribution, and the result must sum to 1")
    void contentFreeBecomesUniform() {
        double[] cf = {0.5, 0.3, 0.15, 0.05};
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, Calibrate.calibrate(cf, cf), 1e-12);
        double[] q = Calibrate.calibrate(cf, new double[] {0.1, 0.2, 0.3, 0.4});
        double s = 0;
        for (double v : q) s += v;
        assertEquals(1.0, s, 1e-12);
    }

    @Test
    @Points(value = 2, hint = "hidden cases where calibration flips the raw argmax: calibrated probability of label i is proportional to p[i] / contentFree[i]")
    void flipsDecisions() {
        Random r = new Random(22);
        int flips = 0;
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + r.nextInt(4);
            double[] cf = dist(r, n), p = dist(r, n);
            double[] want = new double[n];
            double s = 0;
            for (int i = 0; i < n; i++) s += want[i] = p[i] / cf[i];
            int best = 0, raw = 0;
            for (int i = 0; i < n; i++) {
                want[i] /= s;
                if (want[i] > want[best]) best = i;
                if (p[i] > p[raw]) raw = i;
            }
            if (best != raw) flips++;
            assertArrayEquals(want, Calibrate.calibrate(cf, p), 1e-9, "trial " + trial);
            assertEquals(best, Calibrate.predict(cf, p), "trial " + trial);
        }
        assertTrue(flips > 20, "the hidden cases should include flips, got " + flips);
    }

    @Test
    @Points(value = 1, hint = "equal calibrated probabilities: the smaller index; arrays of different lengths: IllegalArgumentException")
    void tiesAndBadInput() {
        assertEquals(0, Calibrate.predict(new double[] {0.4, 0.2, 0.4}, new double[] {0.4, 0.2, 0.4}));
        assertEquals(1, Calibrate.predict(new double[] {0.6, 0.2, 0.2}, new double[] {0.3, 0.35, 0.35}));
        assertThrows(IllegalArgumentException.class, () -> Calibrate.calibrate(new double[] {0.5, 0.5}, new double[] {1, 0, 0}));
    }

    private static double[] dist(Random r, int n) {
        double[] d = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) s += d[i] = 0.02 + r.nextDouble();
        for (int i = 0; i < n; i++) d[i] /= s;
        return d;
    }
}
