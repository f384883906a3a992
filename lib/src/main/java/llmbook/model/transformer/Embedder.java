package llmbook.model.transformer;

import llmbook.attention.SinusoidalPositions;
import llmbook.nn.Embedding;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Token ids to the first residual stream, and the stream back to logits through the same (tied) table. Q8. The
 * models register the tables themselves ({@code wte}, {@code wpe}), so their paths read as in GPT-2; this class holds
 * what the three architectures share: how the tables are drawn, the positions, and the checks.
 * <pre>
 *   x = s · E[ids] + P[start … start+T−1]     s = √C under CLASSIC init (E ~ N(0, 1/C), so √C·E has unit-size entries),
 *                                             s = 1 under GPT2 init (E ~ N(0, 0.02))
 *   P = sinusoidal table | learned table wpe (T_max, C) | 0 (RoPE rotates q, k inside attention; NONE: nothing)
 *   logits = h · Eᵀ                           (B, T, C) @ (C, V), when the output is tied
 * </pre>
 * Refuses a sequence longer than the context window with both numbers, and token ids outside the vocabulary.
 */
final class Embedder {
    private final TransformerConfig cfg;
    private final SinusoidalPositions sinusoidal;
    private final float scale;

    Embedder(TransformerConfig cfg) {
        this.cfg = cfg;
        sinusoidal = cfg.positions() == TransformerConfig.Positions.SINUSOIDAL ? new SinusoidalPositions(cfg.width(), cfg.context()) : null;
        scale = cfg.init() == TransformerConfig.InitScheme.GPT2 ? 1f : (float) Math.sqrt(cfg.width());
    }

    /** The token table E (V, C): N(0, 0.02) under GPT2 init, N(0, 1/C) under CLASSIC. */
    static Embedding tokens(TransformerConfig cfg, Rng rng) {
        boolean gpt2 = cfg.init() == TransformerConfig.InitScheme.GPT2;
        return new Embedding(cfg.vocab(), cfg.width(), rng, gpt2 ? 0.02f : (float) (1 / Math.sqrt(cfg.width())));
    }

    /** The learned position table (T_max, C), or null for other positions: N(0, 0.02) under GPT2 init, N(0, 1) under CLASSIC. */
    static Embedding positions(TransformerConfig cfg, Rng rng) {
        if (cfg.positions() != TransformerConfig.Positions.LEARNED) return null;
        return new Embedding(cfg.context(), cfg.width(), rng, cfg.init() == TransformerConfig.InitScheme.GPT2 ? 0.02f : 1f);
    }

    /** ids laid out (B, T), at positions {@code start …} of their sequences → (B, T, C), before dropout; {@code layer} names the caller in errors. */
    Tensor forward(String layer, Embedding wte, Embedding wpe, int[] ids, int b, int t, int start) {
        check(layer, ids, b, t, start, cfg);
        Tensor x = wte.forward(ids, b, t);                                            // (B, T, C)
        if (scale != 1f) x = x.mul(scale);
        if (sinusoidal != null) x = x.add(sinusoidal.table(start + t).slice(0, start, start + t));   // (T, C) broadcast over B
        if (wpe != null) x = x.add(wpe.weight.slice(0, start, start + t));           // (T, C)
        return x;
    }

    /**
     * A ragged row: the ids of several sequences one after another (batch 1, T = Σ lengths), each token at its
     * position within its own sequence (0, 1, … restarting at every sequence) → (1, T, C), before dropout.
     */
    Tensor forwardRagged(String layer, Embedding wte, Embedding wpe, int[] ids, int[] lengths) {
        long total = 0;
        int longest = 0;
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] < 1) throw new IllegalArgumentException(layer + ": sequence " + s + " of a ragged batch has length " + lengths[s]);
            total += lengths[s];
            longest = Math.max(longest, lengths[s]);
        }
        if (lengths.length == 0 || total != ids.length)
            throw new IllegalArgumentException(layer + ": " + ids.length + " ids, but the " + lengths.length + " sequence lengths add up to " + total);
        if (longest > cfg.context())
            throw new IllegalArgumentException(layer + ": cannot forward a sequence of length " + longest + ", the context window is only " + cfg.context());
        for (int id : ids)
            if (id < 0 || id >= cfg.vocab()) throw new IllegalArgumentException(layer + ": token id " + id + " outside the vocabulary [0, " + cfg.vocab() + ")");
        int[] pos = new int[ids.length];
        for (int s = 0, at = 0; s < lengths.length; s++) for (int i = 0; i < lengths[s]; i++) pos[at++] = i;
        Tensor x = wte.forward(ids, 1, ids.length);                                  // (1, T, C)
        if (scale != 1f) x = x.mul(scale);
        if (sinusoidal != null) x = x.add(sinusoidal.table(longest).indexSelect(pos));   // (T, C) broadcast over the one row
        if (wpe != null) x = x.add(wpe.forward(pos, 1, ids.length));
        return x;
    }

    /** Tied output layer: h (B, T, C) → logits (B, T, V). */
    static Tensor logits(Tensor h, Embedding wte) { return h.matmul(wte.weight.t()); }

    static void check(String layer, int[] ids, int b, int t, int start, TransformerConfig cfg) {
        if (start + t > cfg.context())
            throw new IllegalArgumentException(start == 0
                    ? layer + ": cannot forward a sequence of length " + t + ", the context window is only " + cfg.context()
                    : layer + ": " + t + " more tokens after " + start + " cached ones make " + (start + t) + ", the context window is only " + cfg.context());
        if (b < 1 || t < 1) throw new IllegalArgumentException(layer + ": batch and length must be >= 1, got (" + b + ", " + t + ")");
        if (ids.length != b * t)
            throw new IllegalArgumentException(layer + ": " + ids.length + " ids do not fill a (" + b + ", " + t + ") batch of " + b * t);
        for (int id : ids)
            if (id < 0 || id >= cfg.vocab())
                throw new IllegalArgumentException(layer + ": token id " + id + " outside the vocabulary [0, " + cfg.vocab() + ")");
    }
}
