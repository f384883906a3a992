package llmbook.sample;

import java.util.Arrays;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.tensor.Tensor;

/**
 * Continues a prompt one token at a time with any {@link LanguageModel}, choosing each token with a {@link Sampler}:
 * with the model's KV cache when it has one ({@link LanguageModel#supportsCache()}) — each new token costs one position
 * of work — or without (the whole window through the model for every token). Both see exactly the same window, so
 * greedy decoding gives the same text either way. Q19, Q50.
 * <pre>{@code
 * int[] ids = new Generator(lm).generate(prompt, 200, Sampler.of(0.8f, 40, 0.95f, new Rng(1)));
 * new Generator(lm).stopAt(eot).onToken((id, pos) -> System.out.print(tok.decode(new int[] {id})))
 *                  .generate(prompt, 500, Sampler.greedy());
 * }</pre>
 *
 * <p>The window: the model sees tokens {@code start .. n-1} when choosing token {@code n}. It starts at the
 * beginning of the prompt (or at its last {@code context} tokens). Absolute positions pin token {@code start}
 * to position 0, so when the window would outgrow the context it cannot just slide by one (every cached key
 * would move to a new position and go stale); instead it jumps: {@code start = n − context/2}, the cache is
 * refilled with the last half-window in one batched pass, and the next {@code context/2} tokens are cheap
 * again. The model therefore always sees between {@code context/2} and {@code context} tokens of history.
 */
public final class Generator {
    private final LanguageModel model;
    private boolean useCache;
    private int stop = -1;
    private TokenListener listener;
    private long positionsComputed;

    /** A generator that uses the model's cache if it has one. */
    public Generator(LanguageModel model) {
        this.model = model;
        this.useCache = model.supportsCache();
    }

    /** Decode with the cache ({@code true}; the model must support one) or with the full window every step. Returns this. */
    public Generator useCache(boolean on) {
        if (on && !model.supportsCache())
            throw new IllegalArgumentException("Generator: " + model.getClass().getSimpleName() + " has no KV cache; decode without one");
        useCache = on;
        return this;
    }

    /** Stop after the model writes {@code endToken} (which is not part of the output; -1 = never). Returns this. */
    public Generator stopAt(int endToken) {
        if (endToken < -1 || endToken >= model.vocab())
            throw new IllegalArgumentException("Generator: end token " + endToken + " outside the vocabulary [0, " + model.vocab() + ")");
        stop = endToken;
        return this;
    }

    /** Calls {@code listener} with every generated token as it is chosen (not the prompt, not the end token). Returns this. */
    public Generator onToken(TokenListener listener) {
        this.listener = listener;
        return this;
    }

    public boolean usesCache() { return useCache; }

    /** Greedy decoding: the most likely token every step. */
    public int[] greedy(int[] prompt, int maxNew) { return generate(prompt, maxNew, Sampler.greedy()); }

    /**
     * The prompt followed by up to {@code maxNew} tokens chosen by {@code sampler} (fewer when the end token comes;
     * it is left out). The model runs in evaluation mode without gradients and is put back as it was.
     */
    public int[] generate(int[] prompt, int maxNew, Sampler sampler) {
        if (prompt.length == 0) throw new IllegalArgumentException("Generator: the prompt must have at least one token");
        if (maxNew < 0) throw new IllegalArgumentException("Generator: maxNew must be >= 0, got " + maxNew);
        int T = model.context(), V = model.vocab();
        for (int id : prompt)
            if (id < 0 || id >= V) throw new IllegalArgumentException("Generator: prompt token " + id + " outside the vocabulary [0, " + V + ")");
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew);
        int start = Math.max(0, prompt.length - T), n = prompt.length;
        boolean wasTraining = model.isTraining();
        model.train(false);
        DecodeCache cache = useCache ? model.newCache(1) : null;
        int cachedFrom = -1;                                     // window start the cache was filled for
        try (var g = Tensor.noGrad()) {
            for (; n < out.length; n++) {
                if (n - start > T) start = n - Math.max(1, T / 2);
                int from = start;                                 // tokens from .. n-1 go through the model now
                if (cache != null) {
                    if (cachedFrom != start) { cache.reset(); cachedFrom = start; }
                    from = start + cache.length();                // tokens start .. from-1 are cached
                }
                Tensor logits = cache != null ? model.logits(Arrays.copyOfRange(out, from, n), 1, n - from, cache)
                        : model.logits(Arrays.copyOfRange(out, from, n), 1, n - from);
                positionsComputed += n - from;
                float[] all = logits.toArray();                   // (1, n - from, V): the last row predicts token n
                float[] last = Arrays.copyOfRange(all, all.length - V, all.length);
                int next = sampler.next(last, Arrays.copyOf(out, n));
                if (next == stop) break;
                out[n] = next;
                if (listener != null) listener.onToken(next, n);
            }
        } finally {
            model.train(wasTraining);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Positions pushed through the model so far (by all calls): the work the cache saves. */
    public long positionsComputed() { return positionsComputed; }
}
