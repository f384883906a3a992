package llmbook.moe;

/**
 * Top-k routing: which k experts each token goes to. Q46.
 * <pre>
 *   p = softmax(x·W_r)                (N, E)  router probabilities
 *   choice[t] = the k largest p[t, ·]        in decreasing order, ties to the lower expert index
 *   gate[t, j] = p[t, choice[t, j]]          Switch (k = 1) keeps the raw probability
 *   gate[t, j] /= Σⱼ gate[t, j]              Mixtral (k = 2) renormalises the k gates to sum to 1
 * </pre>
 * Example: {@code p = [0.1, 0.5, 0.3, 0.1]}, k = 2 → experts {1, 2}, gates {0.5, 0.3} → renormalised {0.625, 0.375}.
 */
public final class Gating {
    private Gating() {}

    /** The k best experts of each of n rows of {@code p} (n, e) row-major: {@code choice[t·k + j]}, best first. */
    public static int[] topK(float[] p, int n, int e, int k) {
        if (k < 1 || k > e) throw new IllegalArgumentException("Gating.topK: k must be in [1, " + e + "], got " + k);
        if (p.length < n * e) throw new IllegalArgumentException("Gating.topK: " + p.length + " probabilities for " + n + " rows of " + e);
        int[] out = new int[n * k];
        boolean[] taken = new boolean[e];
        for (int t = 0; t < n; t++) {
            java.util.Arrays.fill(taken, false);
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int i = 0; i < e; i++)
                    if (!taken[i] && (best < 0 || p[t * e + i] > p[t * e + best])) best = i;
                taken[best] = true;
                out[t * k + j] = best;
            }
        }
        return out;
    }

    /** Gates of the chosen experts ({@code choice} from {@link #topK}), renormalised to sum to 1 per row if asked. */
    public static float[] gates(float[] p, int n, int e, int[] choice, int k, boolean renormalize) {
        float[] g = new float[n * k];
        for (int t = 0; t < n; t++) {
            float s = 0f;
            for (int j = 0; j < k; j++) s += g[t * k + j] = p[t * e + choice[t * k + j]];
            if (renormalize) for (int j = 0; j < k; j++) g[t * k + j] /= s;
        }
        return g;
    }

    /**
     * Expert capacity {@code ceil(cf · N·k / E)} (at least 1), or N·k when {@code cf = 0} (no limit). Switch trains
     * with cf ≈ 1.25: a 25 % margin over a perfectly even split before tokens are dropped.
     */
    public static int capacity(float cf, int n, int k, int e) {
        if (cf <= 0f) return n * k;
        return Math.max(1, (int) Math.ceil(cf * n * k / (double) e));
    }
}
