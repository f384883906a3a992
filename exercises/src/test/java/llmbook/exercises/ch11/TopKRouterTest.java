package llmbook.exercises.ch11;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.moe.Gating;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch11.topk", title = "Top-k routing with renormalised gates")
class TopKRouterTest {
    static double[] logs(double... p) { double[] z = new double[p.length]; for (int i = 0; i < p.length; i++) z[i] = Math.log(p[i]); return z; }

    @Test
    @Points(value = 2, hint = "p = (0.1, 0.5, 0.3, 0.1), k = 2: experts [1, 2], gates [0.5, 0.3], renormalised [0.625, 0.375]")
    void theWorkedExample() {
        var r = TopKRouter.route(logs(0.1, 0.5, 0.3, 0.1), 2, false);
        assertArrayEquals(new int[] {1, 2}, r.experts());
        assertArrayEquals(new double[] {0.5, 0.3}, r.gates(), 1e-9);
        assertArrayEquals(new double[] {0.625, 0.375}, TopKRouter.route(logs(0.1, 0.5, 0.3, 0.1), 2, true).gates(), 1e-9);
    }

    @Test
    @Points(value = 1, hint = "k = 1 without renormalising keeps the raw probability (Switch): renormalising one gate would always give 1")
    void switchKeepsTheProbability() {
        var r = TopKRouter.route(logs(0.2, 0.7, 0.1), 1, false);
        assertArrayEquals(new int[] {1}, r.experts());
        assertEquals(0.7, r.gates()[0], 1e-9);
    }

    @Test
    @Points(value = 1, hint = "a tie goes to the lower expert index, and an expert is never chosen twice")
    void tiesAndNoRepeats() {
        var r = TopKRouter.route(new double[] {1, 3, 3, 0}, 3, true);
        assertArrayEquals(new int[] {1, 2, 0}, r.experts());
        assertEquals(1.0, r.gates()[0] + r.gates()[1] + r.gates()[2], 1e-9);
    }

    @Test
    @Points(value = 1, hint = "subtract the largest logit before exp: logits of 1000 must not overflow to NaN")
    void largeLogitsAreStable() {
        var r = TopKRouter.route(new double[] {1000, 1001, 999}, 2, false);
        assertArrayEquals(new int[] {1, 0}, r.experts());
        double z = 1 + Math.exp(-1) + Math.exp(-2);
        assertEquals(1 / z, r.gates()[0], 1e-9);
    }

    @Test
    @Points(value = 2, hint = "hidden random cases against the library's Gating: probabilities from a softmax, gates renormalised when asked")
    void hiddenCasesMatchTheLibrary() {
        Rng rng = new Rng(11);
        for (int c = 0; c < 50; c++) {
            int e = 2 + rng.nextInt(7), k = 1 + rng.nextInt(e);
            double[] z = new double[e];
            float[] p = new float[e];
            double m = 0;
            for (int i = 0; i < e; i++) { z[i] = 3 * rng.nextGaussian(); }
            double max = java.util.Arrays.stream(z).max().orElseThrow();
            for (int i = 0; i < e; i++) m += Math.exp(z[i] - max);
            for (int i = 0; i < e; i++) p[i] = (float) (Math.exp(z[i] - max) / m);
            boolean ren = rng.nextInt(2) == 0;
            int[] want = Gating.topK(p, 1, e, k);
            float[] g = Gating.gates(p, 1, e, want, k, ren);
            var r = TopKRouter.route(z, k, ren);
            assertArrayEquals(want, r.experts(), "case " + c);
            for (int j = 0; j < k; j++) assertEquals(g[j], r.gates()[j], 1e-5, "case " + c + " gate " + j);
        }
    }
}
