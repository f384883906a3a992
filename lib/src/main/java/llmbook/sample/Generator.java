package llmbook.sample;

import java.util.Arrays;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.tensor.LinAlg;
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
        if (maxNew < 0) throw new IllegalArgumentException("Generator: maxNew must be >= 0, got " + maxNew);
        if ((long) prompt.length + maxNew > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("Generator: " + prompt.length + " + " + maxNew + " tokens do not fit in one array; "
                    + "stream() hands them over one at a time instead");
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew);
        int n = prompt.length + (int) stream(prompt, maxNew, sampler, (id, pos) -> out[(int) pos] = id);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Like {@link #generate}, but each new token goes to {@code sink} as soon as it is chosen (and to the listener of
     * {@link #onToken}), and only the current window is kept, so {@code maxNew} may be as large as you like (the CLI
     * prints text as it comes). The sampler's history is the window: the tokens the model sees. Returns the number of
     * tokens generated.
     */
    public long stream(int[] prompt, long maxNew, Sampler sampler, TokenListener sink) {
        if (prompt.length == 0) throw new IllegalArgumentException("Generator: the prompt must have at least one token");
        if (maxNew < 0) throw new IllegalArgumentException("Generator: maxNew must be >= 0, got " + maxNew);
        int T = model.context(), V = model.vocab();
        for (int id : prompt)
            if (id < 0 || id >= V) throw new IllegalArgumentException("Generator: prompt token " + id + " outside the vocabulary [0, " + V + ")");
        // the window: tokens start .. n-1 of the whole text are win[0 .. len-1]; it never holds more than T + 1
        int from = Math.max(0, prompt.length - T), len = prompt.length - from;
        int[] win = Arrays.copyOf(Arrays.copyOfRange(prompt, from, prompt.length), T + 1);
        boolean wasTraining = model.isTraining();
        model.train(false);
        DecodeCache cache = useCache ? model.newCache(1) : null;
        long k = 0;
        try (var g = Tensor.noGrad(); var f = LinAlg.frozenWeights()) {   // no weight changes while it generates
            for (; k < maxNew; k++) {
                if (len > T) {                                    // jump: keep the last half window (see the class comment)
                    int drop = len - Math.max(1, T / 2);
                    System.arraycopy(win, drop, win, 0, len - drop);
                    len -= drop;
                    if (cache != null) cache.reset();
                }
                int have = cache != null ? cache.length() : 0;    // win[0 .. have-1] are cached
                int[] fresh = Arrays.copyOfRange(win, have, len);
                Tensor logits = cache != null ? model.logits(fresh, 1, fresh.length, cache) : model.logits(fresh, 1, fresh.length);
                positionsComputed += fresh.length;
                float[] all = logits.toArray();                   // (1, len - have, V): the last row predicts the next token
                int next = sampler.next(Arrays.copyOfRange(all, all.length - V, all.length), Arrays.copyOf(win, len));
                if (next == stop) break;
                win[len++] = next;
                long pos = prompt.length + k;
                sink.onToken(next, pos);
                if (listener != null) listener.onToken(next, pos);
            }
        } finally {
            model.train(wasTraining);
        }
        return k;
    }

    /** Positions pushed through the model so far (by all calls): the work the cache saves. */
    public long positionsComputed() { return positionsComputed; }
}
