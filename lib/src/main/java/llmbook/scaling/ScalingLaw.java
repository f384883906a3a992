package llmbook.scaling;

import java.util.Arrays;
import llmbook.tensor.Rng;

/**
 * The loss as a function of model size N and training tokens D, {@code L(N, D) = E + A·N^(−α) + B·D^(−β)}
 * (Hoffmann et al., 2022, "Chinchilla"), fitted by least squares with bootstrap confidence intervals. Q43.
 * <p>E is the floor no model reaches, the A term what a finite model costs, the B term what finite data costs. For
 * fixed exponents the law is linear in (E, A, B), so the fit profiles the exponents: ordinary least squares for
 * (E, A, B) at every (α, β) of a log-spaced grid (with A, B ≥ 0: a law in which more parameters or more data raise
 * the loss is not a scaling law), then a pattern search around the best pair.
 * The intervals are a residual bootstrap as in {@link PowerLaw}: residuals (scaled by {@code √(n/(n−5))}) resampled
 * onto the fitted surface and the law refitted, 2.5th–97.5th percentiles.
 * <p>Spending compute {@code C = 6·N·D} best: minimising L under that constraint gives {@code N_opt ∝ C^(β/(α+β))}
 * and {@code D_opt ∝ C^(α/(α+β))}; Chinchilla measured both exponents near ½ (grow data as fast as parameters).
 *
 * @param e     floor
 * @param a     model-size coefficient
 * @param alpha model-size exponent
 * @param b     data coefficient
 * @param beta  data exponent
 * @param rss   residual sum of squares
 */
public record ScalingLaw(double e, double a, double alpha, double b, double beta, double rss) {

    /** The law at N parameters and D tokens. */
    public double predict(double n, double d) { return e + a * Math.pow(n, -alpha) + b * Math.pow(d, -beta); }

    /** The exponent of the compute-optimal model size: {@code N_opt ∝ C^(β/(α+β))}. */
    public double optimalSizeExponent() { return beta / (alpha + beta); }

    /** Least-squares fit to points (n[i], d[i], loss[i]); needs at least 5 points, at least 2 distinct sizes and 2 distinct token counts. */
    public static ScalingLaw fit(double[] n, double[] d, double[] loss) {
        if (n.length != d.length || n.length != loss.length)
            throw new IllegalArgumentException("ScalingLaw.fit: " + n.length + " sizes, " + d.length + " token counts and " + loss.length + " losses");
        if (n.length < 5) throw new IllegalArgumentException("ScalingLaw.fit: five parameters need at least 5 points, got " + n.length);
        for (int i = 0; i < n.length; i++)
            if (!(n[i] > 0) || !(d[i] > 0)) throw new IllegalArgumentException("ScalingLaw.fit: sizes and token counts must be > 0, got " + n[i] + ", " + d[i]);
        if (Arrays.stream(n).distinct().count() < 2 || Arrays.stream(d).distinct().count() < 2)
            throw new IllegalArgumentException("ScalingLaw.fit: needs at least 2 distinct sizes and 2 distinct token counts");
        ScalingLaw best = null;
        int grid = 40;
        for (int i = 0; i < grid; i++)
            for (int j = 0; j < grid; j++) {
                ScalingLaw s = atExponents(n, d, loss, exponent(i, grid), exponent(j, grid));
                if (best == null || s.rss < best.rss) best = s;
            }
        double step = 0.5 * Math.log(exponent(1, grid) / exponent(0, grid));   // pattern search in log-exponent space
        while (step > 1e-6) {
            boolean moved = false;
            for (int[] dir : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                double al = best.alpha * Math.exp(dir[0] * step), be = best.beta * Math.exp(dir[1] * step);
                if (al < MIN_EXPONENT || be < MIN_EXPONENT || al > MAX_EXPONENT || be > MAX_EXPONENT) continue;
                ScalingLaw s = atExponents(n, d, loss, al, be);
                if (s.rss < best.rss) { best = s; moved = true; }
            }
            if (!moved) step /= 2;
        }
        return best;
    }

    /**
     * The exponents searched: 0.02 … 2 on the grid, 0.01 … 3 after refinement. Near 0 the law degenerates (with
     * {@code N^(−α) ≈ 1 − α·ln N}, E and A can trade off without bound), so it is kept away from there.
     */
    static final double MIN_EXPONENT = 0.01, MAX_EXPONENT = 3;

    private static double exponent(int i, int grid) { return 0.02 * Math.pow(100, i / (double) (grid - 1)); }

    /**
     * (E, A, B) by least squares with the exponents fixed and A, B ≥ 0: the unconstrained solution when it is
     * feasible, else the best of the faces A = 0, B = 0 and A = B = 0 (exact for a convex problem this small).
     */
    static ScalingLaw atExponents(double[] n, double[] d, double[] loss, double alpha, double beta) {
        ScalingLaw best = null;
        for (boolean[] use : new boolean[][] {{true, true}, {false, true}, {true, false}, {false, false}}) {
            ScalingLaw s = leastSquares(n, d, loss, alpha, beta, use[0], use[1]);
            if (s != null && (best == null || s.rss < best.rss)) best = s;
            if (best != null && use[0] && use[1]) return best;            // the unconstrained solution is feasible
        }
        return best != null ? best : new ScalingLaw(0, 0, alpha, 0, beta, Double.POSITIVE_INFINITY);
    }

