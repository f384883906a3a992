package llmbook.kernels;

/**
 * LayerNorm and RMSNorm over the last axis of a rows×cols matrix, forward saving what backward needs. Q10.
 *
 * <p>LayerNorm: {@code μ = mean(x)}, {@code σ² = mean((x−μ)²)} (biased), {@code rstd = 1/√(σ²+ε)},
 * {@code x̂ = (x−μ)·rstd}, {@code y = x̂ ⊙ w + b}. Backward (accumulating), with {@code g = dy ⊙ w}:
 * {@code db += Σ_rows dy}, {@code dw += Σ_rows dy ⊙ x̂}, {@code dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂))}.
 *
 * <p>RMSNorm: {@code rstd = 1/√(mean(x²)+ε)}, {@code y = x·rstd ⊙ w}. Backward, with {@code x̂ = x·rstd},
 * {@code g = dy ⊙ w}: {@code dw += Σ_rows dy ⊙ x̂}, {@code dx += rstd · (g − x̂ · mean(g ⊙ x̂))}.
 *
 * <p>{@code mean} and {@code rstd} are arrays of length ≥ rows (offset 0), written by forward and read by backward.
 * {@code w} and {@code b} (and {@code dw}, {@code db}) have length ≥ cols. {@code b} and {@code db} may be null (no bias).
 */
public final class Norms {
    private Norms() {}

    public static void layerNormForward(float[] y, int yOff, float[] mean, float[] rstd, float[] x, int xOff,
                                        float[] w, float[] b, int rows, int cols, float eps) {
        checkLnF("Norms.layerNormForward", y, yOff, mean, rstd, x, xOff, w, b, rows, cols);
        if (Kernels.usingVector()) NormsVector.layerNormForward(y, yOff, mean, rstd, x, xOff, w, b, rows, cols, eps);
        else layerNormForwardUnchecked(y, yOff, mean, rstd, x, xOff, w, b, rows, cols, eps);
    }

    public static void layerNormBackward(float[] dx, int dxOff, float[] dw, float[] db, float[] dy, int dyOff,
                                         float[] x, int xOff, float[] mean, float[] rstd, float[] w, int rows, int cols) {
        checkLnB("Norms.layerNormBackward", dx, dxOff, dw, db, dy, dyOff, x, xOff, mean, rstd, w, rows, cols);
        if (Kernels.usingVector()) NormsVector.layerNormBackward(dx, dxOff, dw, db, dy, dyOff, x, xOff, mean, rstd, w, rows, cols);
        else layerNormBackwardUnchecked(dx, dxOff, dw, db, dy, dyOff, x, xOff, mean, rstd, w, rows, cols);
    }

    public static void rmsNormForward(float[] y, int yOff, float[] rstd, float[] x, int xOff, float[] w, int rows, int cols, float eps) {
        checkRmsF("Norms.rmsNormForward", y, yOff, rstd, x, xOff, w, rows, cols);
        if (Kernels.usingVector()) NormsVector.rmsNormForward(y, yOff, rstd, x, xOff, w, rows, cols, eps);
        else rmsNormForwardUnchecked(y, yOff, rstd, x, xOff, w, rows, cols, eps);
    }

    public static void rmsNormBackward(float[] dx, int dxOff, float[] dw, float[] dy, int dyOff, float[] x, int xOff,
                                       float[] rstd, float[] w, int rows, int cols) {
        checkRmsB("Norms.rmsNormBackward", dx, dxOff, dw, dy, dyOff, x, xOff, rstd, w, rows, cols);
        if (Kernels.usingVector()) NormsVector.rmsNormBackward(dx, dxOff, dw, dy, dyOff, x, xOff, rstd, w, rows, cols);
        else rmsNormBackwardUnchecked(dx, dxOff, dw, dy, dyOff, x, xOff, rstd, w, rows, cols);
    }

    // ---- scalar twins ----

    public static void layerNormForwardScalar(float[] y, int yOff, float[] mean, float[] rstd, float[] x, int xOff,
                                              float[] w, float[] b, int rows, int cols, float eps) {
        checkLnF("Norms.layerNormForwardScalar", y, yOff, mean, rstd, x, xOff, w, b, rows, cols);
        layerNormForwardUnchecked(y, yOff, mean, rstd, x, xOff, w, b, rows, cols, eps);
    }

