package llmbook.exercises.ch11;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch11.moe", title = "A whole mixture-of-experts forward (assembling)")
class MoeLayerTest {
    /** Expert i multiplies by (i + 1) and adds i. */
    static List<UnaryOperator<double[]>> experts(int e) {
        List<UnaryOperator<double[]>> l = new ArrayList<>();
        for (int i = 0; i < e; i++) {
            int m = i;
            l.add(v -> { double[] y = new double[v.length]; for (int j = 0; j < v.length; j++) y[j] = (m + 1) * v[j] + m; return y; });
        }
        return l;
    }

    @Test
    @Points(value = 2, hint = "the worked example: experts 2x and −x, k = 1, router probability 0.75 for expert 0 → 1.5x")
    void theWorkedExample() {
        List<UnaryOperator<double[]>> ex = List.of(v -> new double[] {2 * v[0]}, v -> new double[] {-v[0]});
        double[][] router = {{Math.log(3)}, {0}};                 // x = 1: logits (ln 3, 0) → p = (0.75, 0.25)
        var r = MoeLayer.forward(new double[][] {{1}}, router, ex, 1, 0);
        assertEquals(1.5, r.out()[0][0], 1e-9);
        assertArrayEquals(new int[] {1, 0}, r.load());
        assertEquals(0, r.dropped());
    }

    @Test
    @Points(value = 2, hint = "k = 2: the two gates are renormalised to sum to 1, and both experts' outputs are added")
    void topTwo() {
        double[][] router = {{Math.log(0.5)}, {Math.log(0.3)}, {Math.log(0.2)}};
        var r = MoeLayer.forward(new double[][] {{1}}, router, experts(3), 2, 0);
        assertEquals(0.625 * 1 + 0.375 * (2 * 1 + 1), r.out()[0][0], 1e-9);
        assertArrayEquals(new int[] {1, 1, 0}, r.load());
    }

    @Test
    @Points(value = 3, hint = "capacity ceil(cf·N·k/E); first choices of all tokens are served before any second choice; a dropped choice adds nothing")
    void capacityDropsInOrder() {
        double[][] router = {{1, 0}, {0, 1}, {0, 0}};             // expert 0 likes dimension 0, expert 1 dimension 1
        double[][] x = {{3, 0}, {3, 0.1}, {2.9, 0}, {0, 3}};       // three tokens want expert 0 first
        var r = MoeLayer.forward(x, router, experts(3), 1, 0.75);  // capacity ceil(0.75·4/3) = 1
        assertArrayEquals(new int[] {1, 1, 0}, r.load());
        assertEquals(2, r.dropped());
        assertArrayEquals(new double[] {0, 0}, r.out()[1], 1e-12, "token 1 found expert 0 full");
        assertArrayEquals(new double[] {0, 0}, r.out()[2], 1e-12);
        var k2 = MoeLayer.forward(x, router, experts(3), 2, 0.75);  // capacity ceil(0.75·8/3) = 2
        assertEquals(2, k2.load()[0], "tokens 0 and 1 take expert 0's two places with their first choices");
        assertEquals(8 - java.util.Arrays.stream(k2.load()).sum(), k2.dropped());
    }

    @Test
    @Points(value = 1, hint = "hidden random layers: no capacity limit means nothing is dropped and every token's gates sum to 1 (k > 1)")
    void hiddenUnlimited() {
        Rng rng = new Rng(7);
        for (int c = 0; c < 10; c++) {
            int n = 2 + rng.nextInt(6), e = 2 + rng.nextInt(4), d = 1 + rng.nextInt(3), k = 1 + rng.nextInt(e);
            double[][] x = new double[n][d], router = new double[e][d];
            for (double[] row : x) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
            for (double[] row : router) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
            List<UnaryOperator<double[]>> same = new ArrayList<>();
            for (int i = 0; i < e; i++) same.add(v -> v.clone());  // identical identity experts: output = x · Σ gates
            var r = MoeLayer.forward(x, router, same, k, 0);
            assertEquals(0, r.dropped());
            assertEquals(n * k, java.util.Arrays.stream(r.load()).sum());
            if (k > 1) for (int t = 0; t < n; t++) assertArrayEquals(x[t], r.out()[t], 1e-9, "case " + c + " token " + t);
        }
    }
}
