package llmbook.exercises.ch04;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch04.attention_scaling", title = "Attention's cost: counting and fitting the exponent")
class AttentionScalingTest {
    @Test
    @Points(value = 2, hint = "query t meets t + 1 keys (itself and the earlier ones), each a dot product of d multiplications")
    void causalCounts() {
        assertEquals(12, AttentionScaling.causalMultiplies(3, 2));
        assertEquals(64, AttentionScaling.causalMultiplies(1, 64));
        assertEquals(64L * 1024 * 1025 / 2, AttentionScaling.causalMultiplies(1024, 64));
        assertEquals(128L * 100_000 * 100_001 / 2, AttentionScaling.causalMultiplies(100_000, 128), "use long arithmetic");
    }

    @Test
    @Points(value = 1, hint = "on log-log axes a power law t = a·n^k is a straight line of slope k")
    void exactPowerLaws() {
        assertEquals(2, AttentionScaling.exponent(new double[] {100, 200, 400}, new double[] {1, 4, 16}), 1e-9);
        assertEquals(1, AttentionScaling.exponent(new double[] {10, 30, 90, 270}, new double[] {5, 15, 45, 135}), 1e-9);
        assertEquals(3, AttentionScaling.exponent(new double[] {2, 5}, new double[] {0.008, 0.125}), 1e-9);
    }

    @Test
    @Points(value = 2, hint = "fit all the points (least squares on log n, log t), not just the first and last")
    void noisyMeasurements() {
        Random r = new Random(33);
        double[] n = new double[9], t = new double[9];
        for (int i = 0; i < n.length; i++) {
            n[i] = 64 << i;
            t[i] = 3e-6 * n[i] * n[i] * Math.exp(0.3 * r.nextGaussian());
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n.length; i++) {
            double x = Math.log(n[i]), y = Math.log(t[i]);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        double want = (n.length * sxy - sx * sy) / (n.length * sxx - sx * sx);
        assertEquals(want, AttentionScaling.exponent(n, t), 1e-9, "noisy T² timings");
        assertEquals(2, AttentionScaling.exponent(n, t), 0.2, "and it is close to 2");
    }
}