    public static void layerNormBackwardScalar(float[] dx, int dxOff, float[] dw, float[] db, float[] dy, int dyOff,
                                               float[] x, int xOff, float[] mean, float[] rstd, float[] w, int rows, int cols) {
        checkLnB("Norms.layerNormBackwardScalar", dx, dxOff, dw, db, dy, dyOff, x, xOff, mean, rstd, w, rows, cols);
        layerNormBackwardUnchecked(dx, dxOff, dw, db, dy, dyOff, x, xOff, mean, rstd, w, rows, cols);
    }

    public static void rmsNormForwardScalar(float[] y, int yOff, float[] rstd, float[] x, int xOff, float[] w, int rows, int cols, float eps) {
        checkRmsF("Norms.rmsNormForwardScalar", y, yOff, rstd, x, xOff, w, rows, cols);
        rmsNormForwardUnchecked(y, yOff, rstd, x, xOff, w, rows, cols, eps);
    }

    public static void rmsNormBackwardScalar(float[] dx, int dxOff, float[] dw, float[] dy, int dyOff, float[] x, int xOff,
                                             float[] rstd, float[] w, int rows, int cols) {
        checkRmsB("Norms.rmsNormBackwardScalar", dx, dxOff, dw, dy, dyOff, x, xOff, rstd, w, rows, cols);
        rmsNormBackwardUnchecked(dx, dxOff, dw, dy, dyOff, x, xOff, rstd, w, rows, cols);
    }

