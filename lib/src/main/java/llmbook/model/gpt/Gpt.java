package llmbook.model.gpt;

import llmbook.model.LanguageModel;
import llmbook.nn.Dropout;
import llmbook.nn.LayerNorm;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * A GPT: token + position embeddings, {@code L} pre-norm transformer blocks, a final LayerNorm, and logits
 * from the token embedding reused as the output layer. Q12.
 *
 * <pre>{@code
 * Gpt gpt = new Gpt(GptConfig.reference(65), new Rng(1337));
 * Tensor logits = gpt.forward(ids, B, T);          // (B, T, V)
 * Tensor loss = gpt.loss(ids, targets, B, T);      // mean cross-entropy, a scalar
 * }</pre>
 * <p>Writing text: {@link Generator} (greedy or sampled, with the {@link KvDecoder} KV cache or without).
 * <p>Initialisation follows GPT-2: weights N(0, 0.02), the two projections that write into the residual
 * stream N(0, 0.02/√(2L)) so the stream's variance does not grow with depth, biases zero, norms one.
 */
public final class Gpt extends Module implements LanguageModel {
    public final GptConfig config;
    private final Tensor wte;   // (V, C) token embedding, also the output layer
    private final Tensor wpe;   // (T, C) learned positions
    private final Block[] blocks;
    private final LayerNorm lnf;
    private final Dropout drop;
    private final Rng rng;

    public Gpt(GptConfig config, Rng rng) {
        this.config = config;
        this.rng = rng;
        int C = config.width();
        wte = param("wte", Tensor.normal(rng, 0f, 0.02f, config.vocab(), C));
        wpe = param("wpe", Tensor.normal(rng, 0f, 0.02f, config.context(), C));
        blocks = new Block[config.layers()];
        for (int l = 0; l < blocks.length; l++) blocks[l] = module("h" + l, new Block(config, rng));
        lnf = module("ln_f", new LayerNorm(C));
        drop = module("drop", new Dropout(config.dropout(), rng));
    }

    /** Logits {@code (B, T, V)} for token ids laid out row-major as {@code (B, T)}. */
    public Tensor forward(int[] ids, int B, int T) {
        config.checkIds("Gpt", ids, B, T);
        Tensor tok = Functional.embedding(wte, ids, B, T);               // (B, T, C)
        Tensor pos = wpe.slice(0, 0, T);                                 // (T, C), broadcast over B
        Tensor x = drop.forward(tok.add(pos));
        for (Block b : blocks) x = b.forward(x);
        x = lnf.forward(x);
        return x.matmul(wte.t());                                        // (B, T, C) @ (C, V) -> (B, T, V)
    }

    @Override public int vocab() { return config.vocab(); }

    @Override public int context() { return config.context(); }

    /** {@link #forward}: the {@link LanguageModel} view (no KV cache: a {@link llmbook.sample.Generator} runs the full window). */
    @Override public Tensor logits(int[] ids, int B, int T) { return forward(ids, B, T); }

    Tensor wte() { return wte; }
    Tensor wpe() { return wpe; }
    LayerNorm lnf() { return lnf; }
    Block block(int l) { return blocks[l]; }

    /** The generator every Dropout of this model draws its masks from (its state is part of a resumable checkpoint). */
    @Override public Rng dropoutRng() { return rng; }

    /** Mean cross-entropy of predicting {@code targets} (B·T ids) from {@code ids}. Q34. */
    @Override public Tensor loss(int[] ids, int[] targets, int B, int T) {
        Tensor logits = forward(ids, B, T);
        return Functional.crossEntropy(logits.reshape(B * T, config.vocab()), targets);
    }

    /**
     * One pre-norm block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. Also the trunk of
     * {@link llmbook.model.lm.TransformerLm}, so the two models initialise and compute identically.
     */
    public static final class Block extends Module {
        private final int heads;
        final LayerNorm ln1, ln2;
        final Linear qkv, proj, fc, fcProj;
        private final Dropout drop1, drop2;

        public Block(GptConfig cfg, Rng rng) {
            int C = cfg.width();
            float residualStd = (float) (0.02 / Math.sqrt(2.0 * cfg.layers()));
            heads = cfg.heads();
            ln1 = module("ln_1", new LayerNorm(C));
            qkv = module("attn_qkv", new Linear(C, 3 * C, rng).initNormal(rng, 0.02f));
            proj = module("attn_proj", new Linear(C, C, rng).initNormal(rng, residualStd));
            ln2 = module("ln_2", new LayerNorm(C));
            fc = module("mlp_fc", new Linear(C, 4 * C, rng).initNormal(rng, 0.02f));
            fcProj = module("mlp_proj", new Linear(4 * C, C, rng).initNormal(rng, residualStd));
            drop1 = module("drop_1", new Dropout(cfg.dropout(), rng));
            drop2 = module("drop_2", new Dropout(cfg.dropout(), rng));
        }

        public Tensor forward(Tensor x) {                                // x: (B, T, C)
            Tensor a = CausalAttention.apply(qkv.forward(ln1.forward(x)), heads);
            x = x.add(drop1.forward(proj.forward(a)));
            Tensor m = fcProj.forward(fc.forward(ln2.forward(x)).gelu());
            return x.add(drop2.forward(m));
        }
    }
}
