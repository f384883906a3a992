package llmbook.attention;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Grouped-query attention (Ainslie et al. 2023): H query heads share G key/value heads, H/G queries per group. Q9.
 * <pre>
 *   q = x·W_qᵀ  (B, H, T, d)     k = x·W_kᵀ, v = x·W_vᵀ  (B, G, T, d)     d = C/H
 *   head_h = softmax(q_h·k_{g(h)}ᵀ/√d + M)·v_{g(h)},  g(h) = ⌊h / (H/G)⌋
 *   y = concat(head_1 … head_H)·W_oᵀ
 * </pre>
 * One class, three classic points: G = H is multi-head attention (MHA), G = 1 is multi-query attention (MQA,
 * Shazeer 2019), anything between is GQA (LLaMA-2 70B: H = 64, G = 8). A decoder caches K and V for each past token:
 * {@code 2·G·d} floats, so MQA caches H× less than MHA and GQA H/G× less, at a small cost in quality.
 * With {@link AttentionConfig#rope()} queries and keys are rotated by {@link Rope} after projection; with
 * {@link AttentionConfig#alibi()} each head's logits get {@link Alibi}'s distance penalty instead.
 */
public final class GroupedQueryAttention extends Module implements SelfAttention {
    public final AttentionConfig config;
    private final Rope rope;  // null without RoPE
    private final ScaledDotProductAttention sdpa = new ScaledDotProductAttention();
    private Tensor alibiBias;  // the last ALiBi bias used (with config.alibi())

    public GroupedQueryAttention(int dModel, int nHeads, int nKvGroups, Rng rng) { this(new AttentionConfig(dModel, nHeads, nKvGroups), rng); }

    public GroupedQueryAttention(AttentionConfig config, Rng rng) {
        this.config = config;
        int c = config.dModel(), kv = config.nKvGroups() * config.headDim();
        module("q", new Linear(c, c, config.bias(), rng));
        module("k", new Linear(c, kv, config.bias(), rng));
        module("v", new Linear(c, kv, config.bias(), rng));
        module("o", new Linear(c, c, config.bias(), rng));
        this.rope = config.rope() ? new Rope(config.headDim(), 10000.0, config.ropeScaling()) : null;
    }

    @Override
    public Tensor forward(Tensor x, Mask mask) {
        SelfAttention.checkInput("GroupedQueryAttention", x, config.dModel());
        boolean fused = !sdpa.capturesWeights() && !config.alibi();
        boolean training = fused && FusedAttention.plainCausal(mask);                    // one fused op, heads never split
        boolean encoderInference = fused && mask != null && !mask.isCausal() && !Tensor.isGradEnabled();
        if (training || encoderInference) {
            int h = config.nHeads(), g = config.nKvGroups();
            int[] segments = training ? null : mask.segments();
            if (segments != null && rope != null)
                throw new IllegalArgumentException("GroupedQueryAttention: a ragged batch (Mask.segments) cannot take RoPE: positions restart in every sequence");
            Tensor q = proj("q").forward(x), k = proj("k").forward(x), v = proj("v").forward(x);   // (B, T, H·d), (B, T, G·d), (B, T, G·d)
            if (rope != null) {
                q = rope.applyHeads(q, h, 0);
                k = rope.applyHeads(k, g, 0);
            }
            float scale = (float) (1.0 / Math.sqrt(config.headDim()));
            return proj("o").forward(training ? FusedAttention.causalHeads(q, k, v, h, g, scale)
                    : segments != null ? FusedAttention.segmented(q, k, v, h, g, segments, scale)
                    : FusedAttention.padded(q, k, v, h, g, mask.lengths(), scale));
        }
        Tensor q = Heads.split(proj("q").forward(x), config.nHeads());        // (B, H, T, d)
        Tensor k = Heads.split(proj("k").forward(x), config.nKvGroups());     // (B, G, T, d)
        Tensor v = Heads.split(proj("v").forward(x), config.nKvGroups());     // (B, G, T, d)
        if (rope != null) {
            q = rope.apply(q);
            k = rope.apply(k);
        }
        int t = x.shape()[1];
        Tensor y = sdpa.forward(q, k, v, mask, config.alibi() ? alibi(t, t) : null);   // (B, H, T, d)
        return proj("o").forward(Heads.merge(y));                             // (B, T, C)
    }

    @Override
    public Tensor forward(Tensor x, KvCache cache) {
        SelfAttention.checkInput("GroupedQueryAttention", x, config.dModel());
        int start = cache.length();
        Tensor q = Heads.split(proj("q").forward(x), config.nHeads());        // (B, H, T_new, d)
        Tensor k = Heads.split(proj("k").forward(x), config.nKvGroups());     // (B, G, T_new, d)
        Tensor v = Heads.split(proj("v").forward(x), config.nKvGroups());
        if (rope != null) {
            q = rope.apply(q, start);
            k = rope.apply(k, start);
        }
        cache.append(k, v);                                            // written in place at positions start …
        if (config.alibi()) {                                          // the biased logits: the composed path over the cache
            int tq = q.shape()[2];
            Tensor y = sdpa.forward(q, cache.keysView(), cache.valuesView(), Mask.CAUSAL, alibi(tq, start + tq));
            return proj("o").forward(Heads.merge(y));
        }
        Tensor y = cachedAttention(sdpa, q, cache, start, (float) (1.0 / Math.sqrt(config.headDim())));   // (B, H, T_new, d)
        return proj("o").forward(Heads.merge(y));
    }

    /**
     * Attention of the new queries against everything cached: the decoding kernel, or (weights captured, or queries that
     * need a gradient) the composed path over views of the cache. Keys and values come from the cache, so no gradient
     * reaches them either way.
     */
    static Tensor cachedAttention(ScaledDotProductAttention sdpa, Tensor q, KvCache cache, int start, float scale) {
        if (sdpa.capturesWeights() || (Tensor.isGradEnabled() && q.requiresGrad()))
            return sdpa.forward(q, cache.keysView(), cache.valuesView(), Mask.CAUSAL);
        return FusedAttention.cached(q, cache, start, scale);
    }

    /** {@link Alibi#bias} for Tq queries ending at key Tk, kept for the next call of the same shape. */
    private Tensor alibi(int tq, int tk) {
        if (alibiBias == null || alibiBias.shape()[2] != tq || alibiBias.shape()[3] != tk) alibiBias = Alibi.bias(config.nHeads(), tq, tk);
        return alibiBias;
    }

    /** Parts {@code k}, {@code v}: (B, G, T, d) each; grows as tokens come. */
    @Override public KvCache newCache() { return KvCache.grouped(config.nKvGroups(), config.headDim()); }

    /** Parts {@code k}, {@code v}: (B, G, capacity, d) each, preallocated. */
    @Override public KvCache newCache(int batch, int capacity) { return KvCache.grouped(config.nKvGroups(), config.headDim(), batch, capacity); }

    @Override public GroupedQueryAttention captureWeights(boolean on) { sdpa.captureWeights(on); return this; }

    /** {@code 2 · G · d · 4} bytes: one K and one V row per K/V head. */
    @Override public long kvCacheBytesPerToken() { return config.kvCacheBytesPerToken(); }

    @Override public Tensor lastWeights() { return SelfAttention.lastWeights("GroupedQueryAttention", sdpa); }

    /** Projection {@code name}, as registered or as replaced (e.g. by a LoRA adapter: {@code replace("h.*.attn.q", ...)}). */
    private Layer proj(String name) { return child(name); }
}
