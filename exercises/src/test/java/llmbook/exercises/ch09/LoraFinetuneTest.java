package llmbook.exercises.ch09;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch09.lora_finetune", title = "LoRA fine-tuning of a frozen linear layer, assembled")
class LoraFinetuneTest {
    /** A task: frozen W, inputs x and targets y = x·(W + ΔW)ᵀ with ΔW of rank r. */
    record Task(int out, int in, int r, float alpha, int n, float[] w, float[] x, float[] y) {
        /** A step size that is stable for this α/r: the update of B·A scales with (α/r)². */
        float lr() { float s = alpha / r; return 0.2f / (s * s); }
    }

    static float[] rand(Random r, int n) { float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian(); return v; }

    static Task task(long seed, int out, int in, int r, float alpha, int n) {
        Random g = new Random(seed);
        float[] w = rand(g, out * in), x = rand(g, n * in);
        float[] u = rand(g, out * r), v = rand(g, r * in), target = w.clone();
        for (int o = 0; o < out; o++)
            for (int k = 0; k < r; k++)
                for (int j = 0; j < in; j++) target[o * in + j] += 0.5f * u[o * r + k] * v[k * in + j] / (float) Math.sqrt(r);
        return new Task(out, in, r, alpha, n, w, x, apply(x, n, target, in, out));
    }

