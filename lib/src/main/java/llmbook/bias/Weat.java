package llmbook.bias;

import java.util.Arrays;

import llmbook.tensor.Rng;

/**
 * The Word Embedding Association Test (Caliskan et al. 2017): do target words X lean toward attribute words A (and
 * Y toward B) more than chance would give? Q48.
 * <pre>
 *   s(w) = mean_{a∈A} cos(w, a) − mean_{b∈B} cos(w, b)                        one word's lean
 *   d    = (mean_{x∈X} s(x) − mean_{y∈Y} s(y)) / std_{w∈X∪Y} s(w)            effect size (sample std)
 *   p    = share of random equal-size re-splits (X', Y') of X ∪ Y with Σ_{X'} s − Σ_{Y'} s ≥ the observed one
 *   CI   = 2.5 % and 97.5 % quantiles of d over bootstrap resamples of X and of Y (words drawn with replacement)
 * </pre>
 * With a handful of words per set the permutation distribution is coarse and the interval wide: report both, and
 * say so when the interval covers 0.
 */
public final class Weat {
    private Weat() {}

    /** The effect size d. */
    public static double effectSize(float[][] X, float[][] Y, float[][] A, float[][] B) {
        check(X, Y, A, B);
        double[] s = leans(X, Y, A, B);
        return effect(s, X.length);
    }

    /** One-sided permutation p-value of the test statistic, over {@code permutations} random re-splits. */
    public static double pValue(float[][] X, float[][] Y, float[][] A, float[][] B, int permutations, long seed) {
        check(X, Y, A, B);
        if (permutations < 1) throw new IllegalArgumentException("Weat: permutations must be >= 1, got " + permutations);
        double[] s = leans(X, Y, A, B);
        double observed = stat(s, X.length);
        Rng rng = new Rng(seed);
        int atLeast = 0;
        double[] t = s.clone();
        for (int k = 0; k < permutations; k++) {
            for (int i = t.length - 1; i > 0; i--) { int j = rng.nextInt(i + 1); double v = t[i]; t[i] = t[j]; t[j] = v; }
            if (stat(t, X.length) >= observed - 1e-12) atLeast++;
        }
        return (atLeast + 1.0) / (permutations + 1.0);
    }

    /** The 95 % bootstrap interval {lo, hi} of d, resampling the words of X and of Y with replacement. */
    public static double[] bootstrap(float[][] X, float[][] Y, float[][] A, float[][] B, int resamples, long seed) {
        check(X, Y, A, B);
        if (resamples < 10) throw new IllegalArgumentException("Weat: need at least 10 resamples, got " + resamples);
        double[] s = leans(X, Y, A, B), t = new double[s.length], ds = new double[resamples];
        Rng rng = new Rng(seed);
        int nx = X.length, ny = Y.length;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < nx; i++) t[i] = s[rng.nextInt(nx)];
            for (int i = 0; i < ny; i++) t[nx + i] = s[nx + rng.nextInt(ny)];
            ds[r] = effect(t, nx);
        }
        Arrays.sort(ds);
        return new double[] {ds[(int) Math.floor(0.025 * (resamples - 1))], ds[(int) Math.ceil(0.975 * (resamples - 1))]};
    }

    /** s(w) for every word of X then Y. */
    static double[] leans(float[][] X, float[][] Y, float[][] A, float[][] B) {
        double[] s = new double[X.length + Y.length];
        for (int i = 0; i < X.length; i++) s[i] = lean(X[i], A, B);
        for (int i = 0; i < Y.length; i++) s[X.length + i] = lean(Y[i], A, B);
        return s;
    }

    public static double lean(float[] w, float[][] A, float[][] B) {
        double a = 0, b = 0;
        for (float[] v : A) a += cos(w, v);
        for (float[] v : B) b += cos(w, v);
        return a / A.length - b / B.length;
    }

    public static double cos(float[] u, float[] v) {
        if (u.length != v.length) throw new IllegalArgumentException("Weat: vectors of " + u.length + " and " + v.length + " dimensions");
        double d = 0, nu = 0, nv = 0;
        for (int i = 0; i < u.length; i++) { d += u[i] * v[i]; nu += u[i] * u[i]; nv += v[i] * v[i]; }
        return nu == 0 || nv == 0 ? 0 : d / Math.sqrt(nu * nv);
    }

    private static double stat(double[] s, int nx) {
        double t = 0;
        for (int i = 0; i < s.length; i++) t += i < nx ? s[i] : -s[i];
        return t;
    }

    private static double effect(double[] s, int nx) {
        double mx = 0, my = 0, mean = 0, var = 0;
        for (int i = 0; i < s.length; i++) { if (i < nx) mx += s[i]; else my += s[i]; mean += s[i]; }
        mx /= nx;
        my /= s.length - nx;
        mean /= s.length;
        for (double v : s) var += (v - mean) * (v - mean);
        double sd = Math.sqrt(var / (s.length - 1));
        return sd == 0 ? 0 : (mx - my) / sd;
    }

    private static void check(float[][] X, float[][] Y, float[][] A, float[][] B) {
        if (X.length < 1 || Y.length < 1 || A.length < 1 || B.length < 1 )
            throw new IllegalArgumentException("Weat: every set needs at least one word; got |X|=" + X.length + " |Y|=" + Y.length
                    + " |A|=" + A.length + " |B|=" + B.length);
    }
}
