package llmbook.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API LayerNorm / RMSNorm. Forwards split rows across threads (each row's arithmetic is fixed, so the
 * result does not depend on the thread count); backwards run on one thread because every row adds into the
 * same dw and db, and a fixed row order keeps those sums reproducible.
 */
final class NormsVector {
    private NormsVector() {}

    private static final int L = Vec.L;

    static void layerNormForward(float[] y, int yOff, float[] mean, float[] rstd, float[] x, int xOff,
                                 float[] w, float[] b, int rows, int cols, float eps) {
        int sl = SoftmaxVector.slices((long) rows * cols, rows);
        Kernels.parallel(sl, s -> {
            for (int r = rows * s / sl, end = rows * (s + 1) / sl; r < end; r++) {
                int xo = xOff + r * cols;
                float mu = Vec.sum(x, xo, cols) / cols;
                float rs = (float) (1.0 / Math.sqrt(Vec.sumSqDev(x, xo, cols, mu) / cols + eps));
                mean[r] = mu;
                rstd[r] = rs;
                normRow(y, yOff + r * cols, x, xo, w, b, cols, mu, rs);
            }
        });
    }

    /** y = (x − mu)·rs ⊙ w (+ b). */
    private static void normRow(float[] y, int yo, float[] x, int xo, float[] w, float[] b, int n, float mu, float rs) {
        int i = 0;
        if (b != null) {
            for (; i <= n - L; i += L) {
                FloatVector xh = FloatVector.fromArray(Vec.S, x, xo + i).sub(mu).mul(rs);
                xh.fma(FloatVector.fromArray(Vec.S, w, i), FloatVector.fromArray(Vec.S, b, i)).intoArray(y, yo + i);
            }
            for (; i < n; i++) y[yo + i] = (x[xo + i] - mu) * rs * w[i] + b[i];
        } else {
            for (; i <= n - L; i += L)
                FloatVector.fromArray(Vec.S, x, xo + i).sub(mu).mul(rs).mul(FloatVector.fromArray(Vec.S, w, i)).intoArray(y, yo + i);
            for (; i < n; i++) y[yo + i] = (x[xo + i] - mu) * rs * w[i];
        }
    }

