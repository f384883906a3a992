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
    private final Scaling scaling;
    private final double[] freq;        // θ'_i, after scaling
    private final double magnitude;     // YaRN's √(1/t) on q and on k: q·k is scaled by its square
    private volatile float[] cos = new float[0], sin = new float[0];   // (positions, d/2): row p holds cos(pθ_i), sin(pθ_i)

    /** RoPE for heads of size {@code headDim} (even) with base 10000. */
    public Rope(int headDim) { this(headDim, 10000.0); }

    public Rope(int headDim, double base) { this(headDim, base, Scaling.NONE); }

    /** RoPE with a context-extension {@link Scaling} (chapter 13); {@link Scaling#NONE} is the plain rotation. */
    public Rope(int headDim, double base, Scaling scaling) {
        if (headDim < 2 || headDim % 2 != 0)
            throw new IllegalArgumentException("Rope: head size must be even and >= 2 (features are rotated in pairs), got " + headDim);
        if (!(base > 1)) throw new IllegalArgumentException("Rope: base must be > 1, got " + base);
        if (scaling == null) throw new IllegalArgumentException("Rope: scaling must not be null (Scaling.NONE for none)");
        this.headDim = headDim;
        this.base = base;
        this.scaling = scaling;
        this.freq = new double[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) freq[i] = scaling.frequency(base, headDim, i);
        this.magnitude = scaling.magnitude();
    }

    public int headDim() { return headDim; }
    public double base() { return base; }
    public Scaling scaling() { return scaling; }

    /** The angle {@code p·θ_i} for position {@code p} and pair {@code i} (θ_i after the scaling). */
    public double angle(int p, int i) { return p * freq[i]; }

    /**
     * How RoPE reaches beyond the context it was trained at, by a factor {@code s = factor} (chapter 13). With
     * {@code θ_i = base^(−2i/d)}:
     * <pre>
     *   NONE    θ'_i = θ_i                                   positions past the trained context give unseen angles
     *   LINEAR  θ'_i = θ_i / s                               position interpolation (Chen et al. 2023): squeeze s·L into L
     *   NTK     θ'_i = (base·s^(d/(d−2)))^(−2i/d)            "NTK-aware": raise the base; the fastest pair (i = 0) keeps
     *                                                        its angle, the slowest is divided by exactly s
     *   YARN    θ'_i = (1 − γ_i)·θ_i/s + γ_i·θ_i             per pair (Peng et al. 2023): γ_i = clamp((r_i − 1)/(32 − 1), 0, 1),
     *                                                        r_i = L / (2π/θ_i) turns in the trained context L; pairs that
     *                                                        turn many times keep θ_i, slow ones are interpolated;
     *           q and k × (0.1·ln s + 1)                     and the attention logits get YaRN's temperature (its square)
     * </pre>
     */
    public record Scaling(Kind kind, double factor, int originalContext) {
        public enum Kind { NONE, LINEAR, NTK, YARN }

        /** The plain rotation. */
        public static final Scaling NONE = new Scaling(Kind.NONE, 1, 0);

        public Scaling {
            if (kind == null) throw new IllegalArgumentException("Rope.Scaling: kind must not be null");
            if (!(factor >= 1) || Double.isInfinite(factor)) throw new IllegalArgumentException("Rope.Scaling: factor must be >= 1, got " + factor);
            if (kind == Kind.YARN && originalContext < 1)
                throw new IllegalArgumentException("Rope.Scaling: YaRN needs the trained context (>= 1), got " + originalContext);
        }

        /** Position interpolation by {@code s}. */
        public static Scaling linear(double s) { return new Scaling(Kind.LINEAR, s, 0); }

        /** NTK-aware scaling of the base for a context {@code s} times longer. */
        public static Scaling ntk(double s) { return new Scaling(Kind.NTK, s, 0); }

        /** YaRN for a context {@code s} times the trained {@code originalContext}. */
        public static Scaling yarn(double s, int originalContext) { return new Scaling(Kind.YARN, s, originalContext); }

        /** θ'_i for pair {@code i} of a head of size {@code d}. */
        public double frequency(double base, int d, int i) {
            double theta = Math.pow(base, -2.0 * i / d);
            return switch (kind) {
                case NONE -> theta;
                case LINEAR -> theta / factor;
                case NTK -> Math.pow(base * Math.pow(factor, d / (d - 2.0)), -2.0 * i / d);
                case YARN -> {
                    double turns = originalContext * theta / (2 * Math.PI);
                    double g = Math.max(0, Math.min(1, (turns - 1) / (32 - 1)));
                    yield (1 - g) * theta / factor + g * theta;
                }
            };
        }

        /** The factor on q and on k: YaRN's {@code 0.1·ln s + 1}, 1 otherwise. */
        public double magnitude() { return kind == Kind.YARN ? 0.1 * Math.log(factor) + 1 : 1; }

        @Override public String toString() {
            return switch (kind) {
                case NONE -> "none";
                case LINEAR -> "PI ×" + factor;
                case NTK -> "NTK ×" + factor;
                case YARN -> "YaRN ×" + factor + " (trained at " + originalContext + ")";
            };
        }
    }

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
                c[p * half + i] = (float) (magnitude * Math.cos(a));
                s[p * half + i] = (float) (magnitude * Math.sin(a));
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
        float[] y = llmbook.tensor.Buffers.dirty(xc.numel());          // every element is written
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
        float[] y = llmbook.tensor.Buffers.dirty(xc.numel());          // every element is written
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
