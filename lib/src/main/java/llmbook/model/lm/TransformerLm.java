package llmbook.model.lm;

import llmbook.model.gpt.CausalAttention;
import llmbook.model.gpt.GptConfig;
import llmbook.nn.Dropout;
import llmbook.nn.LayerNorm;
import llmbook.nn.Linear;
import llmbook.nn.LmHead;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The GPT trunk — token + learned position embeddings, pre-LayerNorm blocks, a final LayerNorm — with a
 * pluggable, untied output layer ({@link LmHead}): {@link llmbook.nn.FullSoftmax} or
 * {@link llmbook.nn.AdaptiveSoftmax}. Same blocks, same initialisation as {@link llmbook.model.gpt.Gpt}, so two
 * models that differ only in their head can be compared step for step. Q42.
 * <pre>{@code
 * LmHead head = new AdaptiveSoftmax(128, 8192, new int[] {1024, 4096}, 4f, rng);
 * TransformerLm lm = new TransformerLm(new GptConfig(8192, 64, 4, 4, 128, 0f), head, rng);
 * Tensor loss = lm.loss(ids, targets, B, T);      // mean nats per token
 * }</pre>
 */
public final class TransformerLm extends Module {
    public final GptConfig config;
    public final LmHead head;
    private final Tensor wte;   // (V, C) input embedding only
    private final Tensor wpe;   // (T, C)
    private final Block[] blocks;
    private final LayerNorm lnf;
    private final Dropout drop;

    public TransformerLm(GptConfig config, LmHead head, Rng rng) {
        if (head.vocab() != config.vocab() || head.width() != config.width())
            throw new IllegalArgumentException("TransformerLm: head is (C=" + head.width() + ", V=" + head.vocab() + "), config needs (C="
                    + config.width() + ", V=" + config.vocab() + ")");
        this.config = config;
        int C = config.width();
        wte = param("wte", Tensor.normal(rng, 0f, 0.02f, config.vocab(), C));
        wpe = param("wpe", Tensor.normal(rng, 0f, 0.02f, config.context(), C));
        blocks = new Block[config.layers()];
        for (int l = 0; l < blocks.length; l++) blocks[l] = module("h" + l, new Block(config, rng));
        lnf = module("ln_f", new LayerNorm(C));
        drop = module("drop", new Dropout(config.dropout(), rng));
        this.head = module("head", head);
    }

    /** Final hidden states {@code (B·T, C)} for ids laid out row-major as {@code (B, T)}. */
    public Tensor hidden(int[] ids, int B, int T) {
        if (T > config.context())
            throw new IllegalArgumentException("TransformerLm: cannot forward a sequence of length " + T + ", the context is only " + config.context());
        if (ids.length != B * T) throw new IllegalArgumentException("TransformerLm: " + ids.length + " ids for a (" + B + ", " + T + ") batch");
        for (int id : ids)
            if (id < 0 || id >= config.vocab())
                throw new IllegalArgumentException("TransformerLm: token id " + id + " outside the vocabulary [0, " + config.vocab() + ")");
        Tensor x = drop.forward(Functional.embedding(wte, ids, B, T).add(wpe.slice(0, 0, T)));   // (B, T, C)
        for (Block b : blocks) x = b.forward(x);
        return lnf.forward(x).reshape(B * T, config.width());                                // (B·T, C)
    }

    /** Mean nats per token of predicting {@code targets} (B·T ids) from {@code ids}. */
    public Tensor loss(int[] ids, int[] targets, int B, int T) { return head.loss(hidden(ids, B, T), targets); }

    /** Log-probabilities of the next token after every position: {@code (B·T, V)}. */
    public Tensor logProbs(int[] ids, int B, int T) { return head.logProbs(hidden(ids, B, T)); }

    /** One pre-norm block, as in {@code Gpt}: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. */
    static final class Block extends Module {
        private final int heads;
        private final LayerNorm ln1, ln2;
        private final Linear qkv, proj, fc, fcProj;
        private final Dropout drop1, drop2;

        Block(GptConfig cfg, Rng rng) {
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

        Tensor forward(Tensor x) {                                       // x: (B, T, C)
            Tensor a = CausalAttention.apply(qkv.forward(ln1.forward(x)), heads);   // (B, T, 3C) -> (B, T, C)
            x = x.add(drop1.forward(proj.forward(a)));
            Tensor m = fcProj.forward(fc.forward(ln2.forward(x)).gelu());          // (B, T, 4C) -> (B, T, C)
            return x.add(drop2.forward(m));
        }
    }
}