    /** OLS on the columns 1, N^−α (if useA), D^−β (if useB); null when singular or a coefficient comes out negative. */
    private static ScalingLaw leastSquares(double[] n, double[] d, double[] loss, double alpha, double beta, boolean useA, boolean useB) {
        double[][] m = new double[3][4];                    // normal equations [XᵀX | Xᵀy]; an unused column is pinned to 0
        for (int i = 0; i < n.length; i++) {
            double[] x = {1, useA ? Math.pow(n[i], -alpha) : 0, useB ? Math.pow(d[i], -beta) : 0};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) m[r][c] += x[r] * x[c];
                m[r][3] += x[r] * loss[i];
            }
        }
        if (!useA) m[1][1] = 1;
        if (!useB) m[2][2] = 1;
        double[] sol = solve3(m);
        if (sol == null || sol[1] < 0 || sol[2] < 0) return null;
        ScalingLaw s = new ScalingLaw(sol[0], sol[1], alpha, sol[2], beta, 0);
        double rss = 0;
        for (int i = 0; i < n.length; i++) {
            double r = loss[i] - s.predict(n[i], d[i]);
            rss += r * r;
        }
        return Double.isFinite(rss) ? new ScalingLaw(sol[0], sol[1], alpha, sol[2], beta, rss) : null;
    }

    /** Gauss–Jordan with partial pivoting on a 3×4 augmented matrix; null when singular. */
    private static double[] solve3(double[][] m) {
        for (int c = 0; c < 3; c++) {
            int p = c;
            for (int r = c + 1; r < 3; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            if (Math.abs(m[p][c]) < 1e-300) return null;
            double[] t = m[c]; m[c] = m[p]; m[p] = t;
            for (int r = 0; r < 3; r++) {
                if (r == c) continue;
                double f = m[r][c] / m[c][c];
                for (int k = c; k < 4; k++) m[r][k] -= f * m[c][k];
            }
        }
        double[] x = new double[3];
        for (int r = 0; r < 3; r++) x[r] = m[r][3] / m[r][r];
        return Arrays.stream(x).allMatch(Double::isFinite) ? x : null;
    }

    /** The fit, 95 % intervals of its five parameters and of the predicted loss at each (atN[j], atD[j]). */
    public record Bootstrap(ScalingLaw fit, PowerLaw.Interval e, PowerLaw.Interval a, PowerLaw.Interval alpha, PowerLaw.Interval b,
                            PowerLaw.Interval beta, PowerLaw.Interval optimalSizeExponent, PowerLaw.Interval[] predictions, int reps) {}

    /** Residual bootstrap with {@code reps} refits (seeded): see the class comment. */
    public static Bootstrap bootstrap(double[] n, double[] d, double[] loss, double[] atN, double[] atD, int reps, Rng rng) {
        if (atN.length != atD.length) throw new IllegalArgumentException("ScalingLaw.bootstrap: " + atN.length + " sizes but " + atD.length + " token counts to predict at");
        ScalingLaw f = fit(n, d, loss);
        int k = n.length;
        double scale = k > 5 ? Math.sqrt(k / (double) (k - 5)) : 1;
        double[] fitted = new double[k], res = new double[k], y = new double[k];
        for (int i = 0; i < k; i++) { fitted[i] = f.predict(n[i], d[i]); res[i] = (loss[i] - fitted[i]) * scale; }
        double[][] p = new double[6][reps], pred = new double[atN.length][reps];
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < k; i++) y[i] = fitted[i] + res[rng.nextInt(k)];
            ScalingLaw g = fit(n, d, y);
            p[0][r] = g.e; p[1][r] = g.a; p[2][r] = g.alpha; p[3][r] = g.b; p[4][r] = g.beta; p[5][r] = g.optimalSizeExponent();
            for (int j = 0; j < atN.length; j++) pred[j][r] = g.predict(atN[j], atD[j]);
        }
        PowerLaw.Interval[] preds = new PowerLaw.Interval[atN.length];
        for (int j = 0; j < atN.length; j++) preds[j] = PowerLaw.interval(f.predict(atN[j], atD[j]), pred[j]);
        return new Bootstrap(f, PowerLaw.interval(f.e, p[0]), PowerLaw.interval(f.a, p[1]), PowerLaw.interval(f.alpha, p[2]),
                PowerLaw.interval(f.b, p[3]), PowerLaw.interval(f.beta, p[4]), PowerLaw.interval(f.optimalSizeExponent(), p[5]), preds, reps);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "L(N, D) = %.4f + %.4g·N^(−%.3f) + %.4g·D^(−%.3f)", e, a, alpha, b, beta);
    }
}
