package llmbook.attention;

import llmbook.tensor.Tensor;

/**
 * The fixed sinusoidal position table of "Attention Is All You Need", added to token embeddings. Q8.
 * <pre>
 *   PE[p, 2i]   = sin(p / base^(2i/d))
 *   PE[p, 2i+1] = cos(p / base^(2i/d))        i = 0 … d/2 − 1, base = 10000
 * </pre>
 * Each pair of features is a clock turning at its own speed, from one turn per 2π positions (i = 0) down to one turn per
 * 2π·base positions: nearby positions get similar rows, and {@code PE[p + k]} is a fixed rotation of {@code PE[p]} for
 * every p, so a linear map can read relative offsets. No parameters are learned.
 */
public final class SinusoidalPositions {
    private final int dim;
    private final int maxLen;
    private final double base;

    /** A table for model width {@code dim} (even) and positions 0 … maxLen − 1, base 10000. */
    public SinusoidalPositions(int dim, int maxLen) { this(dim, maxLen, 10000.0); }

    public SinusoidalPositions(int dim, int maxLen, double base) {
        if (dim < 2 || dim % 2 != 0)
            throw new IllegalArgumentException("SinusoidalPositions: width must be even and >= 2 (sin/cos pairs), got " + dim);
        if (maxLen < 1) throw new IllegalArgumentException("SinusoidalPositions: maxLen must be >= 1, got " + maxLen);
        if (!(base > 1)) throw new IllegalArgumentException("SinusoidalPositions: base must be > 1, got " + base);
        this.dim = dim;
        this.maxLen = maxLen;
        this.base = base;
    }

    public int dim() { return dim; }
    public int maxLen() { return maxLen; }

    /** The table for positions 0 … t − 1, shape (t, dim); constant (no gradient). */
    public Tensor table(int t) {
        if (t < 1 || t > maxLen)
            throw new IllegalArgumentException("SinusoidalPositions: sequence length " + t + " outside 1 … context window " + maxLen);
        float[] pe = new float[t * dim];
        for (int p = 0; p < t; p++)
            for (int i = 0; i < dim / 2; i++) {
                double a = p * Math.pow(base, -2.0 * i / dim);
                pe[p * dim + 2 * i] = (float) Math.sin(a);
                pe[p * dim + 2 * i + 1] = (float) Math.cos(a);
            }
        return Tensor.wrap(pe, t, dim);
    }

    /** x (B, T, dim) plus the table for positions 0 … T − 1 (broadcast over the batch). */
    public Tensor apply(Tensor x) {
        int[] s = x.shape();
        if (s.length != 3 || s[2] != dim)
            throw new IllegalArgumentException("SinusoidalPositions.apply: x must be (B, T, " + dim + "), got " + ScaledDotProductAttention.str(s));
        return x.add(table(s[1]));
    }
}
