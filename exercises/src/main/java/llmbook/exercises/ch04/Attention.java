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
        throw new UnsupportedOperationException("TODO ch04.attention: scores q[t]·k[s]/sqrt(d) for s <= t, stable softmax over s, weighted sum of v[s]");
    }
}
