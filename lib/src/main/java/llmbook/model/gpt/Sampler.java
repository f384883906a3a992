package llmbook.model.gpt;

import java.util.Arrays;
import llmbook.tensor.Rng;

/**
 * Writes text with a trained {@link Gpt}, one token at a time: temperature, then top-k, then top-p
 * (nucleus) filtering of the next-token distribution, then a draw; temperature 0 is greedy. Q19–Q21.
 *
 * <p>Generation runs on {@link Generator} with its KV cache ({@link KvDecoder}): one pass over the weights
 * per new token instead of one per token of the window.
 */
public final class Sampler {
    private final Gpt model;

    public Sampler(Gpt model) { this.model = model; }

    /** The prompt followed by {@code maxNew} generated ids (KV-cached; see {@link Generator} for the window). */
    public int[] generate(int[] prompt, int maxNew, float temperature, int topK, float topP, Rng rng) {
        return new Generator(model).generate(prompt, maxNew, temperature, topK, topP, rng, true);
    }

    /** Picks the next id from {@code logits[off .. off+V)}. */
    static int next(float[] logits, int off, int V, float temperature, int topK, float topP, Rng rng) {
        if (temperature == 0f) {
            int best = 0;
            for (int i = 1; i < V; i++) if (logits[off + i] > logits[off + best]) best = i;
            return best;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < V; i++) max = Math.max(max, logits[off + i]);
        double[] p = new double[V];
        double sum = 0;
        for (int i = 0; i < V; i++) sum += p[i] = Math.exp((logits[off + i] - max) / temperature);
        Integer[] order = new Integer[V];
        for (int i = 0; i < V; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        int keep = topK > 0 ? Math.min(topK, V) : V;
        double mass = 0;
        for (int r = 0; r < keep; r++) {
            mass += p[order[r]] / sum;
            if (mass >= topP) { keep = r + 1; break; }
        }
        double total = 0;
        for (int r = 0; r < keep; r++) total += p[order[r]];
        double u = rng.nextDouble() * total;
        for (int r = 0; r < keep; r++) {
            u -= p[order[r]];
            if (u <= 0) return order[r];
        }
        return order[keep - 1];
    }
}
