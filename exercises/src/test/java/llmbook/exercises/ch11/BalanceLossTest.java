package llmbook.exercises.ch11;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.moe.MoeLosses;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch11.balance", title = "The load-balancing loss")
class BalanceLossTest {
    @Test
    @Points(value = 2, hint = "the worked example: shares (0.75, 0.25), mean probabilities (0.65, 0.35), 0.01·2·(…) = 0.0115")
    void theWorkedExample() {
        double[][] p = {{0.9, 0.1}, {0.8, 0.2}, {0.6, 0.4}, {0.3, 0.7}};
        assertEquals(0.0115, BalanceLoss.loss(p, new int[][] {{0}, {0}, {0}, {1}}, 0.01), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "at perfect balance it is exactly α for any E (the factor E cancels the 1/E² of the shares and probabilities)")
    void perfectBalanceIsAlpha() {
        for (int e : new int[] {2, 4, 8}) {
            double[][] p = new double[e][e];
            int[][] ch = new int[e][];
            for (int t = 0; t < e; t++) { java.util.Arrays.fill(p[t], 1.0 / e); ch[t] = new int[] {t}; }
            assertEquals(0.01, BalanceLoss.loss(p, ch, 0.01), 1e-12, "E = " + e);
        }
    }

    @Test
    @Points(value = 1, hint = "with k = 2 every token makes two choices: shares are over all N·k choices")
    void topTwoCountsBothChoices() {
        double[][] p = {{0.5, 0.3, 0.2}, {0.1, 0.6, 0.3}};
        double f0 = 1 / 4.0, f1 = 2 / 4.0, f2 = 1 / 4.0, p0 = 0.3, p1 = 0.45, p2 = 0.25;
        assertEquals(0.1 * 3 * (f0 * p0 + f1 * p1 + f2 * p2), BalanceLoss.loss(p, new int[][] {{0, 1}, {1, 2}}, 0.1), 1e-12);
    }

    @Test
    @Points(value = 1, hint = "hidden random routings against the library's MoeLosses.balance")
    void hiddenCasesMatchTheLibrary() {
        Rng rng = new Rng(5);
        for (int c = 0; c < 20; c++) {
            int n = 3 + rng.nextInt(10), e = 2 + rng.nextInt(6);
            double[][] p = new double[n][e];
            float[] flat = new float[n * e];
            int[][] ch = new int[n][1];
            int[] flatCh = new int[n];
            for (int t = 0; t < n; t++) {
                double s = 0;
                for (int i = 0; i < e; i++) s += p[t][i] = rng.nextDouble() + 0.01;
                for (int i = 0; i < e; i++) { p[t][i] /= s; flat[t * e + i] = (float) p[t][i]; }
                ch[t][0] = flatCh[t] = rng.nextInt(e);
            }
            double want = MoeLosses.balance(Tensor.of(flat, n, e), MoeLosses.fractions(flatCh, e), 0.02f).item();
            assertEquals(want, BalanceLoss.loss(p, ch, 0.02), 1e-6, "case " + c);
        }
    }
}
