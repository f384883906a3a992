package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every row/elementwise Vector API kernel against its scalar twin, forward and backward, at awkward sizes,
 * with 1 and 2 threads. Tolerance: 1e-5 relative plus 1e-6 absolute — the vector paths use the vector exp/tanh,
 * within a few float ulps; the absolute part covers outputs that cancel to near zero. Where an output is a sum
 * of N terms taken in a different order (four accumulators, then lanes), the two float sums can differ by up to
 * 2γ_N·Σ|terms| with γ_N ≈ N·2⁻²⁴ (the scalar twin's own error is of that size), so those checks add that bound:
 * log-softmax (N = cols, inside a log, so the bound is absolute), the softmax backwards (N = cols) and the
 * weight/bias gradients (N = rows).
 */
class VectorTwinTest {
    static final int[] SIZES = {1, 3, 7, 17, 31, 33, 127, 257};
    /** rows × cols pairs; the last one is big enough (> 2^17 elements) that two threads really split it. */
    static final int[][] SHAPES = {{1, 1}, {3, 7}, {7, 17}, {17, 31}, {2, 33}, {5, 127}, {3, 257}, {31, 100}, {129, 1031}};

    @AfterEach
    void restore() { Kernels.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] rand(Random rng, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian() * scale;
        return a;
    }

    static void close(String what, float[] want, float[] got) { close(what, want, got, 0); }

    static double gamma(int n) { return (n + 2) * Math.ulp(1f) / 2; }

    /** Σ_rows |a[r][j]·b[r][j]| per column j: the magnitude of the terms summed into dw (b = x̂) or db (b = 1). */
    static double maxColumnAbsSum(float[] a, float[] b, int off, int rows, int cols) {
        double max = 0;
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += Math.abs(a[off + r * cols + j] * (b == null ? 1f : b[off + r * cols + j]));
            max = Math.max(max, s);
        }
        return max;
    }

    static void close(String what, float[] want, float[] got, double abs) {
        for (int i = 0; i < want.length; i++) {
            double tol = 1e-5 * Math.abs(want[i]) + 1e-6 + abs;
            if (!(Math.abs(want[i] - got[i]) <= tol))
                fail(what + ": element " + i + " scalar " + want[i] + " vector " + got[i] + " (tolerance " + tol + ")");
        }
    }

    static float[] ones(int n) { float[] o = new float[n]; java.util.Arrays.fill(o, 1f); return o; }

    interface Case { void run(int threads); }

    static void forThreads(Case c) {
        for (int t = 1; t <= 2; t++) { Kernels.setThreads(t); c.run(t); }
    }

    @Test
    void softmaxForwardAndBackward() {
        Random rng = new Random(1);
        for (int[] s : SHAPES) forThreads(t -> {
            int rows = s[0], cols = s[1], n = rows * cols;
            String at = " rows=" + rows + " cols=" + cols + " threads=" + t;
            float[] x = rand(rng, n + 1, 3f), dy = rand(rng, n + 1, 1f), dx0 = rand(rng, n + 1, 1f);
            float[] ys = new float[n + 1], yv = new float[n + 1];
            Softmax.softmaxForwardScalar(ys, 1, x, 1, rows, cols);
            Softmax.softmaxForward(yv, 1, x, 1, rows, cols);
            close("softmaxForward" + at, ys, yv);
            float[] dxs = dx0.clone(), dxv = dx0.clone();
            Softmax.softmaxBackwardScalar(dxs, 1, ys, 1, dy, 1, rows, cols);
            Softmax.softmaxBackward(dxv, 1, ys, 1, dy, 1, rows, cols);
            close("softmaxBackward" + at, dxs, dxv, 2 * gamma(cols) * 5);  // Σ|dy·y| ≤ max|dy| < 5 for these inputs
            Softmax.logSoftmaxForwardScalar(ys, 1, x, 1, rows, cols);
            Softmax.logSoftmaxForward(yv, 1, x, 1, rows, cols);
            close("logSoftmaxForward" + at, ys, yv, 4 * gamma(cols) * (1 + Math.log(cols)));
            dxs = dx0.clone(); dxv = dx0.clone();
            Softmax.logSoftmaxBackwardScalar(dxs, 1, ys, 1, dy, 1, rows, cols);
            Softmax.logSoftmaxBackward(dxv, 1, ys, 1, dy, 1, rows, cols);
            double rowAbs = 0; // the largest Σ|dy| over a row: the sum subtracted in log-softmax backward
            for (int r = 0; r < rows; r++) { double a = 0; for (int j = 0; j < cols; j++) a += Math.abs(dy[1 + r * cols + j]); rowAbs = Math.max(rowAbs, a); }
            close("logSoftmaxBackward" + at, dxs, dxv, 2 * gamma(cols) * rowAbs);
        });
    }

    @Test
    void layerNormBackwardIsTheSameBitsOnOneAndTwoThreads() {
        Random rng = new Random(21);
        for (int[] s : new int[][] {{129, 1031}, {2048, 128}, {300, 127}}) {
            int rows = s[0], cols = s[1], n = rows * cols;
            float[] x = rand(rng, n, 2f), dy = rand(rng, n, 1f), w = rand(rng, cols, 1f), b = rand(rng, cols, 1f);
            float[] mean = new float[rows], rstd = new float[rows], y = new float[n];
            Norms.layerNormForward(y, 0, mean, rstd, x, 0, w, b, rows, cols, 1e-5f);
            float[][] out = new float[2][];
            for (int t = 1; t <= 2; t++) {
                Kernels.setThreads(t);
                float[] dx = rand(new Random(3), n, 1f), dw = rand(new Random(4), cols, 1f), db = rand(new Random(5), cols, 1f);
                Norms.layerNormBackward(dx, 0, dw, db, dy, 0, x, 0, mean, rstd, w, rows, cols);
                float[] all = java.util.Arrays.copyOf(dx, n + 2 * cols);
                System.arraycopy(dw, 0, all, n, cols);
                System.arraycopy(db, 0, all, n + cols, cols);
                out[t - 1] = all;
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(out[0], out[1], "layerNormBackward rows=" + rows + " cols=" + cols);
        }
    }

    @Test
    void normsForwardAndBackward() {
        Random rng = new Random(2);
        for (int[] s : SHAPES) forThreads(t -> {
            int rows = s[0], cols = s[1], n = rows * cols;
            String at = " rows=" + rows + " cols=" + cols + " threads=" + t;
            float[] x = rand(rng, n + 2, 2f), dy = rand(rng, n + 2, 1f), w = rand(rng, cols, 1f), b = rand(rng, cols, 1f);
            for (boolean bias : new boolean[]{true, false}) {
                float[] ys = new float[n + 2], yv = new float[n + 2];
                float[] ms = new float[rows], rs = new float[rows], mv = new float[rows], rv = new float[rows];
                Norms.layerNormForwardScalar(ys, 2, ms, rs, x, 2, w, bias ? b : null, rows, cols, 1e-5f);
                Norms.layerNormForward(yv, 2, mv, rv, x, 2, w, bias ? b : null, rows, cols, 1e-5f);
                close("layerNormForward y" + at, ys, yv);
                close("layerNormForward mean" + at, ms, mv);
                close("layerNormForward rstd" + at, rs, rv);
                float[] dxs = new float[n + 2], dxv = new float[n + 2], dws = new float[cols], dwv = new float[cols];
                float[] dbs = bias ? new float[cols] : null, dbv = bias ? new float[cols] : null;
                Norms.layerNormBackwardScalar(dxs, 2, dws, dbs, dy, 2, x, 2, ms, rs, w, rows, cols);
                Norms.layerNormBackward(dxv, 2, dwv, dbv, dy, 2, x, 2, ms, rs, w, rows, cols);
                close("layerNormBackward dx" + at, dxs, dxv);
                float[] xhat = new float[n + 2];
                Norms.layerNormForwardScalar(xhat, 2, new float[rows], new float[rows], x, 2, ones(cols), null, rows, cols, 1e-5f);
                close("layerNormBackward dw" + at, dws, dwv, 2 * gamma(rows) * maxColumnAbsSum(dy, xhat, 2, rows, cols));
                if (bias) close("layerNormBackward db" + at, dbs, dbv, 2 * gamma(rows) * maxColumnAbsSum(dy, null, 2, rows, cols));
            }
            float[] ys = new float[n + 2], yv = new float[n + 2], rs = new float[rows], rv = new float[rows];
            Norms.rmsNormForwardScalar(ys, 2, rs, x, 2, w, rows, cols, 1e-6f);
            Norms.rmsNormForward(yv, 2, rv, x, 2, w, rows, cols, 1e-6f);
            close("rmsNormForward" + at, ys, yv);
            close("rmsNormForward rstd" + at, rs, rv);
            float[] dxs = new float[n + 2], dxv = new float[n + 2], dws = new float[cols], dwv = new float[cols];
            Norms.rmsNormBackwardScalar(dxs, 2, dws, dy, 2, x, 2, rs, w, rows, cols);
            Norms.rmsNormBackward(dxv, 2, dwv, dy, 2, x, 2, rs, w, rows, cols);
            close("rmsNormBackward dx" + at, dxs, dxv);
            float[] xhat = new float[n + 2];
            Norms.rmsNormForwardScalar(xhat, 2, new float[rows], x, 2, ones(cols), rows, cols, 1e-6f);
            close("rmsNormBackward dw" + at, dws, dwv, 2 * gamma(rows) * maxColumnAbsSum(dy, xhat, 2, rows, cols));
        });
    }

    @Test
    void activationsForwardAndBackward() {
        Random rng = new Random(3);
        int[] sizes = java.util.Arrays.copyOf(SIZES, SIZES.length + 1);
        sizes[SIZES.length] = 200_003;
        for (int n : sizes) forThreads(t -> {
            String at = " n=" + n + " threads=" + t;
            float[] x = rand(rng, n + 3, 3f), dy = rand(rng, n + 3, 1f), dx0 = rand(rng, n + 3, 1f);
            float[] ys = new float[n + 3], yv = new float[n + 3];
            Activations.geluTanhForwardScalar(ys, 3, x, 3, n);
            Activations.geluTanhForward(yv, 3, x, 3, n);
            close("geluTanhForward" + at, ys, yv);
            Activations.geluErfForwardScalar(ys, 3, x, 3, n);
            Activations.geluErfForward(yv, 3, x, 3, n);
            close("geluErfForward" + at, ys, yv);
            float[] dxs = dx0.clone(), dxv = dx0.clone();
            Activations.geluTanhBackwardScalar(dxs, 3, x, 3, dy, 3, n);
            Activations.geluTanhBackward(dxv, 3, x, 3, dy, 3, n);
            close("geluTanhBackward" + at, dxs, dxv);
            Activations.siluForwardScalar(ys, 3, x, 3, n);
            Activations.siluForward(yv, 3, x, 3, n);
            close("siluForward" + at, ys, yv);
            dxs = dx0.clone(); dxv = dx0.clone();
            Activations.siluBackwardScalar(dxs, 3, x, 3, dy, 3, n);
            Activations.siluBackward(dxv, 3, x, 3, dy, 3, n);
            close("siluBackward" + at, dxs, dxv);
        });
    }

    /**
     * GELU's forward may keep tanh(u) for the backward: the forward keeping it has the bits of the one that does not,
     * and the backward given those values has exactly the bits of the one that computes them again (vector kernel and
     * scalar twin; sizes with vector tails, and large enough to split over threads).
     */
    @Test
    void geluBackwardFromTheForwardsSlopeHasTheRecomputedBits() {
        Random rng = new Random(11);
        for (int n : new int[] {1, 17, 33, 1000, (1 << 17) + 21})
            for (int t : new int[] {1, 2})
                for (boolean vector : new boolean[] {true, false}) {
                    Kernels.setThreads(t);
                    String at = " n=" + n + " threads=" + t + (vector ? " vector" : " scalar");
                    float[] x = rand(rng, n + 3, 3f), dy = rand(rng, n + 3, 1f), dx0 = rand(rng, n + 3, 1f);
                    float[] y0 = new float[n + 3], y1 = new float[n + 3], slope = new float[n];
                    if (vector) { Activations.geluTanhForward(y0, 3, x, 3, n); Activations.geluTanhForward(y1, 3, x, 3, n, slope); }
                    else { Activations.geluTanhForwardScalar(y0, 3, x, 3, n); Activations.geluTanhForwardScalar(y1, 3, x, 3, n, slope); }
                    assertArrayEquals(y0, y1, 0f, "forward" + at);
                    for (int i = 0; i < n; i += Math.max(1, n / 50)) {      // dy/dx against a central difference in double
                        double v = x[3 + i], h = 1e-4;
                        double d = (geluD(v + h) - geluD(v - h)) / (2 * h);
                        assertTrue(Math.abs(slope[i] - d) < 1e-5, "slope kept at " + i + ": " + slope[i] + " vs " + d + at);
                    }
                    float[] dxa = dx0.clone(), dxb = dx0.clone();
                    if (vector) { Activations.geluTanhBackward(dxa, 3, x, 3, dy, 3, n); Activations.geluTanhBackwardFromSlope(dxb, 3, dy, 3, n, slope, true); }
                    else { Activations.geluTanhBackwardScalar(dxa, 3, x, 3, dy, 3, n); Activations.geluTanhBackwardFromSlopeScalar(dxb, 3, dy, 3, n, slope, true); }
                    assertArrayEquals(dxa, dxb, 0f, "backward" + at);
                }
        Kernels.setThreads(1);
        var e = assertThrows(IllegalArgumentException.class, () -> Activations.geluTanhForward(new float[8], 0, new float[8], 0, 8, new float[7]));
        assertTrue(e.getMessage().contains("slope") && e.getMessage().contains("n=8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activations.geluTanhBackwardFromSlope(new float[8], 0, new float[8], 0, 8, new float[7], true));
        assertTrue(e.getMessage().contains("slope") && e.getMessage().contains("n=8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activations.geluTanhBackwardFromSlope(new float[8], 0, new float[6], 0, 8, new float[8], true));
        assertTrue(e.getMessage().contains("dy") && e.getMessage().contains("n=8"), e.getMessage());
    }

    private static double geluD(double v) { return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))); }

    /** GELU backward writing a new gradient (add = false) over garbage gives the bits of adding into zeros. */
    @Test
    void geluBackwardWritingEqualsAddingIntoZeros() {
        Random rng = new Random(15);
        for (boolean vector : new boolean[] {true, false})
            for (int n : new int[] {1, 37, 4096 + 5, 1 << 20}) {
                Kernels.useVector(vector);
                float[] x = rand(rng, n, 2f), dy = rand(rng, n, 1f), y = new float[n], slope = new float[n];
                Activations.geluTanhForward(y, 0, x, 0, n, slope);
                float[] added = new float[n], written = rand(rng, n, 5f);
                Activations.geluTanhBackwardFromSlope(added, 0, dy, 0, n, slope, true);
                Activations.geluTanhBackwardFromSlope(written, 0, dy, 0, n, slope, false);
                assertArrayEquals(added, written, "n=" + n + " vector=" + vector);
            }
        Kernels.useVector(true);
    }

    /** All tensors in one region: the bits of step tensor by tensor, on 1 and 2 threads; the scalar twin likewise. */
    @Test
    void adamWStepAllIsStepTensorByTensor() {
        Random rng = new Random(14);
        int[] n = {70000, 3, 16384, 129, 40000};
        float[] wd = {0.1f, 0f, 0.1f, 0f, 0.05f};
        for (boolean vector : new boolean[] {true, false})
            for (int threads = 1; threads <= 2; threads++) {
                Kernels.useVector(vector);
                Kernels.setThreads(threads);
                float[][] p = new float[5][], g = new float[5][], m = new float[5][], v = new float[5][];
                float[][] p2 = new float[5][], m2 = new float[5][], v2 = new float[5][];
                for (int i = 0; i < 5; i++) {
                    p[i] = rand(rng, n[i], 1f); g[i] = rand(rng, n[i], 1f); m[i] = rand(rng, n[i], 0.1f); v[i] = new float[n[i]];
                    for (int j = 0; j < n[i]; j++) v[i][j] = Math.abs(rng.nextFloat()) * 0.01f;
                    p2[i] = p[i].clone(); m2[i] = m[i].clone(); v2[i] = v[i].clone();
                }
                for (int t = 1; t <= 2; t++) {
                    AdamW.stepAll(p, g, m, v, n, wd, 1e-3f, 0.9f, 0.95f, 1e-8f, t);
                    for (int i = 0; i < 5; i++) AdamW.step(p2[i], g[i], m2[i], v2[i], 0, n[i], 1e-3f, 0.9f, 0.95f, 1e-8f, wd[i], t);
                }
                for (int i = 0; i < 5; i++) {
                    String at = " tensor " + i + " vector=" + vector + " threads=" + threads;
                    assertArrayEquals(p2[i], p[i], "p" + at);
                    assertArrayEquals(m2[i], m[i], "m" + at);
                    assertArrayEquals(v2[i], v[i], "v" + at);
                }
            }
        Kernels.useVector(true);
        var e = assertThrows(IllegalArgumentException.class, () -> AdamW.stepAll(new float[2][4], new float[2][4], new float[2][4],
                new float[2][4], new int[] {4, 5}, new float[2], 1e-3f, 0.9f, 0.95f, 1e-8f, 1));
        assertTrue(e.getMessage().contains("tensor 1") && e.getMessage().contains("n=5"), e.getMessage());
    }

    @Test
    void adamW() {
        Random rng = new Random(4);
        for (int n : SIZES) {
            float[] p = rand(rng, n + 2, 1f), g = rand(rng, n + 2, 1f), m = rand(rng, n + 2, 0.1f), v = new float[n + 2];
            for (int i = 0; i < v.length; i++) v[i] = Math.abs(rng.nextFloat()) * 0.01f;
            float[] ps = p.clone(), ms = m.clone(), vs = v.clone(), pv = p.clone(), mv = m.clone(), vv = v.clone();
            for (int t = 1; t <= 3; t++) {
                AdamW.stepScalar(ps, g, ms, vs, 2, n, 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, t);
                AdamW.step(pv, g, mv, vv, 2, n, 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, t);
            }
            close("AdamW.step p n=" + n, ps, pv);
            close("AdamW.step m n=" + n, ms, mv);
            close("AdamW.step v n=" + n, vs, vv);
        }
    }

    @Test
    void oneThreadIsBitwiseReproducible() {
        Random rng = new Random(5);
        int rows = 64, cols = 4099;
        float[] x = rand(rng, rows * cols, 2f), w = rand(rng, cols, 1f), b = rand(rng, cols, 1f);
        Kernels.setThreads(1);
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            float[] y = new float[rows * cols];
            Softmax.softmaxForward(y, 0, x, 0, rows, cols);
            Norms.layerNormForward(y, 0, new float[rows], new float[rows], y, 0, w, b, rows, cols, 1e-5f);
            Activations.geluTanhForward(y, 0, y, 0, y.length);
            runs[r] = y;
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void badArgumentsNameTheKernelArrayAndSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxForward(new float[5], 0, new float[6], 0, 2, 3));
        assertTrue(e.getMessage().contains("Softmax.softmaxForward") && e.getMessage().contains("array y") && e.getMessage().contains("length 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Norms.layerNormForward(new float[6], 0, new float[1], new float[2], new float[6], 0, new float[3], null, 2, 3, 1e-5f));
        assertTrue(e.getMessage().contains("Norms.layerNormForward") && e.getMessage().contains("mean"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activations.geluTanhForward(new float[4], 0, new float[4], 0, -1));
        assertTrue(e.getMessage().contains("Activations.geluTanhForward") && e.getMessage().contains("n=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AdamW.step(new float[4], new float[4], new float[3], new float[4], 1, 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1));
        assertTrue(e.getMessage().contains("AdamW.step") && e.getMessage().contains("array m"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Attention.causalForward(new float[6], 0, new float[3], new float[6], 0, new float[6], 0, new float[5], 0, 3, 2, 1f));
        assertTrue(e.getMessage().contains("Attention.causalForward") && e.getMessage().contains("array v"), e.getMessage());
    }
}