    static void layerNormBackward(float[] dx, int dxOff, float[] dw, float[] db, float[] dy, int dyOff,
                                  float[] x, int xOff, float[] mean, float[] rstd, float[] w, int rows, int cols) {
        int sl = (long) rows * cols < (1 << 15) ? 1 : Math.min(Kernels.threads(), rows);
        if (sl > 1) {
            // dx: rows are independent. dw, db: each thread owns whole vectors of columns and adds rows 0, 1, 2, ...
            // in order with the same operations as lnBackRow, so the bits do not depend on the thread count.
            Kernels.parallel(sl, s -> {
                for (int r = (int) ((long) rows * s / sl), end = (int) ((long) rows * (s + 1) / sl); r < end; r++) {
                    int xo = xOff + r * cols, go = dyOff + r * cols;
                    float mu = mean[r], rs = rstd[r];
                    float sumG = Vec.dot(dy, go, w, 0, cols);
                    float sumGx = dotDev(dy, go, w, x, xo, cols, mu) * rs;
                    lnBackDx(dx, dxOff + r * cols, dy, go, x, xo, w, cols, mu, rs, sumG / cols, sumGx / cols);
                }
            });
            int vecs = (cols + L - 1) / L, cs = Math.min(sl, vecs);
            Kernels.parallel(cs, s -> {
                int c0 = Math.min(cols, vecs * s / cs * L), c1 = Math.min(cols, vecs * (s + 1) / cs * L);
                lnBackWeights(dw, db, dy, dyOff, x, xOff, rows, cols, mean, rstd, c0, c1);
            });
            return;
        }
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, go = dyOff + r * cols;
            float mu = mean[r], rs = rstd[r];
            float sumG = Vec.dot(dy, go, w, 0, cols);
            float sumGx = dotDev(dy, go, w, x, xo, cols, mu) * rs;
            lnBackRow(dx, dxOff + r * cols, dw, db, dy, go, x, xo, w, cols, mu, rs, sumG / cols, sumGx / cols);
        }
    }

    /** Σ dy⊙w⊙(x − mu). */
    private static float dotDev(float[] dy, int go, float[] w, float[] x, int xo, int n, float mu) {
        FloatVector s0 = FloatVector.zero(Vec.S), s1 = FloatVector.zero(Vec.S);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            FloatVector g0 = FloatVector.fromArray(Vec.S, dy, go + i).mul(FloatVector.fromArray(Vec.S, w, i));
            FloatVector g1 = FloatVector.fromArray(Vec.S, dy, go + i + L).mul(FloatVector.fromArray(Vec.S, w, i + L));
            s0 = g0.fma(FloatVector.fromArray(Vec.S, x, xo + i).sub(mu), s0);
            s1 = g1.fma(FloatVector.fromArray(Vec.S, x, xo + i + L).sub(mu), s1);
        }
        for (; i <= n - L; i += L)
            s0 = FloatVector.fromArray(Vec.S, dy, go + i).mul(FloatVector.fromArray(Vec.S, w, i))
                    .fma(FloatVector.fromArray(Vec.S, x, xo + i).sub(mu), s0);
        float s = Vec.sumLanes(s0.add(s1));
        for (; i < n; i++) s += dy[go + i] * w[i] * (x[xo + i] - mu);
        return s;
    }

    /** The dx part of {@link #lnBackRow}: dx += rs·(dy⊙w − mG − x̂·mGx), the same operations. */
    private static void lnBackDx(float[] dx, int dxo, float[] dy, int go, float[] x, int xo, float[] w, int n, float mu, float rs,
                                 float mG, float mGx) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(Vec.S, dy, go + i);
            FloatVector xh = FloatVector.fromArray(Vec.S, x, xo + i).sub(mu).mul(rs);
            FloatVector t = g.mul(FloatVector.fromArray(Vec.S, w, i)).sub(mG).sub(xh.mul(mGx));
            t.mul(rs).add(FloatVector.fromArray(Vec.S, dx, dxo + i)).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float xh = (x[xo + i] - mu) * rs, g = dy[go + i];
            dx[dxo + i] += rs * (g * w[i] - mG - xh * mGx);
        }
    }

    /**
     * db += Σ_r dy_r, dw += Σ_r dy_r⊙x̂_r for columns c0 ≤ c < c1, rows added 0, 1, 2, … with the operations of
     * {@link #lnBackRow}. Four vectors of columns at a time keep their sums in registers over all rows (a sum stored
     * and loaded back is the same float), so each row costs loads of dy and x only.
     */
    private static void lnBackWeights(float[] dw, float[] db, float[] dy, int dyOff, float[] x, int xOff, int rows, int n,
                                      float[] mean, float[] rstd, int c0, int c1) {
        int full = Math.min(c1, n / L * L), i = c0;
        boolean bias = db != null;
        for (; i + 4 * L <= full; i += 4 * L) {
            FloatVector w0 = FloatVector.fromArray(Vec.S, dw, i), w1 = FloatVector.fromArray(Vec.S, dw, i + L);
            FloatVector w2 = FloatVector.fromArray(Vec.S, dw, i + 2 * L), w3 = FloatVector.fromArray(Vec.S, dw, i + 3 * L);
            FloatVector b0 = FloatVector.zero(Vec.S), b1 = b0, b2 = b0, b3 = b0;
            if (bias) {
                b0 = FloatVector.fromArray(Vec.S, db, i); b1 = FloatVector.fromArray(Vec.S, db, i + L);
                b2 = FloatVector.fromArray(Vec.S, db, i + 2 * L); b3 = FloatVector.fromArray(Vec.S, db, i + 3 * L);
            }
            for (int r = 0, go = dyOff + i, xo = xOff + i; r < rows; r++, go += n, xo += n) {
                float mu = mean[r], rs = rstd[r];
                FloatVector g0 = FloatVector.fromArray(Vec.S, dy, go), g1 = FloatVector.fromArray(Vec.S, dy, go + L);
                FloatVector g2 = FloatVector.fromArray(Vec.S, dy, go + 2 * L), g3 = FloatVector.fromArray(Vec.S, dy, go + 3 * L);
                w0 = g0.fma(FloatVector.fromArray(Vec.S, x, xo).sub(mu).mul(rs), w0);
                w1 = g1.fma(FloatVector.fromArray(Vec.S, x, xo + L).sub(mu).mul(rs), w1);
                w2 = g2.fma(FloatVector.fromArray(Vec.S, x, xo + 2 * L).sub(mu).mul(rs), w2);
                w3 = g3.fma(FloatVector.fromArray(Vec.S, x, xo + 3 * L).sub(mu).mul(rs), w3);
                if (bias) { b0 = g0.add(b0); b1 = g1.add(b1); b2 = g2.add(b2); b3 = g3.add(b3); }
            }
            w0.intoArray(dw, i); w1.intoArray(dw, i + L); w2.intoArray(dw, i + 2 * L); w3.intoArray(dw, i + 3 * L);
            if (bias) { b0.intoArray(db, i); b1.intoArray(db, i + L); b2.intoArray(db, i + 2 * L); b3.intoArray(db, i + 3 * L); }
        }
        for (; i < full; i += L) {
            FloatVector w0 = FloatVector.fromArray(Vec.S, dw, i), b0 = bias ? FloatVector.fromArray(Vec.S, db, i) : FloatVector.zero(Vec.S);
            for (int r = 0, go = dyOff + i, xo = xOff + i; r < rows; r++, go += n, xo += n) {
                FloatVector g0 = FloatVector.fromArray(Vec.S, dy, go);
                w0 = g0.fma(FloatVector.fromArray(Vec.S, x, xo).sub(mean[r]).mul(rstd[r]), w0);
                if (bias) b0 = g0.add(b0);
            }
            w0.intoArray(dw, i);
            if (bias) b0.intoArray(db, i);
        }
        for (int r = 0; r < rows; r++) {
            int go = dyOff + r * n, xo = xOff + r * n;
            float mu = mean[r], rs = rstd[r];
            for (int c = i; c < c1; c++) {
                float xh = (x[xo + c] - mu) * rs, g = dy[go + c];
                if (bias) db[c] += g;
                dw[c] += g * xh;
            }
        }
    }

    /** db += dy; dw += dy⊙x̂; dx += rs·(dy⊙w − mG − x̂·mGx). */
    private static void lnBackRow(float[] dx, int dxo, float[] dw, float[] db, float[] dy, int go, float[] x, int xo,
                                  float[] w, int n, float mu, float rs, float mG, float mGx) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(Vec.S, dy, go + i);
            FloatVector xh = FloatVector.fromArray(Vec.S, x, xo + i).sub(mu).mul(rs);
            if (db != null) g.add(FloatVector.fromArray(Vec.S, db, i)).intoArray(db, i);
            g.fma(xh, FloatVector.fromArray(Vec.S, dw, i)).intoArray(dw, i);
            FloatVector t = g.mul(FloatVector.fromArray(Vec.S, w, i)).sub(mG).sub(xh.mul(mGx));
            t.mul(rs).add(FloatVector.fromArray(Vec.S, dx, dxo + i)).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float xh = (x[xo + i] - mu) * rs, g = dy[go + i];
            if (db != null) db[i] += g;
            dw[i] += g * xh;
            dx[dxo + i] += rs * (g * w[i] - mG - xh * mGx);
        }
    }

    static void rmsNormForward(float[] y, int yOff, float[] rstd, float[] x, int xOff, float[] w, int rows, int cols, float eps) {
        int sl = SoftmaxVector.slices((long) rows * cols, rows);
        Kernels.parallel(sl, s -> {
            for (int r = rows * s / sl, end = rows * (s + 1) / sl; r < end; r++) {
                int xo = xOff + r * cols;
                float rs = (float) (1.0 / Math.sqrt(Vec.dot(x, xo, x, xo, cols) / cols + eps));
                rstd[r] = rs;
                normRow(y, yOff + r * cols, x, xo, w, null, cols, 0f, rs);
            }
        });
    }

    static void rmsNormBackward(float[] dx, int dxOff, float[] dw, float[] dy, int dyOff, float[] x, int xOff,
                                float[] rstd, float[] w, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, go = dyOff + r * cols;
            float rs = rstd[r];
            float mGx = dotDev(dy, go, w, x, xo, cols, 0f) * rs / cols;
            lnBackRow(dx, dxOff + r * cols, dw, null, dy, go, x, xo, w, cols, 0f, rs, 0f, mGx);
        }
    }
}