    static float[] apply(float[] x, int n, float[] w, int in, int out) {
        float[] y = new float[n * out];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < out; o++) {
                double acc = 0;
                for (int j = 0; j < in; j++) acc += (double) x[i * in + j] * w[o * in + j];
                y[i * out + o] = (float) acc;
            }
        return y;
    }

    static double mse(Task t, float[] weight) {
        float[] p = apply(t.x, t.n, weight, t.in, t.out);
        double s = 0;
        for (int i = 0; i < p.length; i++) s += (p[i] - t.y[i]) * (double) (p[i] - t.y[i]);
        return s / p.length;
    }

    static LoraFinetune.Adapted run(Task t, int steps) {
        return LoraFinetune.finetune(t.w, t.out, t.in, t.r, t.alpha, t.x, t.y, t.n, steps, t.lr(), 42);
    }

    static final Task[] HIDDEN = {
        task(1, 6, 8, 2, 4f, 64), task(2, 5, 7, 1, 1f, 40), task(3, 8, 6, 3, 12f, 80), task(4, 4, 10, 2, 2f, 50)};

    @Test
    @Points(value = 1, hint = "before any step the adapted layer must be the base layer: one of A, B starts at zero — but not both")
    void stepZeroIsTheBaseLayer() {
        for (Task t : HIDDEN) {
            LoraFinetune.Adapted ad = run(t, 0);
            assertEquals(t.r * t.in, ad.a().length, "A is (r, in)");
            assertEquals(t.out * t.r, ad.b().length, "B is (out, r)");
            assertArrayEquals(t.w, ad.merged(), 0f, "with 0 steps the merged weight is W");
            assertArrayEquals(new float[t.out * t.r], ad.b(), 0f, "B starts at zero so the first forward is the base layer");
            double norm = 0;
            for (float v : ad.a()) norm += v * v;
            assertTrue(norm > 1e-6, "A must start random: with A = B = 0 every gradient is zero and nothing learns");
        }
    }

    @Test
    @Points(value = 1, hint = "W is frozen: train only A and B, and build the merged weight in a new array")
    void baseWeightIsNeverModified() {
        for (Task t : HIDDEN) {
            float[] keep = t.w.clone(), xKeep = t.x.clone(), yKeep = t.y.clone();
            LoraFinetune.Adapted ad = run(t, 50);
            assertArrayEquals(keep, t.w, 0f, "W changed");
            assertArrayEquals(xKeep, t.x, 0f, "x changed");
            assertArrayEquals(yKeep, t.y, 0f, "y changed");
            assertTrue(ad.merged() != t.w, "return the merged weight in a new array, not W itself");
        }
    }

    @Test
    @Points(value = 3, hint = "the merged layer should fit data made by a hidden rank-r change: check the gradient's sign, its 1/(n·out) and that both A and B move")
    void learnsAHiddenRankRChange() {
        for (Task t : HIDDEN) {
            double before = mse(t, t.w);
            double after = mse(t, run(t, 500).merged());
            assertTrue(after < 0.05 * before, "MSE went from " + before + " to " + after + "; expected below 5% of the start ("
                    + t.out + "×" + t.in + ", r = " + t.r + ", α = " + t.alpha + ")");
        }
    }

    @Test
    @Points(value = 2, hint = "x·W'ᵀ must equal the adapted layer's output for every x: build W' − W from the A and B you return, with the same α/r scale the layer uses (so its rank is ≤ r)")
    void mergeIsTheScaledLowRankUpdate() {
        for (Task t : HIDDEN) {
            LoraFinetune.Adapted ad = run(t, 100);
            float[] a = ad.a(), b = ad.b(), m = ad.merged();
            double s = t.alpha / t.r, scale = 0;
            for (float v : b) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 1e-4, "B is still zero after training: it never learned");
            for (int o = 0; o < t.out; o++)
                for (int j = 0; j < t.in; j++) {
                    double d = 0;
                    for (int k = 0; k < t.r; k++) d += (double) b[o * t.r + k] * a[k * t.in + j];
                    assertEquals(s * d, m[o * t.in + j] - t.w[o * t.in + j], 1e-4 * Math.max(1, Math.abs(s * d)),
                            "W' − W at (" + o + ", " + j + ") is not (α/r)·(B·A)");
                }
            assertTrue(spanResidual(m, t.w, b, t.out, t.in, t.r) < 1e-3, "the columns of W' − W leave the span of B's columns: rank > r");
        }
    }

    @Test
    @Points(value = 1, hint = "check the sizes first and throw IllegalArgumentException naming them")
    void badSizesAreRejected() {
        Task t = HIDDEN[0];
        assertThrows(IllegalArgumentException.class,
                () -> LoraFinetune.finetune(t.w, t.out, t.in, t.r, t.alpha, new float[t.n * t.in - 1], t.y, t.n, 1, 0.1f, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LoraFinetune.finetune(t.w, t.out, t.in + 1, t.r, t.alpha, t.x, t.y, t.n, 1, 0.1f, 1));
    }

    /** Largest relative residual of a column of D = W' − W after projecting it on the span of B's columns (normal equations). */
    static double spanResidual(float[] m, float[] w, float[] b, int out, int in, int r) {
        double[][] g = new double[r][r + 1];
        double worst = 0;
        for (int j = 0; j < in; j++) {
            double[] d = new double[out];
            double dn = 0;
            for (int o = 0; o < out; o++) { d[o] = m[o * in + j] - w[o * in + j]; dn += d[o] * d[o]; }
            for (int p = 0; p < r; p++) {
                for (int q = 0; q < r; q++) { double acc = 0; for (int o = 0; o < out; o++) acc += (double) b[o * r + p] * b[o * r + q]; g[p][q] = acc; }
                double acc = 0;
                for (int o = 0; o < out; o++) acc += b[o * r + p] * d[o];
                g[p][r] = acc;
            }
            double[] c = solve(g, r);
            double res = 0;
            for (int o = 0; o < out; o++) {
                double e = d[o];
                for (int p = 0; p < r; p++) e -= b[o * r + p] * c[p];
                res += e * e;
            }
            worst = Math.max(worst, Math.sqrt(res / Math.max(dn, 1e-12)));
        }
        return worst;
    }

    /** Gauss–Jordan with partial pivoting on the augmented r × (r+1) system. */
    static double[] solve(double[][] g, int r) {
        for (int c = 0; c < r; c++) {
            int piv = c;
            for (int i = c + 1; i < r; i++) if (Math.abs(g[i][c]) > Math.abs(g[piv][c])) piv = i;
            double[] tmp = g[c]; g[c] = g[piv]; g[piv] = tmp;
            if (Math.abs(g[c][c]) < 1e-12) continue;
            for (int i = 0; i < r; i++) {
                if (i == c) continue;
                double f = g[i][c] / g[c][c];
                for (int k = c; k <= r; k++) g[i][k] -= f * g[c][k];
            }
        }
        double[] x = new double[r];
        for (int i = 0; i < r; i++) x[i] = Math.abs(g[i][i]) < 1e-12 ? 0 : g[i][r] / g[i][i];
        return x;
    }
}
