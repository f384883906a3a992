package llmbook.attention;

import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Classic multi-head self-attention as in GPT-2 / nanoGPT: one fused projection to q, k, v, H heads, an output
 * projection. Q2, Q9. The reference the grouped variants are tested against.
 * <pre>
 *   q, k, v = split(x·W_attnᵀ + b)             W_attn (3C, C)
 *   head_h  = softmax(q_h·k_hᵀ/√d + M)·v_h     d = C/H
 *   y       = concat(head_1 … head_H)·W_projᵀ + b
 * </pre>
 * Caches {@code 2·C} floats per token: a K and a V row of size d for every head.
 */
public final class MultiHeadAttention extends Module implements SelfAttention {
    public final int dModel, nHeads;
    public final Linear cAttn;   // (3C, C): rows [0, C) make q, [C, 2C) k, [2C, 3C) v
    public final Linear cProj;   // (C, C)
    private final ScaledDotProductAttention sdpa = new ScaledDotProductAttention();

    public MultiHeadAttention(int dModel, int nHeads, Rng rng) {
        new AttentionConfig(dModel, nHeads, nHeads);   // validates
        this.dModel = dModel;
        this.nHeads = nHeads;
        this.cAttn = module("c_attn", new Linear(dModel, 3 * dModel, rng));
        this.cProj = module("c_proj", new Linear(dModel, dModel, rng));
    }

    @Override
    public Tensor forward(Tensor x, Mask mask) {
        SelfAttention.checkInput("MultiHeadAttention", x, dModel);
        if (!sdpa.capturesWeights() && FusedAttention.plainCausal(mask))            // training: one fused op on the packed q|k|v
            return cProj.forward(FusedAttention.causalPacked(cAttn.forward(x), nHeads, nHeads, (float) (1.0 / Math.sqrt(dModel / nHeads))));
        var qkv = cAttn.forward(x).split(2, dModel, dModel, dModel);                // 3 × (B, T, C)
        Tensor q = Heads.split(qkv.get(0), nHeads);                                 // (B, H, T, d)
        Tensor k = Heads.split(qkv.get(1), nHeads);
        Tensor v = Heads.split(qkv.get(2), nHeads);
        Tensor y = sdpa.forward(q, k, v, mask);                                     // (B, H, T, d)
        return cProj.forward(Heads.merge(y));                                       // (B, T, C)
    }

    @Override
    public Tensor forward(Tensor x, KvCache cache) {
        SelfAttention.checkInput("MultiHeadAttention", x, dModel);
        int start = cache.length();
        var qkv = cAttn.forward(x).split(2, dModel, dModel, dModel);                // 3 × (B, T_new, C)
        cache.append(Heads.split(qkv.get(1), nHeads), Heads.split(qkv.get(2), nHeads));
        Tensor y = GroupedQueryAttention.cachedAttention(sdpa, Heads.split(qkv.get(0), nHeads), cache, start,
                (float) (1.0 / Math.sqrt(dModel / nHeads)));                        // (B, H, T_new, d)
        return cProj.forward(Heads.merge(y));
    }

    /** Parts {@code k}, {@code v}: (B, H, T, d) each; grows as tokens come. */
    @Override public KvCache newCache() { return KvCache.grouped(nHeads, dModel / nHeads); }

    /** Parts {@code k}, {@code v}: (B, H, capacity, d) each, preallocated. */
    @Override public KvCache newCache(int batch, int capacity) { return KvCache.grouped(nHeads, dModel / nHeads, batch, capacity); }

    @Override public MultiHeadAttention captureWeights(boolean on) { sdpa.captureWeights(on); return this; }

    @Override public long kvCacheBytesPerToken() { return 2L * dModel * Float.BYTES; }

    @Override public Tensor lastWeights() { return SelfAttention.lastWeights("MultiHeadAttention", sdpa); }
}
