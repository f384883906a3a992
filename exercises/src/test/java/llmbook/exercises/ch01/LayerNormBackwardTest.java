package llmbook.exercises.ch01;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.kernels.Norms;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch01.layernorm_backward", title = "LayerNorm backward")
class LayerNormBackwardTest {
    static final float EPS = 1e-5f;

    private static final class Case {
        final int rows, cols;
        final float[] x, w, b, dy, y, mean, rstd;
        Case(int rows, int cols, long seed) {
            this.rows = rows; this.cols = cols;
            Random r = new Random(seed);
            x = rnd(r, rows * cols, 2); w = rnd(r, cols, 1); b = rnd(r, cols, 1); dy = rnd(r, rows * cols, 1);
            y = new float[rows * cols]; mean = new float[rows]; rstd = new float[rows];
            LayerNormBackward.forward(y, mean, rstd, x, w, b, rows, cols, EPS);
        }
        static float[] rnd(Random r, int n, double scale) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float) (scale * r.nextGaussian());
            return a;
        }
    }

    @Test
    @Points(value = 1, hint = "db is the column sum of dy; dw is the column sum of dy ⊙ x̂, where x̂ = (x − mean)·rstd")
    void weightAndBiasGradients() {
        // hand-worked: one row x = (1, 3): μ = 2, σ² = 1, x̂ ≈ (−1, 1); dy = (0.5, 2) → db = dy, dw ≈ (−0.5, 2)
        float[] y = new float[2], mean = new float[1], rstd = new float[1];
        float[] x = {1, 3}, w = {1, 1}, b = {0, 0}, dy = {0.5f, 2};
        LayerNormBackward.forward(y, mean, rstd, x, w, b, 1, 2, EPS);
        float[] dx = new float[2], dw = new float[2], db = new float[2];
        LayerNormBackward.backward(dx, dw, db, dy, x, mean, rstd, w, 1, 2);
        assertArrayEquals(new float[] {0.5f, 2f}, db, 1e-6f);
        assertArrayEquals(new float[] {-0.5f, 2f}, dw, 1e-4f);
    }

    @Test
    @Points(value = 1, hint = "shifting a whole row leaves LayerNorm unchanged, so each row of dx must sum to 0")
    void eachRowOfDxSumsToZero() {
        Case c = new Case(4, 9, 1);
        float[] dx = new float[c.x.length];
        LayerNormBackward.backward(dx, new float[c.cols], new float[c.cols], c.dy, c.x, c.mean, c.rstd, c.w, c.rows, c.cols);
        for (int r = 0; r < c.rows; r++) {
            double s = 0, a = 0;
            for (int j = 0; j < c.cols; j++) { s += dx[r * c.cols + j]; a += Math.abs(dx[r * c.cols + j]); }
            assertEquals(0, s, 1e-4, "row " + r);
            assertEquals(true, a > 1e-3, "row " + r + " of dx is all zeros");
        }
    }

    @Test
    @Points(value = 3, hint = "dx: the mean and the variance of a row depend on every x of the row; check your derivation against finite differences of Σ dy·y")
    void dxMatchesFiniteDifferences() {
        Case c = new Case(3, 7, 2);
        float[] dx = new float[c.x.length];
        LayerNormBackward.backward(dx, new float[c.cols], new float[c.cols], c.dy, c.x, c.mean, c.rstd, c.w, c.rows, c.cols);
        double[] xd = new double[c.x.length];
        for (int i = 0; i < xd.length; i++) xd[i] = c.x[i];
        double h = 1e-5;
        for (int k = 0; k < xd.length; k++) {
            double o = xd[k];
            xd[k] = o + h; double lp = projected(xd, c);
            xd[k] = o - h; double lm = projected(xd, c);
            xd[k] = o;
            assertEquals((lp - lm) / (2 * h), dx[k], 2e-3, "dx[" + k + "]");
        }
    }

    @Test
    @Points(value = 1, hint = "compare with llmbook.kernels.Norms.layerNormBackwardScalar; gradients are ADDED (+=), not assigned")
    void agreesWithTheLibraryAndAccumulates() {
        Case c = new Case(5, 16, 3);
        float[] dx = new float[c.x.length], dw = new float[c.cols], db = new float[c.cols];
        java.util.Arrays.fill(dx, 1f); java.util.Arrays.fill(dw, 1f); java.util.Arrays.fill(db, 1f);
        float[] rdx = dx.clone(), rdw = dw.clone(), rdb = db.clone();
        LayerNormBackward.backward(dx, dw, db, c.dy, c.x, c.mean, c.rstd, c.w, c.rows, c.cols);
        Norms.layerNormBackwardScalar(rdx, 0, rdw, rdb, c.dy, 0, c.x, 0, c.mean, c.rstd, c.w, c.rows, c.cols);
        assertArrayEquals(rdx, dx, 1e-4f, "dx");
        assertArrayEquals(rdw, dw, 1e-4f, "dw");
        assertArrayEquals(rdb, db, 1e-4f, "db");
    }

    /** Σ dy·LayerNorm(x) in double. */
    private static double projected(double[] x, Case c) {
        double s = 0;
        for (int r = 0; r < c.rows; r++) {
            double m = 0, v = 0;
            for (int j = 0; j < c.cols; j++) m += x[r * c.cols + j];
            m /= c.cols;
            for (int j = 0; j < c.cols; j++) v += (x[r * c.cols + j] - m) * (x[r * c.cols + j] - m);
            v /= c.cols;
            double rs = 1 / Math.sqrt(v + EPS);
            for (int j = 0; j < c.cols; j++) s += c.dy[r * c.cols + j] * ((x[r * c.cols + j] - m) * rs * c.w[j] + c.b[j]);
        }
        return s;
    }
}
