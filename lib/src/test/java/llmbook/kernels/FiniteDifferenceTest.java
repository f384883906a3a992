package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every scalar backward against central finite differences of its scalar forward.
 *
 * <p>The loss is {@code L = Σ r ⊙ forward(x)} with a fixed random r, summed in double; its gradient is
 * what backward must produce from {@code dy = r}. With float forwards (≈1e-7 relative noise) and
 * h = 1e-2, the central difference has O(h²) ≈ 1e-4 truncation and ≈1e-5 rounding error, so we allow
 * 2e-3 absolute + 2e-3 relative.
 */
class FiniteDifferenceTest {
    private static final float H = 1e-2f;

    interface Forward { float[] apply(float[] x); }

    static float[] rand(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    static double loss(Forward f, float[] x, float[] r) {
        float[] y = f.apply(x);
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) r[i] * y[i];
        return s;
    }

    /** Checks {@code grad} (backward's dL/dx) against central differences of {@code f} around {@code x}. */
    static void check(String what, Forward f, float[] x, float[] r, float[] grad) {
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + H;
            double up = loss(f, x, r);
            x[i] = keep - H;
            double down = loss(f, x, r);
            x[i] = keep;
            double fd = (up - down) / (2 * H);
            assertEquals(fd, grad[i], 2e-3 + 2e-3 * Math.abs(fd), what + ": d/dx[" + i + "]");
        }
    }

    @Test
    void softmaxAndLogSoftmax() {
        Random rng = new Random(1);
        int rows = 3, cols = 5;
        float[] x = rand(rng, rows * cols), r = rand(rng, rows * cols);
        Forward sm = in -> { float[] y = new float[in.length]; Softmax.softmaxForwardScalar(y, 0, in, 0, rows, cols); return y; };
        Forward lsm = in -> { float[] y = new float[in.length]; Softmax.logSoftmaxForwardScalar(y, 0, in, 0, rows, cols); return y; };
        float[] dx = new float[x.length];
        Softmax.softmaxBackwardScalar(dx, 0, sm.apply(x), 0, r, 0, rows, cols);
        check("softmaxBackward", sm, x, r, dx);
        float[] dx2 = new float[x.length];
        Softmax.logSoftmaxBackwardScalar(dx2, 0, lsm.apply(x), 0, r, 0, rows, cols);
        check("logSoftmaxBackward", lsm, x, r, dx2);
    }

    @Test
    void layerNormInputWeightAndBias() {
        Random rng = new Random(2);
        int rows = 3, cols = 6;
        float[] x = rand(rng, rows * cols), w = rand(rng, cols), b = rand(rng, cols), r = rand(rng, rows * cols);
        float[] mean = new float[rows], rstd = new float[rows], y = new float[rows * cols];
        Norms.layerNormForwardScalar(y, 0, mean, rstd, x, 0, w, b, rows, cols, 1e-5f);
        float[] dx = new float[x.length], dw = new float[cols], db = new float[cols];
        Norms.layerNormBackwardScalar(dx, 0, dw, db, r, 0, x, 0, mean, rstd, w, rows, cols);
        check("layerNormBackward dx", in -> { float[] o = new float[in.length];
            Norms.layerNormForwardScalar(o, 0, new float[rows], new float[rows], in, 0, w, b, rows, cols, 1e-5f); return o; }, x, r, dx);
        check("layerNormBackward dw", in -> { float[] o = new float[x.length];
            Norms.layerNormForwardScalar(o, 0, new float[rows], new float[rows], x, 0, in, b, rows, cols, 1e-5f); return o; }, w, r, dw);
        check("layerNormBackward db", in -> { float[] o = new float[x.length];
            Norms.layerNormForwardScalar(o, 0, new float[rows], new float[rows], x, 0, w, in, rows, cols, 1e-5f); return o; }, b, r, db);
    }

    @Test
    void rmsNormInputAndWeight() {
        Random rng = new Random(3);
        int rows = 2, cols = 7;
        float[] x = rand(rng, rows * cols), w = rand(rng, cols), r = rand(rng, rows * cols);
        float[] rstd = new float[rows], y = new float[rows * cols];
        Norms.rmsNormForwardScalar(y, 0, rstd, x, 0, w, rows, cols, 1e-6f);
        float[] dx = new float[x.length], dw = new float[cols];
        Norms.rmsNormBackwardScalar(dx, 0, dw, r, 0, x, 0, rstd, w, rows, cols);
        check("rmsNormBackward dx", in -> { float[] o = new float[in.length];
            Norms.rmsNormForwardScalar(o, 0, new float[rows], in, 0, w, rows, cols, 1e-6f); return o; }, x, r, dx);
        check("rmsNormBackward dw", in -> { float[] o = new float[x.length];
            Norms.rmsNormForwardScalar(o, 0, new float[rows], x, 0, in, rows, cols, 1e-6f); return o; }, w, r, dw);
    }

    @Test
    void geluAndSilu() {
        Random rng = new Random(4);
        int n = 11;
        float[] x = rand(rng, n), r = rand(rng, n);
        float[] dx = new float[n];
        Activations.geluTanhBackwardScalar(dx, 0, x, 0, r, 0, n);
        check("geluTanhBackward", in -> { float[] o = new float[n]; Activations.geluTanhForwardScalar(o, 0, in, 0, n); return o; }, x, r, dx);
        float[] dx2 = new float[n];
        Activations.siluBackwardScalar(dx2, 0, x, 0, r, 0, n);
        check("siluBackward", in -> { float[] o = new float[n]; Activations.siluForwardScalar(o, 0, in, 0, n); return o; }, x, r, dx2);
    }

    @Test
    void matmulBackwardIsTwoTransposedMatmuls() {
        // Y = X·W (m×k · k×n): dX = dY·Wᵀ, dW = Xᵀ·dY — the identities the autograd layer uses.
        Random rng = new Random(5);
        int m = 3, k = 4, n = 5;
        float[] x = rand(rng, m * k), w = rand(rng, k * n), r = rand(rng, m * n);
        float[] dx = new float[m * k], dw = new float[k * n];
        MatMul.matmulScalar(dx, 0, r, 0, w, 0, m, n, k, false, true, true);
        MatMul.matmulScalar(dw, 0, x, 0, r, 0, k, m, n, true, false, true);
        check("matmul dX", in -> { float[] o = new float[m * n]; MatMul.matmulScalar(o, 0, in, 0, w, 0, m, k, n, false, false, false); return o; }, x, r, dx);
        check("matmul dW", in -> { float[] o = new float[m * n]; MatMul.matmulScalar(o, 0, x, 0, in, 0, m, k, n, false, false, false); return o; }, w, r, dw);
    }

    @Test
    void attentionQueryKeyValue() {
        Random rng = new Random(6);
        int T = 5, d = 3;
        float scale = (float) (1 / Math.sqrt(d));
        float[] q = rand(rng, T * d), k = rand(rng, T * d), v = rand(rng, T * d), r = rand(rng, T * d);
        float[] out = new float[T * d], lse = new float[T];
        Attention.causalForwardScalar(out, 0, lse, 0, q, 0, k, 0, v, 0, T, d, scale);
        float[] dq = new float[T * d], dk = new float[T * d], dv = new float[T * d];
        Attention.causalBackwardScalar(dq, 0, dk, 0, dv, 0, r, 0, q, 0, k, 0, v, 0, out, 0, lse, 0, T, d, scale);
        check("attention dq", in -> { float[] o = new float[T * d];
            Attention.causalForwardScalar(o, 0, new float[T], 0, in, 0, k, 0, v, 0, T, d, scale); return o; }, q, r, dq);
        check("attention dk", in -> { float[] o = new float[T * d];
            Attention.causalForwardScalar(o, 0, new float[T], 0, q, 0, in, 0, v, 0, T, d, scale); return o; }, k, r, dk);
        check("attention dv", in -> { float[] o = new float[T * d];
            Attention.causalForwardScalar(o, 0, new float[T], 0, q, 0, k, 0, in, 0, T, d, scale); return o; }, v, r, dv);
    }
}
