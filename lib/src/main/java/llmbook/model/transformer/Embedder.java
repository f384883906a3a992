package llmbook.model.transformer;

import llmbook.attention.SinusoidalPositions;
import llmbook.nn.Dropout;
import llmbook.nn.Embedding;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Token ids to the first residual stream, and the stream back to logits with the same (tied) table. Q8.
 * <pre>
 *   x = drop(√C · E[ids] + P[0 … T−1])        E (V, C) ~ N(0, 1/C), so √C·E has unit-size entries
 *   P = sinusoidal table | learned table (T_max, C) ~ N(0, 1) | 0 (RoPE rotates q, k inside attention; NONE: nothing)
 *   logits = h · Eᵀ                            (B, T, C) @ (C, V)
 * </pre>
 * Refuses a sequence longer than the context window with both numbers, and token ids outside the vocabulary.
 */
public final class Embedder extends Module {
    private final TransformerConfig cfg;
    public final Embedding tokens;              // (V, C)
    public final Embedding positions;           // (T_max, C), LEARNED only
    private final SinusoidalPositions sinusoidal;
    private final Dropout drop;
    private final float scale;

    public Embedder(TransformerConfig cfg, Rng rng) {
        this.cfg = cfg;
        int c = cfg.width();
        tokens = module("tokens", new Embedding(cfg.vocab(), c, rng, (float) (1 / Math.sqrt(c))));
        positions = cfg.positions() == TransformerConfig.Positions.LEARNED ? module("positions", new Embedding(cfg.context(), c, rng, 1f)) : null;
        sinusoidal = cfg.positions() == TransformerConfig.Positions.SINUSOIDAL ? new SinusoidalPositions(c, cfg.context()) : null;
        drop = module("drop", new Dropout(cfg.dropout(), rng));
        scale = (float) Math.sqrt(c);
    }

    /** ids laid out (B, T) → (B, T, C); {@code layer} names the caller in errors. */
    public Tensor forward(String layer, int[] ids, int b, int t) {
        check(layer, ids, b, t, cfg);
        Tensor x = tokens.forward(ids, b, t).mul(scale);                       // (B, T, C)
        if (sinusoidal != null) x = x.add(sinusoidal.table(t));                // (T, C) broadcast over B
        if (positions != null) x = x.add(positions.weight.slice(0, 0, t));     // (T, C)
        return drop.forward(x);
    }

    /** Tied output layer: h (B, T, C) → logits (B, T, V). */
    public Tensor logits(Tensor h) { return h.matmul(tokens.weight.t()); }

    static void check(String layer, int[] ids, int b, int t, TransformerConfig cfg) {
        if (t > cfg.context())
            throw new IllegalArgumentException(layer + ": cannot forward a sequence of length " + t + ", the context window is only " + cfg.context());
        if (b < 1 || t < 1) throw new IllegalArgumentException(layer + ": batch and length must be >= 1, got (" + b + ", " + t + ")");
        if (ids.length != b * t)
            throw new IllegalArgumentException(layer + ": " + ids.length + " ids do not fill a (" + b + ", " + t + ") batch of " + b * t);
        for (int id : ids)
            if (id < 0 || id >= cfg.vocab())
                throw new IllegalArgumentException(layer + ": token id " + id + " outside the vocabulary [0, " + cfg.vocab() + ")");
    }
}
