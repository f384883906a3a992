package llmbook.model;

import java.util.List;
import java.util.Map;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * What every language model of the book offers, so one trainer, one generator and one evaluation serve them all:
 * the decoder of chapters 5–6 in every variant (GPT-2, LLaMA, MQA/GQA/MLA attention, adaptive softmax), and what
 * later chapters wrap around it (LoRA, mixture of experts, distillation, DPO, kNN-LM). Q12.
 *
 * <p>A batch is {@code B} sequences of {@code T} token ids laid out row-major, {@code ids[b·T + t]}. The model
 * predicts, at every position, the next token:
 * <pre>{@code
 * Tensor logits = lm.logits(ids, B, T);             // (B, T, V): unnormalised scores of the next token
 * Tensor loss   = lm.loss(ids, targets, B, T);      // mean cross-entropy over targets != -1 (nats per token)
 *
 * DecodeCache cache = lm.newCache(1);               // decoding: each new token costs one position of work
 * Tensor first = lm.logits(prompt, 1, prompt.length, cache);   // (1, P, V), cache now holds P positions
 * Tensor next  = lm.logits(new int[] {tok}, 1, 1, cache);      // (1, 1, V), same numbers as the full forward
 * }</pre>
 * Implementations are {@link llmbook.nn.Module}s, which already provide the parameter, train/eval and gradient
 * methods declared here.
 */
public interface LanguageModel {
    /** Tokens in the vocabulary, V. */
    int vocab();

    /** The longest sequence the model accepts, T. */
    int context();

    /**
     * Next-token scores {@code (B, T, V)} for ids laid out {@code (B, T)}. A model whose head gives log-probabilities
     * directly (adaptive softmax) returns those: they are valid logits.
     */
    Tensor logits(int[] ids, int B, int T);

    /** Mean cross-entropy (nats per token) of predicting {@code targets} ({@code B·T} ids, {@code -1} = not scored). Q34. */
    default Tensor loss(int[] ids, int[] targets, int B, int T) {
        return Functional.crossEntropy(logits(ids, B, T).reshape(B * T, vocab()), targets, -1);
    }

    /**
     * An empty decoding cache for {@code batch} sequences (keys and values, or what stands in for them, of every layer).
     * Models that cannot decode incrementally throw {@link UnsupportedOperationException}; {@link #supportsCache()} says which.
     */
    default DecodeCache newCache(int batch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no KV cache; decode without one");
    }

    /** True when {@link #newCache} and {@link #logits(int[], int, int, DecodeCache)} work. */
    default boolean supportsCache() { return false; }

    /**
     * Incremental forward: {@code ids (B, T)} are the tokens at positions {@code cache.length() … cache.length()+T−1}
     * of each sequence; returns their logits {@code (B, T, V)} and appends what they contribute to later tokens to
     * {@code cache}. Feeding a sequence in pieces gives the logits of one {@link #logits(int[], int, int)} call.
     * Inference only: run it under {@link Tensor#noGrad()}.
     */
    default Tensor logits(int[] ids, int B, int T, DecodeCache cache) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no KV cache; decode without one");
    }

    /** Every parameter with its dotted path ({@code "h.0.attn.q.weight"}), frozen ones included. */
    Map<String, Tensor> namedParameters();

    /** Every parameter, in the order of {@link #namedParameters()}. */
    List<Tensor> parameters();

    /** Parameters that receive gradients (not frozen): what an optimizer should update. */
    default List<Tensor> trainableParameters() {
        return parameters().stream().filter(Tensor::requiresGrad).toList();
    }

    /** Training mode (dropout on) when {@code on}, evaluation mode otherwise, recursively; returns the module. */
    llmbook.nn.Module train(boolean on);

    boolean isTraining();

    void zeroGrad();

    /**
     * The generator every dropout of this model draws its masks from, or null without dropout. A resumable training
     * checkpoint saves its state, so a resumed run draws the same masks.
     */
    default Rng dropoutRng() { return null; }
}
