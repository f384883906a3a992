package llmbook.exercises.ch04;

/**
 * Exercise ch04.gqa — grouped-query attention's key/value head sharing (Q9).
 *
 * <p>H query heads, G key/value heads (G divides H). Query head h attends with the keys and values of group
 * {@code g(h) = ⌊h / (H/G)⌋}, so heads 0 … H/G − 1 share group 0, the next H/G share group 1, and so on:
 * <pre>
 *   out[h] = causal(q[h], k[g(h)], v[g(h)])          q (H, T, d)   k, v (G, T, d)   out (H, T, d_v)
 * </pre>
 * G = H is multi-head attention (every head has its own K/V), G = 1 multi-query attention (one K/V for all).
 * A decoder caches only the G key/value heads, so the cache shrinks H/G times.
 * Worked example, H = 4, G = 2, T = 1: a query can only see its own position, so {@code out[h] = v[g(h)][0]};
 * with v = [[[1]], [[2]]] the output is [[[1]], [[1]], [[2]], [[2]]] (not 1, 2, 1, 2: groups are consecutive heads).
 * The library's version is {@code llmbook.attention.GroupedQueryAttention}.
 */
public final class Gqa {
    private Gqa() {}

    /**
     * Grouped-query causal attention: q (H, T, d), k (G, T, d), v (G, T, d_v) → (H, T, d_v). Throws
     * IllegalArgumentException unless 1 ≤ G ≤ H and G divides H (say both counts in the message).
     */
    public static double[][][] attend(double[][][] q, double[][][] k, double[][][] v) {
        int h = q.length, g = k.length;
        if (g < 1 || g > h || h % g != 0)
            throw new IllegalArgumentException("Gqa.attend: " + g + " key/value groups must divide " + h + " query heads");
        if (v.length != g)
            throw new IllegalArgumentException("Gqa.attend: k has " + g + " heads but v has " + v.length);
        int perGroup = h / g;                       // query heads sharing one K/V head
        double[][][] out = new double[h][][];
        for (int i = 0; i < h; i++) out[i] = head(q[i], k[i / perGroup], v[i / perGroup]);
        return out;
    }

    /**
     * Given: causal scaled dot-product attention for one head, q (T, d), k (T, d), v (T, d_v) → (T, d_v), computed by
     * the library ({@code llmbook.attention.ScaledDotProductAttention}) in float precision. Writing it yourself is
     * exercise ch04.attention.
     */
    public static double[][] head(double[][] q, double[][] k, double[][] v) {
        int t = q.length, dv = v[0].length;
        float[] out = llmbook.attention.ScaledDotProductAttention.attend(tensor(q), tensor(k), tensor(v), llmbook.attention.Mask.CAUSAL)
                .contiguous().data();
        double[][] o = new double[t][dv];
        for (int i = 0; i < t; i++) for (int c = 0; c < dv; c++) o[i][c] = out[i * dv + c];
        return o;
    }

    /** A (T, d) array as a (1, 1, T, d) tensor: one sequence, one head. */
    private static llmbook.tensor.Tensor tensor(double[][] a) {
        int t = a.length, d = a[0].length;
        float[] f = new float[t * d];
        for (int i = 0; i < t; i++) for (int c = 0; c < d; c++) f[i * d + c] = (float) a[i][c];
        return llmbook.tensor.Tensor.wrap(f, 1, 1, t, d);
    }
}