    private static void layerNormForwardUnchecked(float[] y, int yOff, float[] mean, float[] rstd, float[] x, int xOff,
                                                  float[] w, float[] b, int rows, int cols, float eps) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, yo = yOff + r * cols;
            float s = 0f;
            for (int j = 0; j < cols; j++) s += x[xo + j];
            float mu = s / cols;
            float v = 0f;
            for (int j = 0; j < cols; j++) { float d = x[xo + j] - mu; v += d * d; }
            float rs = (float) (1.0 / Math.sqrt(v / cols + eps));
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < cols; j++) y[yo + j] = (x[xo + j] - mu) * rs * w[j] + (b == null ? 0f : b[j]);
        }
    }

    private static void layerNormBackwardUnchecked(float[] dx, int dxOff, float[] dw, float[] db, float[] dy, int dyOff,
                                                   float[] x, int xOff, float[] mean, float[] rstd, float[] w, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, go = dyOff + r * cols, dxo = dxOff + r * cols;
            float mu = mean[r], rs = rstd[r];
            float sumG = 0f, sumGx = 0f;
            for (int j = 0; j < cols; j++) {
                float xh = (x[xo + j] - mu) * rs;
                float g = dy[go + j] * w[j];
                sumG += g;
                sumGx += g * xh;
            }
            float mG = sumG / cols, mGx = sumGx / cols;
            for (int j = 0; j < cols; j++) {
                float xh = (x[xo + j] - mu) * rs;
                float g = dy[go + j] * w[j];
                if (db != null) db[j] += dy[go + j];
                dw[j] += dy[go + j] * xh;
                dx[dxo + j] += rs * (g - mG - xh * mGx);
            }
        }
    }

    private static void rmsNormForwardUnchecked(float[] y, int yOff, float[] rstd, float[] x, int xOff, float[] w, int rows, int cols, float eps) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, yo = yOff + r * cols;
            float ss = 0f;
            for (int j = 0; j < cols; j++) ss += x[xo + j] * x[xo + j];
            float rs = (float) (1.0 / Math.sqrt(ss / cols + eps));
            rstd[r] = rs;
            for (int j = 0; j < cols; j++) y[yo + j] = x[xo + j] * rs * w[j];
        }
    }

    private static void rmsNormBackwardUnchecked(float[] dx, int dxOff, float[] dw, float[] dy, int dyOff, float[] x, int xOff,
                                                 float[] rstd, float[] w, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, go = dyOff + r * cols, dxo = dxOff + r * cols;
            float rs = rstd[r];
            float sumGx = 0f;
            for (int j = 0; j < cols; j++) sumGx += dy[go + j] * w[j] * x[xo + j] * rs;
            float mGx = sumGx / cols;
            for (int j = 0; j < cols; j++) {
                float xh = x[xo + j] * rs;
                dw[j] += dy[go + j] * xh;
                dx[dxo + j] += rs * (dy[go + j] * w[j] - xh * mGx);
            }
        }
    }

    // ---- checks ----

    private static void rowsCols(String k, int rows, int cols) {
        Kernels.checkDim(k, "rows", rows);
        Kernels.checkDim(k, "cols", cols);
    }

    private static String rc(String name, int rows, int cols) { return name + " (rows×cols=" + rows + "×" + cols + ")"; }

    static void checkLnF(String k, float[] y, int yOff, float[] mean, float[] rstd, float[] x, int xOff, float[] w, float[] b, int rows, int cols) {
        rowsCols(k, rows, cols);
        if (Kernels.outside(y, yOff, (long) rows * cols)) Kernels.checkArray(k, rc("y", rows, cols), y, yOff, (long) rows * cols);
        if (Kernels.outside(x, xOff, (long) rows * cols)) Kernels.checkArray(k, rc("x", rows, cols), x, xOff, (long) rows * cols);
        if (Kernels.outside(mean, 0, rows)) Kernels.checkArray(k, "mean (rows=" + rows + ")", mean, 0, rows);
        if (Kernels.outside(rstd, 0, rows)) Kernels.checkArray(k, "rstd (rows=" + rows + ")", rstd, 0, rows);
        if (Kernels.outside(w, 0, cols)) Kernels.checkArray(k, "w (cols=" + cols + ")", w, 0, cols);
        if (b != null) if (Kernels.outside(b, 0, cols)) Kernels.checkArray(k, "b (cols=" + cols + ")", b, 0, cols);
    }

    static void checkLnB(String k, float[] dx, int dxOff, float[] dw, float[] db, float[] dy, int dyOff, float[] x, int xOff,
                         float[] mean, float[] rstd, float[] w, int rows, int cols) {
        rowsCols(k, rows, cols);
        if (Kernels.outside(dx, dxOff, (long) rows * cols)) Kernels.checkArray(k, rc("dx", rows, cols), dx, dxOff, (long) rows * cols);
        if (Kernels.outside(dy, dyOff, (long) rows * cols)) Kernels.checkArray(k, rc("dy", rows, cols), dy, dyOff, (long) rows * cols);
        if (Kernels.outside(x, xOff, (long) rows * cols)) Kernels.checkArray(k, rc("x", rows, cols), x, xOff, (long) rows * cols);
        if (Kernels.outside(mean, 0, rows)) Kernels.checkArray(k, "mean (rows=" + rows + ")", mean, 0, rows);
        if (Kernels.outside(rstd, 0, rows)) Kernels.checkArray(k, "rstd (rows=" + rows + ")", rstd, 0, rows);
        if (Kernels.outside(w, 0, cols)) Kernels.checkArray(k, "w (cols=" + cols + ")", w, 0, cols);
        if (Kernels.outside(dw, 0, cols)) Kernels.checkArray(k, "dw (cols=" + cols + ")", dw, 0, cols);
        if (db != null) if (Kernels.outside(db, 0, cols)) Kernels.checkArray(k, "db (cols=" + cols + ")", db, 0, cols);
    }

    static void checkRmsF(String k, float[] y, int yOff, float[] rstd, float[] x, int xOff, float[] w, int rows, int cols) {
        rowsCols(k, rows, cols);
        if (Kernels.outside(y, yOff, (long) rows * cols)) Kernels.checkArray(k, rc("y", rows, cols), y, yOff, (long) rows * cols);
        if (Kernels.outside(x, xOff, (long) rows * cols)) Kernels.checkArray(k, rc("x", rows, cols), x, xOff, (long) rows * cols);
        if (Kernels.outside(rstd, 0, rows)) Kernels.checkArray(k, "rstd (rows=" + rows + ")", rstd, 0, rows);
        if (Kernels.outside(w, 0, cols)) Kernels.checkArray(k, "w (cols=" + cols + ")", w, 0, cols);
    }

    static void checkRmsB(String k, float[] dx, int dxOff, float[] dw, float[] dy, int dyOff, float[] x, int xOff,
                          float[] rstd, float[] w, int rows, int cols) {
        rowsCols(k, rows, cols);
        if (Kernels.outside(dx, dxOff, (long) rows * cols)) Kernels.checkArray(k, rc("dx", rows, cols), dx, dxOff, (long) rows * cols);
        if (Kernels.outside(dy, dyOff, (long) rows * cols)) Kernels.checkArray(k, rc("dy", rows, cols), dy, dyOff, (long) rows * cols);
        if (Kernels.outside(x, xOff, (long) rows * cols)) Kernels.checkArray(k, rc("x", rows, cols), x, xOff, (long) rows * cols);
        if (Kernels.outside(rstd, 0, rows)) Kernels.checkArray(k, "rstd (rows=" + rows + ")", rstd, 0, rows);
        if (Kernels.outside(w, 0, cols)) Kernels.checkArray(k, "w (cols=" + cols + ")", w, 0, cols);
        if (Kernels.outside(dw, 0, cols)) Kernels.checkArray(k, "dw (cols=" + cols + ")", dw, 0, cols);
    }
}
