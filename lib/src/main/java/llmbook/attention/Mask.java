package llmbook.attention;

import java.util.Arrays;
import llmbook.tensor.Tensor;

/**
 * Which keys each query may see. Q2, Q11 (encoder vs decoder: bidirectional vs causal).
 *
 * <p>A mask is turned into a "hide" tensor of 1s (hidden) and 0s (visible) that broadcasts to the scores
 * {@code (B, H, Tq, Tk)}; the hidden scores are set to −∞ before the softmax, so they get weight exactly 0.
 * <ul>
 *   <li>{@link #NONE}: bidirectional (an encoder such as BERT): every query sees every key.</li>
 *   <li>{@link #CAUSAL}: a decoder (GPT): query {@code i} sees keys {@code j ≤ i}. When {@code Tq < Tk} (decoding with a
 *       KV cache) the queries are the LAST {@code Tq} positions, so query {@code i} sees {@code j ≤ Tk − Tq + i}.</li>
 *   <li>{@link #padding(int...)}: sequence {@code b} of a batch is {@code lengths[b]} tokens long, the rest is padding:
 *       keys {@code j ≥ lengths[b]} are hidden. {@link #causalPadding(int...)} combines both.</li>
 *   <li>{@link #segments(int...)}: several sequences packed into one row with no padding (a ragged batch); each
 *       position sees its own sequence only.</li>
 * </ul>
 * Outputs at padded query positions are computed but meaningless; the loss must ignore them.
 */
public final class Mask {
    /** Bidirectional: nothing hidden. */
    public static final Mask NONE = new Mask(false, null, null);
    /** Causal: the future is hidden. */
    public static final Mask CAUSAL = new Mask(true, null, null);

    private final boolean causal;
    private final int[] lengths;   // null: no padding
    private final int[] segments;  // null: one sequence per batch row

    private Mask(boolean causal, int[] lengths, int[] segments) {
        this.causal = causal;
        this.lengths = lengths;
        this.segments = segments;
    }

    /** Keys at positions {@code ≥ lengths[b]} of sequence {@code b} are padding. Each length must be ≥ 1. */
    public static Mask padding(int... lengths) { return new Mask(false, checkLengths(lengths), null); }

    /** Causal and padding together. */
    public static Mask causalPadding(int... lengths) { return new Mask(true, checkLengths(lengths), null); }

    /**
     * A ragged batch: sequences of these lengths stored one after another in ONE row (batch 1, T = their sum), no
     * padding; every position sees every position of its own sequence and nothing else (bidirectional, an encoder's).
     */
    public static Mask segments(int... lengths) { return new Mask(false, null, checkLengths(lengths)); }

    private static int[] checkLengths(int[] lengths) {
        if (lengths.length == 0) throw new IllegalArgumentException("Mask.padding: need one length per sequence, got none");
        for (int b = 0; b < lengths.length; b++)
            if (lengths[b] < 1)
                throw new IllegalArgumentException("Mask.padding: length of sequence " + b + " is " + lengths[b]
                        + "; it must be >= 1 (a query that sees no key has no softmax)");
        return lengths.clone();
    }

    public boolean isCausal() { return causal; }

    /** The per-sequence lengths, or null when there is no padding. */
    public int[] lengths() { return lengths == null ? null : lengths.clone(); }

    /** The lengths of the sequences of a ragged row ({@link #segments}), or null. */
    public int[] segments() { return segments == null ? null : segments.clone(); }

    /**
     * The hide tensor for scores {@code (B, ·, Tq, Tk)}, or null when nothing is hidden: {@code (1, 1, Tq, Tk)} when only
     * causal, {@code (B, 1, 1, Tk)} when only padding, {@code (B, 1, Tq, Tk)} for both.
     */
    public Tensor hidden(int batch, int tq, int tk) {
        if (causal && tq > tk)
            throw new IllegalArgumentException("Mask.hidden: causal mask needs Tq <= Tk (queries are the last Tq of the Tk positions), got Tq="
                    + tq + ", Tk=" + tk);
        if (lengths != null) {
            if (lengths.length != batch)
                throw new IllegalArgumentException("Mask.hidden: padding mask has " + lengths.length + " lengths, batch has " + batch + " sequences");
            for (int b = 0; b < batch; b++)
                if (lengths[b] > tk)
                    throw new IllegalArgumentException("Mask.hidden: length " + lengths[b] + " of sequence " + b + " exceeds Tk=" + tk);
        }
        if (segments != null) {                        // block diagonal (1, 1, T, T)
            int total = Arrays.stream(segments).sum();
            if (batch != 1 || tq != total || tk != total)
                throw new IllegalArgumentException("Mask.hidden: a segments mask of " + segments.length + " sequences (" + total
                        + " positions) needs one row of " + total + " queries and keys, got batch " + batch + ", Tq=" + tq + ", Tk=" + tk);
            float[] m = new float[total * total];
            Arrays.fill(m, 1f);
            for (int s = 0, start = 0; s < segments.length; start += segments[s++])
                for (int i = start; i < start + segments[s]; i++) Arrays.fill(m, i * total + start, i * total + start + segments[s], 0f);
            return Tensor.wrap(m, 1, 1, total, total);
        }
        if (!causal && lengths == null) return null;
        int nb = lengths == null ? 1 : batch, nq = causal ? tq : 1;
        float[] m = new float[nb * nq * tk];
        for (int b = 0; b < nb; b++)
            for (int i = 0; i < nq; i++) {
                int o = (b * nq + i) * tk;
                int firstHidden = tk;
                if (causal) firstHidden = Math.min(firstHidden, tk - tq + i + 1);
                if (lengths != null) firstHidden = Math.min(firstHidden, lengths[b]);
                Arrays.fill(m, o + firstHidden, o + tk, 1f);
            }
        return Tensor.wrap(m, nb, 1, nq, tk);
    }

    /** What query i of sequence b may see: {@code [i][j] = 1} visible, 0 hidden (Tq × Tk), for drawing the mask. */
    public float[][] picture(int b, int batch, int tq, int tk) {
        Tensor hide = hidden(batch, tq, tk);
        float[][] out = new float[tq][tk];
        for (int i = 0; i < tq; i++)
            for (int j = 0; j < tk; j++)
                out[i][j] = hide == null ? 1f : 1f - hide.get(hide.size(0) == 1 ? 0 : b, 0, hide.size(2) == 1 ? 0 : i, j);
        return out;
    }

    @Override
    public String toString() {
        if (segments != null) return "Mask.segments" + Arrays.toString(segments);
        if (lengths == null) return causal ? "Mask.CAUSAL" : "Mask.NONE";
        return (causal ? "Mask.causalPadding" : "Mask.padding") + Arrays.toString(lengths);
    }
}
