package llmbook.exercises.ch04;

/**
 * Exercise ch04.attention — scaled dot-product attention with a causal mask (Q2, Q41).
 *
 * <p>For one head with queries q (T, d), keys k (T, d), values v (T, dv):
 * {@code out[t] = Σ_{s≤t} softmax_s(q[t]·k[s] / √d) · v[s]}; positions s > t get weight 0 (the future is hidden).
 * Worked example, T = 2, d = 1, q = k = [[0], [0]], v = [[1], [3]]: out = [[1], [2]] (row 0 sees only itself).
 * The library's version is {@code llmbook.attention.ScaledDotProductAttention}.
 */
public final class Attention {
    private Attention() {}

    /** Causal attention output (T, dv); subtract the row maximum before exp for stability. */
    public static double[][] causal(double[][] q, double[][] k, double[][] v) {
        int t = q.length, d = q[0].length, dv = v[0].length;
        double[][] out = new double[t][dv];
        for (int i = 0; i < t; i++) {
            double[] s = new double[i + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += q[i][c] * k[j][c];
                s[j] = dot / Math.sqrt(d);
                max = Math.max(max, s[j]);
            }
            double z = 0;
            for (int j = 0; j <= i; j++) { s[j] = Math.exp(s[j] - max); z += s[j]; }
            for (int j = 0; j <= i; j++)
                for (int c = 0; c < dv; c++) out[i][c] += s[j] / z * v[j][c];
        }
        return out;
    }
}
