package llmbook.scaling;

import java.util.Arrays;
import llmbook.tensor.Rng;

/**
 * A saturating power law {@code L(N) = a·N^(−b) + c} fitted by least squares, with bootstrap confidence intervals. Q43.
 * <p>Kaplan et al. (2020) and GPT-4's report use this shape: loss falls as a power of the parameters N (or of the
 * compute) towards an irreducible floor c, the entropy of the text that no model removes. For a fixed c the law is a
 * straight line {@code log(L − c) = log a − b·log N}; so the fit profiles c: for each candidate floor it solves the
 * line by ordinary least squares, scores the squared error in L itself, and keeps the best c (a grid, then
 * golden-section refinement).
 * <p>Intervals: residual bootstrap. The residuals of the fit are resampled with replacement (scaled by
 * {@code √(n/(n−3))} for the three fitted parameters), added to the fitted curve, and the law refitted; the
 * 2.5th and 97.5th percentiles of the refits' parameters and predictions are the 95 % interval.
 *
 * @param a   scale
 * @param b   exponent (how fast the loss falls with N)
 * @param c   floor (the loss an infinite model would reach on this data)
 * @param rss residual sum of squares of the fit
 */
public record PowerLaw(double a, double b, double c, double rss) {

    /** The law at size n. */
    public double predict(double n) { return a * Math.pow(n, -b) + c; }

    /** Least-squares fit to points (n[i], loss[i]); needs at least three points of distinct sizes with positive n. */
    public static PowerLaw fit(double[] n, double[] loss) {
        if (n.length != loss.length) throw new IllegalArgumentException("PowerLaw.fit: " + n.length + " sizes but " + loss.length + " losses");
        if (n.length < 3) throw new IllegalArgumentException("PowerLaw.fit: three parameters need at least 3 points, got " + n.length);
        for (double x : n) if (!(x > 0)) throw new IllegalArgumentException("PowerLaw.fit: sizes must be > 0, got " + x);
        double min = Arrays.stream(loss).min().orElseThrow();
        double hi = min - 1e-6 * Math.max(1, Math.abs(min));      // c must stay below every loss (log(L − c))
        double lo = Math.min(0, min - 10 * (Arrays.stream(loss).max().orElseThrow() - min + 1e-9));
        int grid = 200;
        double bestC = lo, bestErr = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= grid; i++) {
            double c = lo + (hi - lo) * i / grid;
            double e = atFloor(n, loss, c).rss;
            if (e < bestErr) { bestErr = e; bestC = c; }
        }
        double step = (hi - lo) / grid, x0 = Math.max(lo, bestC - step), x1 = Math.min(hi, bestC + step);
        double g = (Math.sqrt(5) - 1) / 2;                          // golden-section search on [x0, x1]
        for (int it = 0; it < 60; it++) {
            double m1 = x1 - g * (x1 - x0), m2 = x0 + g * (x1 - x0);
            if (atFloor(n, loss, m1).rss < atFloor(n, loss, m2).rss) x1 = m2; else x0 = m1;
        }
        PowerLaw refined = atFloor(n, loss, (x0 + x1) / 2), grid0 = atFloor(n, loss, bestC);
        return refined.rss <= grid0.rss ? refined : grid0;
    }

    /** The law with floor c fixed: OLS of {@code log(L − c)} on {@code log N}. */
    static PowerLaw atFloor(double[] n, double[] loss, double c) {
        int k = n.length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < k; i++) {
            double x = Math.log(n[i]), y = Math.log(loss[i] - c);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx), icpt = (sy - slope * sx) / k;
        double a = Math.exp(icpt), b = -slope, rss = 0;
        for (int i = 0; i < k; i++) {
            double r = loss[i] - (a * Math.pow(n[i], -b) + c);
            rss += r * r;
        }
        return new PowerLaw(a, b, c, Double.isFinite(rss) ? rss : Double.POSITIVE_INFINITY);
    }

    /** A 95 % interval [lo, hi] around a point estimate. */
    public record Interval(double estimate, double lo, double hi) {
        public boolean contains(double x) { return x >= lo && x <= hi; }
        @Override public String toString() { return String.format(java.util.Locale.ROOT, "%.4g [%.4g, %.4g]", estimate, lo, hi); }
    }

    /** The fit, bootstrap intervals of a, b, c, and of the predicted loss at each size in {@code at}. */
    public record Bootstrap(PowerLaw fit, Interval a, Interval b, Interval c, double[] at, Interval[] predictions, int reps) {}

    /** Residual bootstrap with {@code reps} refits (seeded): see the class comment. */
    public static Bootstrap bootstrap(double[] n, double[] loss, double[] at, int reps, Rng rng) {
        PowerLaw f = fit(n, loss);
        int k = n.length;
        double scale = k > 3 ? Math.sqrt(k / (double) (k - 3)) : 1;
        double[] fitted = Arrays.stream(n).map(f::predict).toArray(), res = new double[k];
        for (int i = 0; i < k; i++) res[i] = (loss[i] - fitted[i]) * scale;
        double[][] p = new double[3][reps], pred = new double[at.length][reps];
        double[] y = new double[k];
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < k; i++) y[i] = fitted[i] + res[rng.nextInt(k)];
            PowerLaw g = fit(n, y);
            p[0][r] = g.a; p[1][r] = g.b; p[2][r] = g.c;
            for (int j = 0; j < at.length; j++) pred[j][r] = g.predict(at[j]);
        }
        Interval[] preds = new Interval[at.length];
        for (int j = 0; j < at.length; j++) preds[j] = interval(f.predict(at[j]), pred[j]);
        return new Bootstrap(f, interval(f.a, p[0]), interval(f.b, p[1]), interval(f.c, p[2]), at.clone(), preds, reps);
    }

    static Interval interval(double est, double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return new Interval(est, s[(int) Math.floor(0.025 * (s.length - 1))], s[(int) Math.ceil(0.975 * (s.length - 1))]);
    }

    @Override
    public String toString() { return String.format(java.util.Locale.ROOT, "L(N) = %.4g·N^(−%.4f) + %.4f", a, b, c); }
}
