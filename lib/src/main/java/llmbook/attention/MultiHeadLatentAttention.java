package llmbook.attention;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Multi-head latent attention (DeepSeek-V2, 2024): keys and values are rebuilt from one small latent per token, so the
 * KV cache holds {@code d_c + d_R} floats per token instead of MHA's {@code 2·C}. Q9 (MHA → MQA → GQA → MLA).
 * <pre>
 *   c_KV  = W_DKV·x                      (B, T, d_c)      the joint K/V latent — cached
 *   k^C_h = W_UK,h·c_KV,  v_h = W_UV,h·c_KV   (B, H, T, d)   "up-projections", recomputed (or absorbed, below)
 *   k^R   = RoPE(W_KR·x)                 (B, 1, T, d_R)   one rotary key shared by all heads — cached
 *   q^C_h = W_Q,h·x,  q^R_h = RoPE(W_QR,h·x)               (B, H, T, d) and (B, H, T, d_R)
 *   head_h = softmax([q^C_h; q^R_h]·[k^C_h; k^R]ᵀ / √(d + d_R) + M) · v_h
 *   y = concat(head_1 … head_H)·W_Oᵀ
 * </pre>
 * <b>Why the decoupled RoPE key.</b> Without RoPE, {@code q_h·k_h = (W_Q,h x)ᵀ W_UK,h c_KV}: W_UK,h can be absorbed
 * into the query projection, and at inference attention runs directly on the cached latents. RoPE puts a
 * position-dependent rotation between q and W_UK, which would block the absorption; so position goes into a separate,
 * small key k^R shared across heads (like MQA) and the content keys stay rotation-free.
 *
 * <p>Simplifications against the paper: queries are not compressed (DeepSeek-V2 also passes q through a latent
 * c_Q to save activation memory in training) and c_KV is not normalised. No projection has a bias.
 */
public final class MultiHeadLatentAttention extends Module implements SelfAttention {
    public final MlaConfig config;
    private final Rope rope;
    private final ScaledDotProductAttention sdpa;

    public MultiHeadLatentAttention(int dModel, int nHeads, int dLatent, int dRope, Rng rng) {
        this(new MlaConfig(dModel, nHeads, dLatent, dRope), rng);
    }

    public MultiHeadLatentAttention(MlaConfig config, Rng rng) {
        this.config = config;
        int c = config.dModel(), h = config.nHeads(), d = config.headDim(), dc = config.dLatent(), dr = config.dRope();
        module("dkv", new Linear(c, dc, false, rng));
        module("uk", new Linear(dc, h * d, false, rng));
        module("uv", new Linear(dc, h * d, false, rng));
        module("kr", new Linear(c, dr, false, rng));
        module("q", new Linear(c, h * d, false, rng));
        module("qr", new Linear(c, h * dr, false, rng));
        module("o", new Linear(h * d, c, false, rng));
        this.rope = new Rope(dr);
        this.sdpa = new ScaledDotProductAttention((float) (1.0 / Math.sqrt(d + dr)), false);
    }

    /** The latent c_KV = W_DKV·x (B, T, d_c): what the KV cache stores (with {@link #ropeKey}). */
    public Tensor latent(Tensor x) { return proj("dkv").forward(x); }

    /** The shared rotary key RoPE(W_KR·x) (B, 1, T, d_R), positions 0 … T−1. */
    public Tensor ropeKey(Tensor x) { return ropeKey(x, 0); }

    /** The shared rotary key at positions {@code start …}. */
    public Tensor ropeKey(Tensor x, int start) {
        int[] s = x.shape();
        return rope.apply(proj("kr").forward(x).reshape(s[0], 1, s[1], config.dRope()), start);   // (B, 1, T, d_R)
    }

    @Override
    public Tensor forward(Tensor x, Mask mask) {
        SelfAttention.checkInput("MultiHeadLatentAttention", x, config.dModel());
        int h = config.nHeads();
        if (!sdpa.capturesWeights() && FusedAttention.plainCausal(mask)) return forwardFused(x);
        Tensor cKv = latent(x);                                          // (B, T, d_c)
        Tensor kC = Heads.split(proj("uk").forward(cKv), h);                    // (B, H, T, d)
        Tensor v = Heads.split(proj("uv").forward(cKv), h);                     // (B, H, T, d)
        Tensor kR = ropeKey(x);                                          // (B, 1, T, d_R)
        Tensor[] copies = new Tensor[h];
        java.util.Arrays.fill(copies, kR);
        Tensor k = Tensor.concat(3, kC, Tensor.concat(1, copies));       // (B, H, T, d + d_R); k^R's gradient sums over heads
        Tensor qC = Heads.split(proj("q").forward(x), h);                       // (B, H, T, d)
        Tensor qR = rope.apply(Heads.split(proj("qr").forward(x), h));          // (B, H, T, d_R)
        Tensor q = Tensor.concat(3, qC, qR);                             // (B, H, T, d + d_R)
        Tensor y = sdpa.forward(q, k, v, mask);                          // (B, H, T, d)
        return proj("o").forward(Heads.merge(y));                               // (B, T, C)
    }

