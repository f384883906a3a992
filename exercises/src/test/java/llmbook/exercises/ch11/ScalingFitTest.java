package llmbook.exercises.ch11;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import llmbook.grading.Exercise;
import llmbook.grading.Points;

@Exercise(id = "ch11.scaling_fit", title = "Predicting a larger model's loss from a power law")
class ScalingFitTest {
    @Test
    @Points(value = 2, hint = "the worked example: L − c = 0.3162, 0.1, 0.0316 gives a = 10, b = 0.5 and 2.01 at N = 10⁶")
    void theWorkedExample() {
        double[] n = {1e3, 1e4, 1e5};
        double[] l = {2 + 10 / Math.sqrt(1e3), 2.1, 2 + 10 / Math.sqrt(1e5)};
        double[] ab = ScalingFit.fit(n, l, 2);
        assertEquals(10, ab[0], 1e-9);
        assertEquals(0.5, ab[1], 1e-12);
        assertEquals(2.01, ScalingFit.predict(n, l, 2, 1e6), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "subtract the floor c before taking the log: log(L − c), not log L − c or log L")
    void theFloorComesOffFirst() {
        double[] n = {2e3, 8e3, 3.2e4, 1.28e5};
        double[] l = new double[4];
        for (int i = 0; i < 4; i++) l[i] = 1.7 + 6 * Math.pow(n[i], -0.3);
        assertEquals(1.7 + 6 * Math.pow(1e6, -0.3), ScalingFit.predict(n, l, 1.7, 1e6), 1e-9);
    }

    @Test
    @Points(value = 2, hint = "ordinary least squares on (log N, log(L − c)) over all points, not a line through the first and last")
    void leastSquaresOnNoisyPoints() {
        Random r = new Random(43);
        for (int rep = 0; rep < 5; rep++) {
            int k = 4 + rep;
            double c = 1 + r.nextDouble(), a = 3 + 10 * r.nextDouble(), b = 0.1 + 0.4 * r.nextDouble();
            double[] n = new double[k], l = new double[k], x = new double[k], y = new double[k];
            for (int i = 0; i < k; i++) {
                n[i] = 1000 * Math.pow(2.5, i);
                l[i] = c + a * Math.pow(n[i], -b) * Math.exp(0.05 * r.nextGaussian());
                x[i] = Math.log(n[i]);
                y[i] = Math.log(l[i] - c);
            }
            double mx = 0, my = 0, sxy = 0, sxx = 0;
            for (int i = 0; i < k; i++) { mx += x[i] / k; my += y[i] / k; }
            for (int i = 0; i < k; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
            double slope = sxy / sxx, nNew = 1e7;
            double want = c + Math.exp(my + slope * (Math.log(nNew) - mx));
            assertEquals(want, ScalingFit.predict(n, l, c, nNew), 1e-9, "case " + rep);
            assertEquals(-slope, ScalingFit.fit(n, l, c)[1], 1e-9, "exponent b is positive for a falling loss");
        }
    }

    @Test
    @Points(value = 1, hint = "a loss at or below the floor has no log(L − c): throw IllegalArgumentException")
    void lossAtTheFloorIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ScalingFit.predict(new double[] {1e3, 1e4}, new double[] {2.5, 2.0}, 2.0, 1e5));
    }
}
