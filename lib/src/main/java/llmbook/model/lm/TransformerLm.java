package llmbook.model.lm;

import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.nn.Dropout;
import llmbook.nn.LayerNorm;
import llmbook.nn.LmHead;
import llmbook.nn.Module;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The GPT trunk — token + learned position embeddings, pre-LayerNorm blocks, a final LayerNorm — with a
 * pluggable, untied output layer ({@link LmHead}): {@link llmbook.nn.FullSoftmax} or
 * {@link llmbook.nn.AdaptiveSoftmax}. The same blocks ({@link Gpt.Block}), same initialisation as {@link Gpt}, so two
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
    private final Gpt.Block[] blocks;
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
        blocks = new Gpt.Block[config.layers()];
        for (int l = 0; l < blocks.length; l++) blocks[l] = module("h" + l, new Gpt.Block(config, rng));
        lnf = module("ln_f", new LayerNorm(C));
        drop = module("drop", new Dropout(config.dropout(), rng));
        this.head = module("head", head);
    }

    /** Final hidden states {@code (B·T, C)} for ids laid out row-major as {@code (B, T)}. */
    public Tensor hidden(int[] ids, int B, int T) {
        config.checkIds("TransformerLm", ids, B, T);
        Tensor x = drop.forward(Functional.embedding(wte, ids, B, T).add(wpe.slice(0, 0, T)));   // (B, T, C)
        for (Gpt.Block b : blocks) x = b.forward(x);
        return lnf.forward(x).reshape(B * T, config.width());                                // (B·T, C)
    }

    /** Mean nats per token of predicting {@code targets} (B·T ids) from {@code ids}. */
    public Tensor loss(int[] ids, int[] targets, int B, int T) { return head.loss(hidden(ids, B, T), targets); }

    /** Log-probabilities of the next token after every position: {@code (B·T, V)}. */
    public Tensor logProbs(int[] ids, int B, int T) { return head.logProbs(hidden(ids, B, T)); }
}
