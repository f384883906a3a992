package llmbook.model.gpt;

import java.util.Arrays;
import java.util.function.IntConsumer;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Continues a prompt one token at a time, with a KV cache ({@link KvDecoder}) or without (the whole window
 * through {@link Gpt#forward} for every token); both see exactly the same window, so greedy decoding gives the
 * same text either way. Q19, Q50.
 *
 * <p>The window: the model sees tokens {@code start .. n-1} when choosing token {@code n}. It starts at the
 * beginning of the prompt (or at its last {@code context} tokens). Learned positions pin token {@code start}
 * to position 0, so when the window would outgrow the context it cannot just slide by one (every cached key
 * would move to a new position and go stale); instead it jumps: {@code start = n − context/2}, the cache is
 * refilled with the last half-window in one batched pass, and the next {@code context/2} tokens are cheap
 * again. The model therefore always sees between {@code context/2} and {@code context} tokens of history.
 *
 * <pre>{@code
 * int[] ids = new Generator(gpt).generate(prompt, 200, 0.8f, 40, 0.95f, new Rng(1), true);
 * }</pre>
 */
public final class Generator {
    private final Gpt model;
    private final KvDecoder decoder;
    private long positionsComputed;

    public Generator(Gpt model) {
        this.model = model;
        this.decoder = new KvDecoder(model);
    }

    /** Greedy decoding (temperature 0): the most likely token every step. */
    public int[] greedy(int[] prompt, int maxNew, boolean useCache) {
        return generate(prompt, maxNew, 0f, 0, 1f, null, useCache);
    }

    /**
     * The prompt followed by {@code maxNew} generated ids: temperature (0 = greedy), then top-k (0 = off), then
     * top-p (1 = off) filtering of each next-token distribution, then a draw from {@code rng} (unused if greedy).
     */
    public int[] generate(int[] prompt, int maxNew, float temperature, int topK, float topP, Rng rng, boolean useCache) {
        if ((long) prompt.length + maxNew > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("Generator: " + prompt.length + " prompt + " + maxNew + " new tokens do not fit in one array; "
                    + "stream() hands them over one at a time instead");
        int[] out = Arrays.copyOf(prompt, prompt.length + Math.max(0, maxNew));
        int[] n = {prompt.length};
        stream(prompt, maxNew, temperature, topK, topP, rng, useCache, id -> out[n[0]++] = id);
        return out;
    }

    /**
     * Like {@link #generate}, but each new id goes to {@code onToken} as soon as it is chosen, and only the current
     * window is kept: {@code maxNew} may be as large as you like (the CLI prints the text as it comes).
     */
    public void stream(int[] prompt, long maxNew, float temperature, int topK, float topP, Rng rng, boolean useCache, IntConsumer onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("Generator: the prompt must have at least one token");
        if (maxNew < 0) throw new IllegalArgumentException("Generator: maxNew must be >= 0, got " + maxNew);
        if (!(temperature >= 0)) throw new IllegalArgumentException("Generator: temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("Generator: top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("Generator: top-p must be in (0, 1], got " + topP);
        if (temperature > 0 && rng == null) throw new IllegalArgumentException("Generator: sampling (temperature > 0) needs an Rng");
        int T = model.config.context(), V = model.config.vocab();
        for (int id : prompt)
            if (id < 0 || id >= V) throw new IllegalArgumentException("Generator: prompt token " + id + " outside the vocabulary [0, " + V + ")");
        // the window: tokens start .. n-1 of the whole text are win[0 .. len-1]; it never holds more than T + 1
        int from = Math.max(0, prompt.length - T), len = prompt.length - from;
        int[] win = Arrays.copyOf(Arrays.copyOfRange(prompt, from, prompt.length), T + 1);
        boolean wasTraining = model.isTraining();
        model.eval();
        decoder.reset();
        boolean cacheValid = false;                            // the cache holds win[0 .. decoder.length()-1]
        try (var g = Tensor.noGrad()) {
            for (long k = 0; k < maxNew; k++) {
                if (len > T) {                                 // jump: keep the last half window (see the class comment)
                    int drop = len - T / 2;
                    System.arraycopy(win, drop, win, 0, len - drop);
                    len -= drop;
                    cacheValid = false;
                }
                float[] logits;
                int off = 0;
                if (useCache) {
                    if (!cacheValid) { decoder.reset(); cacheValid = true; }
                    int have = decoder.length();
                    logits = decoder.append(Arrays.copyOfRange(win, have, len));
                    positionsComputed += len - have;
                } else {
                    logits = model.forward(Arrays.copyOf(win, len), 1, len).toArray();
                    off = (len - 1) * V;
                    positionsComputed += len;
                }
                int next = Sampler.next(logits, off, V, temperature, topK, topP, rng);
                win[len++] = next;
                onToken.accept(next);
            }
        } finally {
            if (wasTraining) model.train();
        }
    }

    /** Positions pushed through the model so far (by all calls): the work the cache saves. */
    public long positionsComputed() { return positionsComputed; }
}
