package llmbook.attention;

import llmbook.tensor.Tensor;

/**
 * ALiBi, attention with linear biases (Press, Smith and Lewis, 2022): no position vectors at all; each head adds to its
 * attention logits a penalty that grows linearly with the distance between query and key. Chapter 13.
 * <pre>
 *   logits_h(i, j) = q_i·k_j/√d − m_h·|i − j|        m_h = 2^(−8(h+1)/H), h = 0 … H−1   (H = 8: 1/2, 1/4, … 1/256)
 * </pre>
 * The slopes are fixed, not learned: steep heads look at the last few tokens, gentle heads far back. Nothing in the
 * rule depends on the trained context, so the same weights read any length; that is why the ALiBi paper trains short
 * and tests long. With a KV cache the new queries sit at positions {@code Tk − Tq … Tk − 1}, so the bias of a decode
 * step is the last row of the full one. (|i − j| makes it symmetric for an encoder; in a causal decoder only j ≤ i is
 * ever seen.)
 */
public final class Alibi {
    private Alibi() {}

    /** The slope of every head: {@code 2^(−8(h+1)/H)}, a geometric sequence from 2^(−8/H) down to 2^(−8). */
    public static float[] slopes(int heads) {
        if (heads < 1) throw new IllegalArgumentException("Alibi: heads must be >= 1, got " + heads);
        float[] m = new float[heads];
        for (int h = 0; h < heads; h++) m[h] = (float) Math.pow(2, -8.0 * (h + 1) / heads);
        return m;
    }

    /**
     * The additive bias (1, H, Tq, Tk) for queries at positions {@code Tk − Tq … Tk − 1} against keys {@code 0 … Tk − 1}:
     * {@code −m_h·|i − j|}. A constant (no gradient): the logits it is added to carry the gradient.
     */
    public static Tensor bias(int heads, int tq, int tk) {
        if (tq < 1 || tk < tq) throw new IllegalArgumentException("Alibi: need 1 <= Tq <= Tk, got Tq=" + tq + ", Tk=" + tk);
        float[] m = slopes(heads), b = new float[heads * tq * tk];
        int off = tk - tq;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < tq; i++)
                for (int j = 0; j < tk; j++) b[(h * tq + i) * tk + j] = -m[h] * Math.abs(off + i - j);
        return Tensor.of(b, 1, heads, tq, tk);
    }
}
