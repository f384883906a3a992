package llmbook.model.transformer;

import java.util.List;
import llmbook.attention.AttentionConfig;
import llmbook.attention.CrossAttention;
import llmbook.attention.GroupedQueryAttention;
import llmbook.attention.KvCache;
import llmbook.attention.Mask;
import llmbook.attention.MlaConfig;
import llmbook.attention.MultiHeadLatentAttention;
import llmbook.attention.SelfAttention;
import llmbook.nn.Dropout;
import llmbook.nn.LayerNorm;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.nn.RMSNorm;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A pre-norm transformer block, shared by the encoder, the decoder and both halves of the seq2seq model: each sub-layer
 * reads a normalised copy of the residual stream and adds its output back. Q10, Q11.
 * <pre>
 *   x = x + drop(attn(ln_1(x), mask))            mask: bidirectional/padding (encoder) or causal (decoder)
 *   x = x + drop(cross(ln_cross(x), memory))     decoder of a seq2seq model only
 *   x = x + drop(mlp(ln_2(x)))
 * </pre>
 * With {@link TransformerConfig#postNorm()} (BERT, the original Transformer's encoder) the norms come after the add:
 * {@code x = ln_1(x + drop(attn(x, mask)))}, {@code x = ln_2(x + drop(mlp(x)))}.
 * Sub-modules {@code ln_1}, {@code attn}, {@code ln_cross}, {@code cross}, {@code ln_2}, {@code mlp} (GPT-2's names) are
 * read through {@link #child} at every forward, so {@code model.replace("h.*.mlp", ...)} (mixture of experts) and
 * {@code model.replace("h.*.attn.q", ...)} (LoRA) take effect. The attention is whatever {@link SelfAttention} the
 * config asks for: {@link GroupedQueryAttention} for MHA/GQA/MQA, {@link MultiHeadLatentAttention} for MLA.
 *
 * <p><b>Why the residual and the norm (Q10).</b> With the residual the Jacobian of a block is {@code I + ∂f/∂x}, so the
 * gradient reaching layer 1 of an L-layer stack always contains the identity path and cannot vanish; the pre-norm keeps
 * each {@code f}'s input at unit scale whatever the stream's size. {@link TransformerConfig#residual()} and
 * {@link TransformerConfig#normalize()} switch them off ({@code x = f(x)}) to measure what they buy.
 */
public final class Block extends Module {
    private final TransformerConfig cfg;
    private final boolean withCross;

    public Block(TransformerConfig cfg, boolean withCross, Rng rng) {
        this.cfg = cfg;
        this.withCross = withCross;
        if (cfg.normalize()) module("ln_1", newNorm(cfg));
        module("attn", newAttention(cfg, rng));
        if (withCross) {
            if (cfg.normalize()) module("ln_cross", newNorm(cfg));
            module("cross", new CrossAttention(cfg.width(), cfg.heads(), rng));
        }
        if (cfg.normalize()) module("ln_2", newNorm(cfg));
        module("mlp", cfg.experts() > 0 ? llmbook.moe.MixtureOfExperts.of(cfg, rng) : new FeedForward(cfg, rng));   // Q46: E experts
        module("drop", new Dropout(cfg.dropout(), rng));
    }

    /** LayerNorm (without its shift when the config has no biases) or RMSNorm of width C. */
    static Module newNorm(TransformerConfig c) {
        return c.norm() == TransformerConfig.Norm.LAYER_NORM ? new LayerNorm(c.width(), c.normEps(), c.bias()) : new RMSNorm(c.width(), c.normEps());
    }

    /**
     * The self-attention of {@code cfg}. Under GPT-2 initialisation the projections are drawn as GPT-2 (and the book's
     * first GPT) lays them out: one packed {@code c_attn} (q; k; v) matrix built at PyTorch's default and then drawn
     * N(0, 0.02), sliced into q, k and v; then the output projection N(0, 0.02/√(2L)). So the {@code gpt2} preset starts
     * from exactly the numbers of the chapter 6 reference model for the same seed.
     */
    static Module newAttention(TransformerConfig cfg, Rng rng) {
        boolean gpt2 = cfg.init() == TransformerConfig.InitScheme.GPT2;
        Rng own = gpt2 ? new Rng(0) : rng;                          // GPT-2 init overwrites every weight below
        Module attn = cfg.attention() == TransformerConfig.Attention.MLA
                ? new MultiHeadLatentAttention(new MlaConfig(cfg.width(), cfg.heads(), cfg.latent(), cfg.ropeDim()), own)
                : new GroupedQueryAttention(new AttentionConfig(cfg.width(), cfg.heads(), cfg.kvHeads(), cfg.bias(),
                        cfg.positions() == TransformerConfig.Positions.ROPE, cfg.ropeScaling(), cfg.positions() == TransformerConfig.Positions.ALIBI), own);
        if (!gpt2) return attn;
        List<Linear> lin = attn.children().values().stream().filter(m -> m instanceof Linear).map(m -> (Linear) m).toList();
        Linear out = lin.get(lin.size() - 1);                       // the projection that writes into the residual stream
        if (attn instanceof GroupedQueryAttention) {                // q, k, v, o in registration order
            int rows = 0;
            for (Linear l : lin.subList(0, 3)) rows += l.out;
            Linear packed = new Linear(cfg.width(), rows, cfg.bias(), rng).initNormal(rng, gpt2Std(cfg, false));
            int at = 0;
            for (Linear l : lin.subList(0, 3)) {
                System.arraycopy(packed.weight.data(), at * l.in, l.weight.data(), 0, l.out * l.in);
                if (l.bias != null) java.util.Arrays.fill(l.bias.data(), 0f);
                at += l.out;
            }
            Linear proj = new Linear(cfg.width(), cfg.width(), cfg.bias(), rng).initNormal(rng, gpt2Std(cfg, true));
            System.arraycopy(proj.weight.data(), 0, out.weight.data(), 0, proj.weight.data().length);
            if (out.bias != null) java.util.Arrays.fill(out.bias.data(), 0f);
        } else {
            for (Linear l : lin) l.initNormal(rng, gpt2Std(cfg, l == out));
        }
        return attn;
    }

    /** GPT-2's σ: 0.02, or 0.02/√(2L) for a projection that writes into the residual stream; NaN under CLASSIC init. */
    static float gpt2Std(TransformerConfig cfg, boolean residualProjection) {
        if (cfg.init() != TransformerConfig.InitScheme.GPT2) return Float.NaN;
        return residualProjection ? (float) (0.02 / Math.sqrt(2.0 * Math.max(1, cfg.layers()))) : 0.02f;
    }

    /** The self-attention layer (as registered or replaced). */
    public SelfAttention attention() { return child("attn"); }

    /** Encoder or decoder-only block: x (B, T, C) → (B, T, C). */
    public Tensor forward(Tensor x, Mask mask) { return forward(x, mask, null, null); }

    /** Seq2seq decoder block: x (B, T, C) attends causally to itself and to {@code memory} (B, Tm, C) hidden by {@code memoryMask}. */
    public Tensor forward(Tensor x, Mask mask, Tensor memory, Mask memoryMask) {
        if (cfg.postNorm()) {                                         // BERT: normalise after the residual add
            x = norm("ln_1", add(x, attention().forward(x, mask)));
            return norm("ln_2", add(x, this.<Layer>child("mlp").forward(x)));
        }
        x = add(x, attention().forward(norm("ln_1", x), mask));
        if (withCross) {
            if (memory == null) throw new IllegalArgumentException("Block: a decoder block with cross-attention needs the encoder's memory");
            x = add(x, this.<CrossAttention>child("cross").forward(norm("ln_cross", x), memory, memoryMask));
        }
        return add(x, this.<Layer>child("mlp").forward(norm("ln_2", x)));
    }

    /** Decoding: x (B, T_new, C) at positions {@code cache.length() …}; appends this layer's keys and values to {@code cache}. */
    public Tensor forward(Tensor x, KvCache cache) {
        if (withCross) throw new IllegalArgumentException("Block: a cross-attention block decodes through its seq2seq model, not a KV cache");
        x = add(x, attention().forward(norm("ln_1", x), cache));
        return add(x, this.<Layer>child("mlp").forward(norm("ln_2", x)));
    }

    private Tensor norm(String name, Tensor x) { return cfg.normalize() ? this.<Layer>child(name).forward(x) : x; }

    private Tensor add(Tensor x, Tensor f) {
        f = this.<Layer>child("drop").forward(f);
        return cfg.residual() ? x.add(f) : f;
    }
}
