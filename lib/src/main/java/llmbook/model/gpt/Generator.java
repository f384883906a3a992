package llmbook.model.gpt;

import java.util.Arrays;
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
        if (prompt.length == 0) throw new IllegalArgumentException("Generator: the prompt must have at least one token");
        if (maxNew < 0) throw new IllegalArgumentException("Generator: maxNew must be >= 0, got " + maxNew);
        if (!(temperature >= 0)) throw new IllegalArgumentException("Generator: temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("Generator: top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("Generator: top-p must be in (0, 1], got " + topP);
        if (temperature > 0 && rng == null) throw new IllegalArgumentException("Generator: sampling (temperature > 0) needs an Rng");
        int T = model.config.context(), V = model.config.vocab();
        for (int id : prompt)
            if (id < 0 || id >= V) throw new IllegalArgumentException("Generator: prompt token " + id + " outside the vocabulary [0, " + V + ")");
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew);
        int start = Math.max(0, prompt.length - T);
        boolean wasTraining = model.isTraining();
        model.eval();
        decoder.reset();
        int cachedFrom = -1;                                   // window start the cache was filled for
        try (var g = Tensor.noGrad()) {
            for (int n = prompt.length; n < out.length; n++) {
                if (n - start > T) start = n - T / 2;
                float[] logits;
                int off = 0;
                if (useCache) {
                    if (cachedFrom != start) { decoder.reset(); cachedFrom = start; }
                    int have = start + decoder.length();           // tokens start .. have-1 are cached
                    logits = decoder.append(Arrays.copyOfRange(out, have, n));
                    positionsComputed += n - have;
                } else {
                    logits = model.forward(Arrays.copyOfRange(out, start, n), 1, n - start).toArray();
                    off = (n - start - 1) * V;
                    positionsComputed += n - start;
                }
                out[n] = Sampler.next(logits, off, V, temperature, topK, topP, rng);
            }
        } finally {
            if (wasTraining) model.train();
        }
        return out;
    }

    /** Positions pushed through the model so far (by all calls): the work the cache saves. */
    public long positionsComputed() { return positionsComputed; }
}
