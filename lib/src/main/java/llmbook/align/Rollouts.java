package llmbook.align;

import java.util.Arrays;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.nn.Module;
import llmbook.sample.Sampler;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Tensor;

/**
 * What every alignment method needs from a language model: many continuations of a prompt sampled at once, and the
 * log-probability of a whole completion as a differentiable function of the weights.
 * <pre>
 *   log π(y | x) = Σ_{t ≥ P} log softmax(logits_{t−1})[y_t]          completion tokens only (the prompt x is given)
 * </pre>
 * The sum (not the mean) is what DPO and the policy gradient need: the sequence is one action, its probability the
 * product of the token probabilities.
 */
public final class Rollouts {
    private Rollouts() {}

    /**
     * {@code k} continuations of {@code prompt}, each {@code length} tokens, sampled at {@code temperature} (1 = the
     * model's own distribution), decoded together as a batch of k rows with the model's KV cache. Returns (k, length).
     */
    public static int[][] sample(LanguageModel model, int[] prompt, int k, int length, float temperature, Rng rng) {
        if (k < 1 || length < 1) throw new IllegalArgumentException("Rollouts.sample: k and length must be >= 1, got " + k + ", " + length);
        if (prompt.length < 1) throw new IllegalArgumentException("Rollouts.sample: the prompt is empty");
        if (prompt.length + length > model.context())
            throw new IllegalArgumentException("Rollouts.sample: prompt " + prompt.length + " + " + length + " tokens exceed the context " + model.context());
        if (!model.supportsCache()) throw new IllegalArgumentException("Rollouts.sample: the model has no KV cache");
        boolean was = model.isTraining();
        model.train(false);
        Sampler sampler = Sampler.of(temperature, 0, 1f, rng);
        int v = model.vocab(), p = prompt.length;
        int[][] out = new int[k][length];
        try (var ng = Tensor.noGrad(); var f = LinAlg.frozenWeights()) {   // the weights do not change while it samples
            DecodeCache cache = model.newCache(k);
            int[] ids = new int[k * p];
            for (int i = 0; i < k; i++) System.arraycopy(prompt, 0, ids, i * p, p);
            float[] logits = model.logits(ids, k, p, cache).toArray();
            int last = p;                                             // positions in the rows of `logits`
            int[] step = new int[k];
            for (int t = 0; t < length; t++) {
                for (int i = 0; i < k; i++) {
                    float[] row = Arrays.copyOfRange(logits, (i * last + last - 1) * v, (i * last + last) * v);
                    step[i] = out[i][t] = sampler.next(row, out[i]);
                }
                if (t + 1 < length) { logits = model.logits(step, k, 1, cache).toArray(); last = 1; }
            }
        } finally {
            model.train(was);
        }
        return out;
    }

    /** Prompt followed by a completion, as one row of ids. */
    public static int[] concat(int[] prompt, int[] completion) {
        int[] r = Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, r, prompt.length, completion.length);
        return r;
    }

    /**
     * Sequence log-probabilities (B): for each row of {@code ids} (B, T), the sum of {@code log π(ids[t] | ids[<t])} over
     * positions {@code t = from … T−1} (the completion; {@code from ≥ 1} is the prompt length). Differentiable: built
     * from the model's logits and {@link Functional#logSoftmax}, so a loss on it trains the model.
     */
    public static Tensor logProbs(LanguageModel model, int[] ids, int b, int t, int from) {
        if (ids.length != b * t) throw new IllegalArgumentException("Rollouts.logProbs: " + ids.length + " ids for a (" + b + ", " + t + ") batch");
        if (from < 1 || from >= t) throw new IllegalArgumentException("Rollouts.logProbs: the completion must start in 1 … " + (t - 1) + ", got " + from);
        int n = t - from, v = model.vocab();
        int[] next = new int[b * n];
        for (int i = 0; i < b; i++) System.arraycopy(ids, i * t + from, next, i * n, n);
        Tensor logits = model.logits(ids, b, t).slice(1, from - 1, t - 1);                    // (B, n, V): the rows predicting the completion
        Tensor lp = Functional.logSoftmax(logits.reshape(b * n, v)).gather(next);             // (B·n)
        return lp.reshape(b, n).sum(1, false);                                                 // (B)
    }

    /** {@link #logProbs} without gradients, in evaluation mode, {@code batch} rows at a time: plain numbers. */
    public static float[] logProbsNoGrad(LanguageModel model, int[][] rows, int from, int batch) {
        if (rows.length == 0) return new float[0];
        int t = rows[0].length;
        float[] out = new float[rows.length];
        boolean was = model.isTraining();
        model.train(false);
        try (var ng = Tensor.noGrad()) {
            for (int s = 0; s < rows.length; s += batch) {
                int b = Math.min(batch, rows.length - s);
                int[] ids = new int[b * t];
                for (int i = 0; i < b; i++) {
                    if (rows[s + i].length != t) throw new IllegalArgumentException("Rollouts.logProbsNoGrad: rows of different lengths");
                    System.arraycopy(rows[s + i], 0, ids, i * t, t);
                }
                float[] lp = logProbs(model, ids, b, t, from).toArray();
                System.arraycopy(lp, 0, out, s, b);
            }
        } finally {
            model.train(was);
        }
        return out;
    }

    /** A frozen copy's role: evaluation mode and no trainable parameter (a reference model). */
    public static <M extends Module> M freeze(M model) {
        model.freeze("");
        model.eval();
        return model;
    }

    /** Mean reward of a policy's samples, and their mean {@code log π − log π_ref}: the KL(π ‖ π_ref) estimate in nats. */
    public record Score(double reward, double kl, int samples) {}

    /**
     * Samples {@code perPrompt} completions of {@code length} tokens for each prompt from {@code policy} (temperature 1),
     * and averages their reward and their sequence log-ratio to {@code reference} (an unbiased estimate of the KL).
     */
    public static Score score(LanguageModel policy, LanguageModel reference, llmbook.tokenizer.Tokenizer tok, java.util.List<int[]> prompts,
                              int perPrompt, int length, java.util.function.ToDoubleFunction<String> reward, Rng rng) {
        double r = 0, kl = 0;
        int n = 0;
        for (int[] p : prompts) {
            int[][] c = sample(policy, p, perPrompt, length, 1f, rng);
            int[][] rows = new int[perPrompt][];
            for (int i = 0; i < perPrompt; i++) { rows[i] = concat(p, c[i]); r += reward.applyAsDouble(tok.decode(c[i])); }
            float[] a = logProbsNoGrad(policy, rows, p.length, 16), b = logProbsNoGrad(reference, rows, p.length, 16);
            for (int i = 0; i < perPrompt; i++) kl += a[i] - b[i];
            n += perPrompt;
        }
        return new Score(r / n, kl / n, n);
    }
}
