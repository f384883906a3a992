package llmbook.exercises.ch07;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch07.temperature_entropy", title = "Temperature and entropy")
class TemperatureEntropyTest {
    static final float NEG = Float.NEGATIVE_INFINITY;

    @Test
    @Points(value = 2, hint = "divide the logits by T, subtract the max, exponentiate, normalise; T = 0: all mass on the first maximum")
    void probabilitiesAtATemperature() {
        float[] l = {2, 1, 0};
        double z = Math.exp(2) + Math.exp(1) + 1;
        assertArrayEquals(new double[] {Math.exp(2) / z, Math.exp(1) / z, 1 / z}, TemperatureEntropy.probabilities(l, 1), 1e-12);
        double z2 = Math.exp(1) + Math.exp(0.5) + 1;
        assertArrayEquals(new double[] {Math.exp(1) / z2, Math.exp(0.5) / z2, 1 / z2}, TemperatureEntropy.probabilities(l, 2), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0}, TemperatureEntropy.probabilities(l, 0), 0);
        assertArrayEquals(new double[] {0, 1, 0}, TemperatureEntropy.probabilities(new float[] {1, 3, 3}, 0), 0, "ties: lowest id");
        assertArrayEquals(TemperatureEntropy.probabilities(new float[] {1, 0}, 0.5), TemperatureEntropy.probabilities(new float[] {1000, 999}, 0.5), 1e-12,
                "large logits must not overflow");
        assertArrayEquals(new double[] {0.5, 0, 0.5}, TemperatureEntropy.probabilities(new float[] {1, NEG, 1}, 3), 1e-12, "−∞ has probability 0");
        assertThrows(IllegalArgumentException.class, () -> TemperatureEntropy.probabilities(l, -1));
        assertThrows(IllegalArgumentException.class, () -> TemperatureEntropy.probabilities(l, Double.NaN));
    }

    @Test
    @Points(value = 1, hint = "entropy = −Σ p ln p; a zero probability contributes 0 (0·ln 0 is NaN in Java: skip it)")
    void entropyByHand() {
        assertEquals(Math.log(4), TemperatureEntropy.entropy(new double[] {0.25, 0.25, 0.25, 0.25}), 1e-12);
        assertEquals(0, TemperatureEntropy.entropy(new double[] {0, 1, 0}), 0);
        assertEquals(Math.log(2), TemperatureEntropy.entropy(new double[] {0.5, 0, 0.5}), 1e-12);
        assertEquals(0.832, TemperatureEntropy.entropy(TemperatureEntropy.probabilities(new float[] {2, 1, 0}, 1)), 1e-3, "the worked example");
    }

    /** softmax(l / t) in double precision, the max subtracted. */
    static double[] reference(float[] l, double t) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : l) max = Math.max(max, v / t);
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] / t - max);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }

    @Test
    @Points(value = 2, hint = "hidden random logits: your probabilities and entropy against a reference softmax")
    void hiddenCasesMatchTheLibrary() {
        Random r = new Random(3);
        for (int c = 0; c < 200; c++) {
            int V = 2 + r.nextInt(50);
            float[] l = new float[V];
            for (int i = 0; i < V; i++) l[i] = (float) (r.nextGaussian() * (1 + r.nextInt(20)));
            float t = (float) Math.exp(r.nextGaussian());
            double[] want = reference(l, t);
            double[] got = TemperatureEntropy.probabilities(l, t);
            assertArrayEquals(want, got, 1e-9, "case " + c);
            double h = 0;
            for (double q : want) if (q > 0) h -= q * Math.log(q);
            assertEquals(h, TemperatureEntropy.entropy(got), 1e-9, "entropy, case " + c);
        }
    }

    @Test
    @Points(value = 2, hint = "entropy rises with T: bisect between 0.01 and 100 (on a log scale is fastest); refuse targets out of reach")
    void theTemperatureForAnEntropy() {
        float[] l = {2, 1, 0};
        double h2 = TemperatureEntropy.entropy(TemperatureEntropy.probabilities(l, 2));
        assertEquals(2, TemperatureEntropy.temperatureFor(l, h2), 1e-4, "the worked example");
        Random r = new Random(5);
        for (int c = 0; c < 30; c++) {
            float[] x = new float[10];
            for (int i = 0; i < x.length; i++) x[i] = (float) (3 * r.nextGaussian());
            double t = 0.05 + 10 * r.nextDouble();
            double h = TemperatureEntropy.entropy(TemperatureEntropy.probabilities(x, t));
            double found = TemperatureEntropy.temperatureFor(x, h);
            assertEquals(h, TemperatureEntropy.entropy(TemperatureEntropy.probabilities(x, found)), 1e-6, "hidden case " + c + " (T = " + t + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> TemperatureEntropy.temperatureFor(l, Math.log(3) + 0.01), "more than ln V");
        assertThrows(IllegalArgumentException.class, () -> TemperatureEntropy.temperatureFor(l, -0.1));
        assertTrue(TemperatureEntropy.temperatureFor(new float[] {0, 0, 0, NEG}, Math.log(3)) > 0, "a flat distribution with a −∞ token: any T works");
    }
}
