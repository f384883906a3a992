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
 * map up to a fixed permutation of the features.
 *
 * <p>One autograd op: the forward rotates by {@code +pθ_i}; a rotation's transpose is its inverse, so the backward
 * rotates the output gradient by {@code −pθ_i}. The cos/sin tables are computed once per instance (grown when a later
 * position is asked for) and reused by every call, forward and backward.
 */
public final class Rope {
    private final int headDim;
    private final double base;
    private volatile float[] cos = new float[0], sin = new float[0];   // (positions, d/2): row p holds cos(pθ_i), sin(pθ_i)

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

    /** Positions whose cos/sin rows are computed so far. */
    public int tablePositions() { return cos.length / (headDim / 2); }

    /** Makes the tables cover positions 0 … n−1 (doubling, so a decoder growing one token at a time recomputes rarely). */
    private synchronized void ensure(int n) {
        int half = headDim / 2, have = cos.length / half;
        if (n <= have) return;
        int m = Math.max(n, 2 * have);
        float[] c = java.util.Arrays.copyOf(cos, m * half), s = java.util.Arrays.copyOf(sin, m * half);
        for (int p = have; p < m; p++)
            for (int i = 0; i < half; i++) {
                double a = angle(p, i);
                c[p * half + i] = (float) Math.cos(a);
                s[p * half + i] = (float) Math.sin(a);
            }
        sin = s;        // sin first: a reader that sees the new cos also sees the new sin
        cos = c;
    }

    /** Rotates x (B, H, T, d) whose positions are 0 … T−1. */
    public Tensor apply(Tensor x) { return apply(x, 0); }

    /** Rotates x (B, H, T, d) whose positions are {@code start … start+T−1} (start > 0 when decoding with a KV cache). */
    public Tensor apply(Tensor x, int start) {
        int[] s = x.shape();
        if (s.length != 4 || s[3] != headDim)
            throw new IllegalArgumentException("Rope.apply: x must be (B, H, T, " + headDim + "), got " + ScaledDotProductAttention.str(s));
        if (start < 0) throw new IllegalArgumentException("Rope.apply: start position must be >= 0, got " + start);
        int t = s[2], rows = s[0] * s[1];
        ensure(start + t);
        float[] c = cos, sn = sin;
        Tensor xc = x.contiguous();
        float[] y = new float[xc.numel()];
        rotate(y, xc.data(), xc.offset(), c, sn, rows, t, start, 1f);
        Tensor out = Tensor.fromOp("rope", y, s, xc);
        return out.onBackward(g -> {
            float[] gx = new float[g.length];
            rotate(gx, g, 0, c, sn, rows, t, start, -1f);            // Rᵀ = R(−angle)
            float[] acc = xc.gradBuffer();
            for (int i = 0; i < gx.length; i++) acc[i] += gx[i];
        });
    }

    /**
     * Rotates x (B, T, n·d), the output of a projection holding n heads of size d side by side, at positions
     * {@code start … start+T−1}: the same rotation as {@link #apply(Tensor, int)} on the split heads, without splitting.
     */
    public Tensor applyHeads(Tensor x, int n, int start) {
        int[] s = x.shape();
        if (s.length != 3 || n < 1 || s[2] != n * headDim)
            throw new IllegalArgumentException("Rope.applyHeads: x must be (B, T, " + n + "·" + headDim + "), got " + ScaledDotProductAttention.str(s));
        if (start < 0) throw new IllegalArgumentException("Rope.applyHeads: start position must be >= 0, got " + start);
        int t = s[1], bt = s[0] * t;
        ensure(start + t);
        float[] c = cos, sn = sin;
        Tensor xc = x.contiguous();
        float[] y = new float[xc.numel()];
        rotateRows(y, xc.data(), xc.offset(), c, sn, bt, t, n, start, 1f);
        Tensor out = Tensor.fromOp("rope", y, s, xc);
        return out.onBackward(g -> {
            float[] gx = new float[g.length];
            rotateRows(gx, g, 0, c, sn, bt, t, n, start, -1f);
            float[] acc = xc.gradBuffer();
            for (int i = 0; i < gx.length; i++) acc[i] += gx[i];
        });
    }

    /** Rows (b, t) of n heads each: head h of row bt is at (bt·n + h)·d, its position start + bt mod T. */
    private void rotateRows(float[] y, float[] x, int xo, float[] cos, float[] sin, int bt, int t, int n, int start, float sign) {
        int d = headDim, half = d / 2;
        for (int r = 0; r < bt; r++) {
            int tab = (start + r % t) * half;
            for (int h = 0; h < n; h++) {
                int o = (r * n + h) * d;
                for (int i = 0; i < half; i++) {
                    float c = cos[tab + i], sn = sign * sin[tab + i];
                    float a = x[xo + o + i], b = x[xo + o + half + i];
                    y[o + i] = a * c - b * sn;
                    y[o + half + i] = a * sn + b * c;
                }
            }
        }
    }

    /**
     * y = x rotated by {@code sign·pθ_i}: rows (b, h) of T positions start…, pairs (i, i + d/2):
     * {@code y_i = x_i·cos − sign·x_{i+d/2}·sin}, {@code y_{i+d/2} = sign·x_i·sin + x_{i+d/2}·cos}.
     */
    private void rotate(float[] y, float[] x, int xo, float[] cos, float[] sin, int rows, int t, int start, float sign) {
        int d = headDim, half = d / 2;
        for (int r = 0; r < rows; r++)
            for (int p = 0; p < t; p++) {
                int o = (r * t + p) * d, tab = (start + p) * half;
                for (int i = 0; i < half; i++) {
                    float c = cos[tab + i], sn = sign * sin[tab + i];
                    float a = x[xo + o + i], b = x[xo + o + half + i];
                    y[o + i] = a * c - b * sn;
                    y[o + half + i] = a * sn + b * c;
                }
            }
    }
}
