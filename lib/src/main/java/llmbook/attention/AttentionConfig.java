package llmbook.attention;

/**
 * Shape of a grouped-query attention layer. Q9.
 *
 * @param dModel    width C of the residual stream
 * @param nHeads    query heads H; each has size C/H
 * @param nKvGroups K/V heads G: H (multi-head), 1 (multi-query), or any divisor of H (grouped-query)
 * @param bias      whether the projections have biases (GPT-2: yes; LLaMA: no)
 * @param rope      whether queries and keys are rotated by {@link Rope} (LLaMA) instead of relying on added position embeddings
 * @param ropeScaling how RoPE is stretched for a longer context ({@link Rope.Scaling#NONE}: not at all; chapter 13)
 * @param alibi     whether each head adds {@link Alibi}'s linear distance penalty to its logits (no position vectors; chapter 13)
 */
public record AttentionConfig(int dModel, int nHeads, int nKvGroups, boolean bias, boolean rope, Rope.Scaling ropeScaling, boolean alibi) {
    public AttentionConfig {
        if (ropeScaling == null) ropeScaling = Rope.Scaling.NONE;
        if (dModel < 1) throw new IllegalArgumentException("AttentionConfig: dModel must be >= 1, got " + dModel);
        if (nHeads < 1) throw new IllegalArgumentException("AttentionConfig: nHeads must be >= 1, got " + nHeads);
        if (dModel % nHeads != 0)
            throw new IllegalArgumentException("AttentionConfig: nHeads=" + nHeads + " must divide dModel=" + dModel + " (head size would be "
                    + dModel + "/" + nHeads + ")");
        if (nKvGroups < 1 || nKvGroups > nHeads || nHeads % nKvGroups != 0)
            throw new IllegalArgumentException("AttentionConfig: nKvGroups=" + nKvGroups + " must divide nHeads=" + nHeads
                    + " (1 = multi-query, " + nHeads + " = multi-head)");
        if (rope && (dModel / nHeads) % 2 != 0)
            throw new IllegalArgumentException("AttentionConfig: RoPE needs an even head size, got dModel/nHeads=" + dModel / nHeads);
        if (rope && alibi) throw new IllegalArgumentException("AttentionConfig: RoPE and ALiBi are two ways to give positions; choose one");
    }

    /** No ALiBi. */
    public AttentionConfig(int dModel, int nHeads, int nKvGroups, boolean bias, boolean rope, Rope.Scaling ropeScaling) {
        this(dModel, nHeads, nKvGroups, bias, rope, ropeScaling, false);
    }

    /** No RoPE scaling. */
    public AttentionConfig(int dModel, int nHeads, int nKvGroups, boolean bias, boolean rope) { this(dModel, nHeads, nKvGroups, bias, rope, Rope.Scaling.NONE); }

    /** Biases on, no RoPE (GPT-2 style). */
    public AttentionConfig(int dModel, int nHeads, int nKvGroups) { this(dModel, nHeads, nKvGroups, true, false); }

    /** Head size C/H. */
    public int headDim() { return dModel / nHeads; }

    /** Multi-head attention: every query head has its own K/V head. */
    public boolean isMultiHead() { return nKvGroups == nHeads; }

    /** Multi-query attention: all query heads share one K/V head. */
    public boolean isMultiQuery() { return nKvGroups == 1; }

    /** fp32 bytes of K and V cached per token per layer: {@code 2 · G · (C/H) · 4}. */
    public long kvCacheBytesPerToken() { return 2L * nKvGroups * headDim() * Float.BYTES; }
}
