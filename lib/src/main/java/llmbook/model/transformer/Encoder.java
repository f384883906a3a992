package llmbook.model.transformer;

import llmbook.attention.Mask;
import llmbook.nn.Layer;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * An encoder-only transformer (BERT-like): every token sees every other token of its sequence, padding excepted.
 * Q8, Q11.
 * <pre>
 *   h = normF(block_L(… block_1(embed(ids), padding mask)))      (B, T, C)
 *   logits = h·Eᵀ (token-level head, e.g. masked language modelling)     pooled = mean of h over the real tokens (B, C)
 * </pre>
 * Without positions ({@link TransformerConfig.Positions#NONE}) an encoder is permutation-equivariant: shuffling the
 * tokens shuffles the outputs the same way, so the pooled vector of "dog bites man" equals that of "man bites dog".
 */
public final class Encoder extends Module {
    public final TransformerConfig config;
    public final Embedder embed;
    public final Block[] blocks;
    private final Layer normF;

    public Encoder(TransformerConfig config, Rng rng) {
        if (config.arch() != TransformerConfig.Arch.ENCODER)
            throw new IllegalArgumentException("Encoder: config.arch must be ENCODER, got " + config.arch());
        this.config = config;
        embed = module("embed", new Embedder(config, rng));
        blocks = new Block[config.layers()];
        for (int l = 0; l < blocks.length; l++) blocks[l] = module("block" + l, new Block(config, false, rng));
        normF = Block.newNorm(config);
        if (normF instanceof Module m) module("norm_f", m);
    }

    /** Hidden states (B, T, C); {@code lengths} (one per sequence, or null) hides the padding after each sequence's end. */
    public Tensor hidden(int[] ids, int[] lengths, int b, int t) {
        Tensor x = embed.forward("Encoder", ids, b, t);                  // (B, T, C)
        Mask mask = lengths == null ? Mask.NONE : Mask.padding(lengths);
        for (Block blk : blocks) x = blk.forward(x, mask);
        return normF.forward(x);
    }

    /** Token logits (B, T, V) through the tied output layer. */
    public Tensor logits(int[] ids, int[] lengths, int b, int t) { return embed.logits(hidden(ids, lengths, b, t)); }

    /** Mean of the hidden states over each sequence's real tokens: (B, C). */
    public Tensor pooled(int[] ids, int[] lengths, int b, int t) {
        Tensor h = hidden(ids, lengths, b, t);                           // (B, T, C)
        float[] w = new float[b * t];
        for (int s = 0; s < b; s++) {
            int n = lengths == null ? t : lengths[s];
            for (int i = 0; i < n; i++) w[s * t + i] = 1f / n;
        }
        return h.mul(Tensor.wrap(w, b, t, 1)).sum(1, false);             // (B, C)
    }

    /** Masked-LM style loss: mean cross-entropy of {@code targets} (B·T, −1 = not scored). */
    public Tensor loss(int[] ids, int[] lengths, int[] targets, int b, int t) {
        return Functional.crossEntropy(logits(ids, lengths, b, t).reshape(b * t, config.vocab()), targets, -1);
    }
}
