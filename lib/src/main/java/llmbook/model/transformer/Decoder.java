package llmbook.model.transformer;

import llmbook.attention.Mask;
import llmbook.nn.Layer;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A decoder-only transformer (GPT-like) built from the configurable {@link Block}: position t sees tokens 0 … t only
 * (causal mask), so it can be trained to predict token t+1 at every position at once. Q8, Q11.
 * <pre>
 *   logits = normF(block_L(… block_1(embed(ids), causal))) · Eᵀ       (B, T, V)
 * </pre>
 */
public final class Decoder extends Module {
    public final TransformerConfig config;
    public final Embedder embed;
    public final Block[] blocks;
    private final Layer normF;

    public Decoder(TransformerConfig config, Rng rng) {
        if (config.arch() != TransformerConfig.Arch.DECODER)
            throw new IllegalArgumentException("Decoder: config.arch must be DECODER, got " + config.arch());
        this.config = config;
        embed = module("embed", new Embedder(config, rng));
        blocks = new Block[config.layers()];
        for (int l = 0; l < blocks.length; l++) blocks[l] = module("block" + l, new Block(config, false, rng));
        normF = Block.newNorm(config);
        if (normF instanceof Module m) module("norm_f", m);
    }

    /** Logits (B, T, V) for ids laid out (B, T). */
    public Tensor forward(int[] ids, int b, int t) {
        Tensor x = embed.forward("Decoder", ids, b, t);                  // (B, T, C)
        for (Block blk : blocks) x = blk.forward(x, Mask.CAUSAL);
        return embed.logits(normF.forward(x));                           // (B, T, V)
    }

    /** Mean cross-entropy of next-token {@code targets} (B·T; −1 = not scored). */
    public Tensor loss(int[] ids, int[] targets, int b, int t) {
        return Functional.crossEntropy(forward(ids, b, t).reshape(b * t, config.vocab()), targets, -1);
    }
}
