package llmbook.attention;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Cross-attention (encoder–decoder attention of the original Transformer): queries come from one sequence x, keys
 * and values from another, the memory m (e.g. the encoder's output). Q4, Q11.
 * <pre>
 *   q = x·W_qᵀ (B, H, Tq, d)    k = m·W_kᵀ, v = m·W_vᵀ (B, H, Tm, d)
 *   y = concat_h softmax(q_h·k_hᵀ/√d + M)·v_h · W_oᵀ      (B, Tq, C)
 * </pre>
 * No causal mask: the whole memory is known in advance. A {@link Mask#padding} mask hides padded memory positions.
 */
public final class CrossAttention extends Module {
    public final int dModel, nHeads;
    private final ScaledDotProductAttention sdpa = new ScaledDotProductAttention(Float.NaN, true);

    public CrossAttention(int dModel, int nHeads, Rng rng) {
        new AttentionConfig(dModel, nHeads, nHeads);   // validates
        this.dModel = dModel;
        this.nHeads = nHeads;
        module("q", new Linear(dModel, dModel, rng));
        module("k", new Linear(dModel, dModel, rng));
        module("v", new Linear(dModel, dModel, rng));
        module("o", new Linear(dModel, dModel, rng));
    }

    /** x (B, Tq, C) attends to memory (B, Tm, C); {@code mask} may hide memory padding (not causal). */
    public Tensor forward(Tensor x, Tensor memory, Mask mask) {
        SelfAttention.checkInput("CrossAttention", x, dModel);
        int[] xs = x.shape(), ms = memory.shape();
        if (ms.length != 3 || ms[0] != xs[0] || ms[2] != dModel)
            throw new IllegalArgumentException("CrossAttention.forward: memory must be (" + xs[0] + ", Tm, " + dModel + ") to match x "
                    + ScaledDotProductAttention.str(xs) + ", got " + ScaledDotProductAttention.str(ms));
        if (mask != null && mask.isCausal())
            throw new IllegalArgumentException("CrossAttention.forward: a causal mask makes no sense across two sequences; use Mask.NONE or Mask.padding");
        Tensor q = Heads.split(proj("q").forward(x), nHeads);        // (B, H, Tq, d)
        Tensor k = Heads.split(proj("k").forward(memory), nHeads);   // (B, H, Tm, d)
        Tensor v = Heads.split(proj("v").forward(memory), nHeads);   // (B, H, Tm, d)
        return proj("o").forward(Heads.merge(sdpa.forward(q, k, v, mask)));   // (B, Tq, C)
    }

    /**
     * Whether forwards keep their weights (default ON here: cross-attention always takes the composed path, which
     * computes the weights anyway, so keeping a reference costs nothing). Returns this.
     */
    public CrossAttention captureWeights(boolean on) { sdpa.captureWeights(on); return this; }

    /** Weights of the last forward (B, H, Tq, Tm), detached. */
    public Tensor lastWeights() { return SelfAttention.lastWeights("CrossAttention", sdpa); }

    /** Projection {@code name}, as registered or as replaced (e.g. by a LoRA adapter: {@code replace("h.*.attn.q", ...)}). */
    private Layer proj(String name) { return child(name); }
}
