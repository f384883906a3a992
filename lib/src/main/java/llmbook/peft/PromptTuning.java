package llmbook.peft;

import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Prompt tuning (Lester et al., 2021): the whole model frozen, and {@code P} trainable "virtual token" vectors
 * (P, C) put in front of every sequence. Q17.
 * <pre>
 *   logits = decoder( [prompt_0 … prompt_{P−1}, wte[x_0] … wte[x_{T−1}]] )[P …]     only P·C numbers are trained
 * </pre>
 * The prompt starts as the embeddings of P tokens drawn at random from the vocabulary (Lester et al.'s "sampled
 * vocabulary" initialisation), so it begins as a plausible, if meaningless, text. The model's context shrinks by P.
 * Paths: {@code prompt}, then the decoder's under {@code base.}.
 */
public final class PromptTuning extends Module implements LanguageModel {
    public final Tensor prompt;   // (P, C)
    private final Decoder base;

    public PromptTuning(Decoder base, int virtualTokens, Rng rng) {
        int c = base.config.width(), ctx = base.context();
        if (virtualTokens < 1 || virtualTokens >= ctx)
            throw new IllegalArgumentException("PromptTuning: virtual tokens must be in [1, " + (ctx - 1) + "] (context " + ctx + "), got " + virtualTokens);
        this.base = module("base", base);
        base.freeze("");
        float[] table = base.namedParameters().get("wte.weight").data(), p = new float[virtualTokens * c];
        for (int i = 0; i < virtualTokens; i++) System.arraycopy(table, rng.nextInt(base.vocab()) * c, p, i * c, c);
        prompt = param("prompt", Tensor.of(p, virtualTokens, c));
    }

    public int virtualTokens() { return prompt.shape()[0]; }

    @Override public int vocab() { return base.vocab(); }

    @Override public int context() { return base.context() - virtualTokens(); }

    @Override public Rng dropoutRng() { return base.dropoutRng(); }

    /** Logits (B, T, V) of ids (B, T) read after the prompt. */
    @Override public Tensor logits(int[] ids, int b, int t) { return base.logits(prompt, ids, b, t); }
}
