package llmbook.attention;

import llmbook.tensor.Tensor;

/**
 * Rotary position embedding (RoPE, Su et al. 2021), as in LLaMA: rotate each pair of features of a query or key by an
 * angle proportional to its position. Q8 (and the LLaMA / MLA story of chapter 13).
 * <pre>
 *   θ_i = base^(−2i/d),  i = 0 … d/2 − 1          (base = 10000)
 *   pairs (x_i, x_{i+d/2}) at position p:           ("rotate half" layout of GPT-NeoX / Hugging Face LLaMA)
 *     y_i       = x_i·cos(pθ_i) − x_{i+d/2}·sin(pθ_i)
 *     y_{i+d/2} = x_i·sin(pθ_i) + x_{i+d/2}·cos(pθ_i)
 * </pre>
 * A rotation keeps lengths ({@code |y| = |x|}), and {@code R(p)ᵀR(p') = R(p' − p)}, so after rotating a query at p and
 * a key at p', {@code q·k = qᵀ R(p' − p) k} depends only on the offset p' − p: attention sees relative positions,
 * with no learned position table. The original paper pairs neighbours (2i, 2i+1); pairing i with i + d/2 is the same
 * map up to a fixed permutation of the features, and cheaper to write with slices.
 */
public final class Rope {
    private final int headDim;
    private final double base;

    /** RoPE for heads of size {@code headDim} (even) with base 10000. */
    public Rope(int headDim) { this(headDim, 10000.0); }

    public Rope(int headDim, double base) {
        if (headDim < 2 || headDim % 2 != 0)
            throw new IllegalArgumentException("Rope: head size must be even and >= 2 (features are rotated in pairs), got " + headDim);
        if (!(base > 1)) throw new IllegalArgumentException("Rope: base must be > 1, got " + base);
        this.headDim = headDim;
        this.base = base;
    }

    public int headDim() { return headDim; }
    public double base() { return base; }

    /** The angle {@code p·θ_i} for position {@code p} and pair {@code i}. */
    public double angle(int p, int i) { return p * Math.pow(base, -2.0 * i / headDim); }

    /** Rotates x (B, H, T, d) whose positions are 0 … T−1. */
    public Tensor apply(Tensor x) { return apply(x, 0); }

    /** Rotates x (B, H, T, d) whose positions are {@code start … start+T−1} (start > 0 when decoding with a KV cache). */
    public Tensor apply(Tensor x, int start) {
        int[] s = x.shape();
        if (s.length != 4 || s[3] != headDim)
            throw new IllegalArgumentException("Rope.apply: x must be (B, H, T, " + headDim + "), got " + ScaledDotProductAttention.str(s));
        if (start < 0) throw new IllegalArgumentException("Rope.apply: start position must be >= 0, got " + start);
        int t = s[2], half = headDim / 2;
        float[] c = new float[t * half], sn = new float[t * half];
        for (int p = 0; p < t; p++)
            for (int i = 0; i < half; i++) {
                double a = angle(start + p, i);
                c[p * half + i] = (float) Math.cos(a);
                sn[p * half + i] = (float) Math.sin(a);
            }
        Tensor cos = Tensor.wrap(c, t, half), sin = Tensor.wrap(sn, t, half);   // (T, d/2), broadcast over B, H
        Tensor x1 = x.slice(3, 0, half), x2 = x.slice(3, half, headDim);          // (B, H, T, d/2) each
        Tensor y1 = x1.mul(cos).sub(x2.mul(sin));
        Tensor y2 = x1.mul(sin).add(x2.mul(cos));
        return Tensor.concat(3, y1, y2);                                          // (B, H, T, d)
    }
}
