package llmbook.model.transformer;

import llmbook.attention.AttentionConfig;
import llmbook.attention.CrossAttention;
import llmbook.attention.GroupedQueryAttention;
import llmbook.attention.Mask;
import llmbook.nn.Dropout;
import llmbook.nn.LayerNorm;
import llmbook.nn.Layer;
import llmbook.nn.Module;
import llmbook.nn.RMSNorm;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A pre-norm transformer block: each sub-layer reads a normalised copy of the residual stream and adds its output
 * back. Q10, Q11.
 * <pre>
 *   x = x + drop(selfAttn(norm₁(x), mask))          mask: bidirectional/padding (encoder) or causal (decoder)
 *   x = x + drop(crossAttn(norm₂(x), memory))       decoder of a seq2seq model only
 *   x = x + drop(ffn(norm₃(x)))
 * </pre>
 * <b>Why the residual and the norm (Q10).</b> With the residual the Jacobian of a block is {@code I + ∂f/∂x}, so the
 * gradient reaching layer 1 of an L-layer stack always contains the identity path and cannot vanish; the pre-norm keeps
 * each {@code f}'s input at unit scale whatever the stream's size. {@link TransformerConfig#residual()} and
 * {@link TransformerConfig#normalize()} switch them off ({@code x = f(x)}) to measure what they buy.
 */
public final class Block extends Module {
    private final TransformerConfig cfg;
    public final GroupedQueryAttention attn;
    public final CrossAttention cross;      // null unless a seq2seq decoder block
    public final FeedForward ffn;
    private final Layer norm1, norm2, norm3;
    private final Dropout drop;

    public Block(TransformerConfig cfg, boolean withCross, Rng rng) {
        this.cfg = cfg;
        boolean rope = cfg.positions() == TransformerConfig.Positions.ROPE;
        norm1 = norm(cfg, "norm1");
        attn = module("attn", new GroupedQueryAttention(new AttentionConfig(cfg.width(), cfg.heads(), cfg.heads(), true, rope), rng));
        norm2 = withCross ? norm(cfg, "norm2") : null;
        cross = withCross ? module("cross", new CrossAttention(cfg.width(), cfg.heads(), rng)) : null;
        norm3 = norm(cfg, "norm3");
        ffn = module("ffn", new FeedForward(cfg.ffn(), cfg.width(), cfg.hidden(), rng));
        drop = module("drop", new Dropout(cfg.dropout(), rng));
    }

    private Layer norm(TransformerConfig c, String name) {
        Layer n = newNorm(c);
        if (n instanceof Module m) module(name, m);
        return n;
    }

    /** LayerNorm or RMSNorm of width C, or the identity when {@link TransformerConfig#normalize()} is off. */
    static Layer newNorm(TransformerConfig c) {
        if (!c.normalize()) return x -> x;
        return c.norm() == TransformerConfig.Norm.LAYER_NORM ? new LayerNorm(c.width()) : new RMSNorm(c.width());
    }

    /** Encoder or decoder-only block: x (B, T, C) → (B, T, C). */
    public Tensor forward(Tensor x, Mask mask) { return forward(x, mask, null, null); }

    /** Seq2seq decoder block: x (B, T, C) attends causally to itself and to {@code memory} (B, Tm, C) hidden by {@code memoryMask}. */
    public Tensor forward(Tensor x, Mask mask, Tensor memory, Mask memoryMask) {
        x = add(x, attn.forward(norm1.forward(x), mask));
        if (cross != null) {
            if (memory == null) throw new IllegalArgumentException("Block: a decoder block with cross-attention needs the encoder's memory");
            x = add(x, cross.forward(norm2.forward(x), memory, memoryMask));
        }
        return add(x, ffn.forward(norm3.forward(x)));
    }

    private Tensor add(Tensor x, Tensor f) {
        f = drop.forward(f);
        return cfg.residual() ? x.add(f) : f;
    }
}