    /** The training path: the same function as {@link #forward(Tensor, Mask)} on the fused op, heads never split. */
    private Tensor forwardFused(Tensor x) {
        int[] s = x.shape();
        int b = s[0], t = s[1], h = config.nHeads(), d = config.headDim(), dr = config.dRope();
        Tensor cKv = latent(x);                                                          // (B, T, d_c)
        Tensor kC = proj("uk").forward(cKv).reshape(b, t, h, d), v = proj("uv").forward(cKv);          // (B, T, H, d), (B, T, H·d)
        Tensor kR = rope.applyHeads(proj("kr").forward(x), 1, 0).reshape(b, t, 1, dr);          // (B, T, 1, d_R), shared by the heads
        Tensor[] copies = new Tensor[h];
        java.util.Arrays.fill(copies, kR);
        Tensor k = Tensor.concat(3, kC, Tensor.concat(2, copies)).reshape(b, t, h * (d + dr));   // per head [k^C_h ; k^R]
        Tensor qC = proj("q").forward(x).reshape(b, t, h, d);
        Tensor qR = rope.applyHeads(proj("qr").forward(x), h, 0).reshape(b, t, h, dr);
        Tensor q = Tensor.concat(3, qC, qR).reshape(b, t, h * (d + dr));                   // per head [q^C_h ; q^R_h]
        return proj("o").forward(FusedAttention.causalHeads(q, k, v, h, h, sdpa.scale()));      // (B, T, C)
    }

    /**
     * Decoding with the up-projections ABSORBED: attention runs on the cached latents, per-head keys and values are
     * never built. With {@code W_UK,h, W_UV,h} the (d, d_c) blocks of W_UK, W_UV:
     * <pre>
     *   q^C_h·k^C_hj = q^C_h·(W_UK,h c_j) = (W_UK,hᵀ q^C_h)·c_j          so  q̃_h = [W_UK,hᵀ q^C_h ; q^R_h]   (d_c + d_R)
     *   Σ_j p_hj v_hj = W_UV,h (Σ_j p_hj c_j)                              and k̃_j = [c_j ; k^R_j],  ṽ_j = c_j
     * </pre>
     * That is multi-query attention with ONE shared key/value head of width d_c (+ d_R for the key), followed by a
     * per-head up-projection of the output. The scale stays {@code 1/√(d + d_R)}: the scores are the same numbers.
     */
    @Override
    public Tensor forward(Tensor x, KvCache cache) {
        SelfAttention.checkInput("MultiHeadLatentAttention", x, config.dModel());
        int h = config.nHeads(), d = config.headDim(), dc = config.dLatent(), start = cache.length();
        cache.appendLatent(latent(x), ropeKey(x, start));                // rows [c_KV ; k^R] at positions start …
        Tensor qC = Heads.split(proj("q").forward(x), h);                       // (B, H, T_new, d)
        Tensor qR = rope.apply(Heads.split(proj("qr").forward(x), h), start);   // (B, H, T_new, d_R)
        Tensor qLat = qC.matmul(this.<Linear>child("uk").weight.reshape(h, d, dc));           // (B, H, T_new, d_c) = W_UK,hᵀ q^C_h
        Tensor q = Tensor.concat(3, qLat, qR);                           // (B, H, T_new, d_c + d_R)
        // keys: the cached rows [c_j ; k^R_j], one shared head; values: their c_j part
        Tensor o = GroupedQueryAttention.cachedAttention(sdpa, q, cache, start, sdpa.scale());   // (B, H, T_new, d_c) = Σ_j p_hj c_j
        Tensor y = o.matmul(this.<Linear>child("uv").weight.reshape(h, d, dc).transpose(1, 2)); // (B, H, T_new, d) = W_UV,h · that
        return proj("o").forward(Heads.merge(y));                               // (B, T_new, C)
    }

    /** Parts {@code c_kv} (B, T, d_c) and {@code k_rope} (B, 1, T, d_R); grows as tokens come. */
    @Override public KvCache newCache() { return KvCache.latent(config.dLatent(), config.dRope()); }

    /** Parts {@code c_kv} and {@code k_rope}, preallocated for {@code batch} × {@code capacity} positions. */
    @Override public KvCache newCache(int batch, int capacity) { return KvCache.latent(config.dLatent(), config.dRope(), batch, capacity); }

    @Override public MultiHeadLatentAttention captureWeights(boolean on) { sdpa.captureWeights(on); return this; }

    /** {@code (d_c + d_R) · 4} bytes: the latent and the shared RoPE key, nothing per head. */
    @Override public long kvCacheBytesPerToken() { return config.kvCacheBytesPerToken(); }

    @Override public Tensor lastWeights() { return SelfAttention.lastWeights("MultiHeadLatentAttention", sdpa); }

    /** Projection {@code name}, as registered or as replaced (e.g. by a LoRA adapter: {@code replace("h.*.attn.q", ...)}). */
    private Layer proj(String name) { return child(name); }
}
