package llmbook.exercises.ch09;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import llmbook.grading.Exercise;
import llmbook.grading.Points;

@Exercise(id = "ch09.ewc", title = "EWC and L2-SP anchor penalties")
class EwcTest {
    static double[] rand(Random r, int n, double scale, boolean positive) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = positive ? scale * r.nextDouble() : scale * r.nextGaussian();
        return x;
    }

    @Test
    @Points(value = 2, hint = "λ/2 · Σ F (w − anchor)²: weights (1, 3), anchor (0, 1), F (2, 0.5), λ = 4 give 8; do not forget the ½ or the anchor")
    void penaltyByHand() {
        double[] w = {1, 3}, a = {0, 1}, f = {2, 0.5};
        assertEquals(8, Ewc.penalty(w, a, f, 4), 1e-12);
        assertEquals(10, Ewc.penalty(w, a, null, 4), 1e-12, "a null Fisher is L2-SP: F = 1 for every weight");
        assertEquals(0, Ewc.penalty(a, a, f, 4), 1e-15, "at the anchor the penalty is 0");
        Random r = new Random(14);
        for (int t = 0; t < 20; t++) {
            int n = 1 + r.nextInt(9);
            double[] ww = rand(r, n, 2, false), aa = rand(r, n, 2, false), ff = rand(r, n, 3, true);
            double lambda = 0.1 + 10 * r.nextDouble(), s = 0;
            for (int i = 0; i < n; i++) s += ff[i] * (ww[i] - aa[i]) * (ww[i] - aa[i]);
            assertEquals(lambda / 2 * s, Ewc.penalty(ww, aa, ff, lambda), 1e-9);
        }
    }

    @Test
    @Points(value = 2, hint = "the gradient of λ/2 F d² is λ F d, checked here against finite differences of your penalty")
    void gradientMatchesFiniteDifferences() {
        assertArrayEquals(new double[] {8, 4}, Ewc.gradient(new double[] {1, 3}, new double[] {0, 1}, new double[] {2, 0.5}, 4), 1e-12);
        Random r = new Random(15);
        for (int t = 0; t < 20; t++) {
            int n = 1 + r.nextInt(9);
            double[] w = rand(r, n, 2, false), a = rand(r, n, 2, false), f = t % 4 == 0 ? null : rand(r, n, 3, true);
            double lambda = 0.1 + 10 * r.nextDouble(), h = 1e-5;
            double[] g = Ewc.gradient(w, a, f, lambda);
            for (int i = 0; i < n; i++) {
                double[] up = w.clone(), down = w.clone();
                up[i] += h;
                down[i] -= h;
                double fd = (penaltyRef(up, a, f, lambda) - penaltyRef(down, a, f, lambda)) / (2 * h);
                assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)), "weight " + i);
            }
        }
    }

    static double penaltyRef(double[] w, double[] a, double[] f, double lambda) {
        double s = 0;
        for (int i = 0; i < w.length; i++) s += (f == null ? 1 : f[i]) * (w[i] - a[i]) * (w[i] - a[i]);
        return lambda / 2 * s;
    }

    @Test
    @Points(value = 1, hint = "the Fisher is the mean of the squared gradients, not the square of the mean gradient: (1, 2) and (3, 0) give (5, 2)")
    void fisherIsMeanOfSquares() {
        assertArrayEquals(new double[] {5, 2}, Ewc.fisher(new double[][] {{1, 2}, {3, 0}}), 1e-12);
        assertArrayEquals(new double[] {1}, Ewc.fisher(new double[][] {{1}, {-1}}), 1e-12, "gradients that cancel still count");
    }
}
