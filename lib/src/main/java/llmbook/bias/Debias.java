package llmbook.bias;

/**
 * Projection ("hard") debiasing (Bolukbasi et al. 2016): find a bias direction from word pairs that differ only in
 * the attribute (he/she, man/woman, …) and remove every vector's component along it. Q48.
 * <pre>
 *   g  = first principal component of the pair members about their pair's mean, ±(a_i − b_i)/2  (power iteration)
 *   v' = v − (v·g) g                                                                 v' ⟂ g
 * </pre>
 * It removes what a linear probe along g sees — the WEAT effect along that direction drops — but not bias that
 * lives in other directions or in who a word's neighbours are (Gonen &amp; Goldberg 2019: "lipstick on a pig").
 */
public final class Debias {
    private Debias() {}

    /** The unit bias direction from pairs {@code a[i]}, {@code b[i]} (same dimension). */
    public static float[] direction(float[][] a, float[][] b) {
        if (a.length != b.length || a.length == 0) throw new IllegalArgumentException("Debias: need equal, non-empty lists of pairs, got " + a.length + " and " + b.length);
        int n = a.length, d = a[0].length;
        double[][] diff = new double[n][d];
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            float[] u = unit(a[i]), v = unit(b[i]);
            for (int j = 0; j < d; j++) { diff[i][j] = (u[j] - v[j]) / 2; mean[j] += diff[i][j] / n; }
        }
        double[] g = mean.clone();                                  // start from the mean difference
        for (int it = 0; it < 100 && n > 1; it++) {                 // power iteration on Σ_i r_i r_iᵀ
            double[] next = new double[d];
            for (double[] r : diff) {
                double p = 0;
                for (int j = 0; j < d; j++) p += r[j] * g[j];
                for (int j = 0; j < d; j++) next[j] += p * r[j];
            }
            g = next;
            normalise(g);
        }
        // orient it like the mean difference (a − b), so "towards a" is positive
        double dot = 0;
        double[] m0 = new double[d];
        for (int i = 0; i < n; i++) { float[] u = unit(a[i]), v = unit(b[i]); for (int j = 0; j < d; j++) m0[j] += u[j] - v[j]; }
        for (int j = 0; j < d; j++) dot += m0[j] * g[j];
        float[] out = new float[d];
        double norm = 0;
        for (double x : g) norm += x * x;
        if (norm == 0) throw new IllegalArgumentException("Debias: the pairs do not differ");
        for (int j = 0; j < d; j++) out[j] = (float) (dot < 0 ? -g[j] : g[j]);
        return out;
    }

    /** v without its component along the unit vector {@code g}. */
    public static float[] project(float[] v, float[] g) {
        double p = 0;
        for (int j = 0; j < v.length; j++) p += v[j] * g[j];
        float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) out[j] = (float) (v[j] - p * g[j]);
        return out;
    }

    /** Every row projected. */
    public static float[][] project(float[][] vs, float[] g) {
        float[][] out = new float[vs.length][];
        for (int i = 0; i < vs.length; i++) out[i] = project(vs[i], g);
        return out;
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) n += x * x;
        n = Math.sqrt(n);
        float[] u = new float[v.length];
        for (int j = 0; j < v.length; j++) u[j] = n == 0 ? 0 : (float) (v[j] / n);
        return u;
    }

    private static void normalise(double[] g) {
        double n = 0;
        for (double x : g) n += x * x;
        n = Math.sqrt(n);
        if (n > 0) for (int j = 0; j < g.length; j++) g[j] /= n;
    }
}
