package llmbook.model.gpt;

import java.util.Arrays;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * Writes text with a trained {@link Gpt}, one token at a time: temperature, then top-k, then top-p
 * (nucleus) filtering of the next-token distribution, then a draw; temperature 0 is greedy. Q19–Q21.
 *
 * <p>This version recomputes the whole window (the last {@code context} tokens) for every new token;
 * a KV cache that reuses the keys and values of earlier positions is the next step (chapter 6).
 */
public final class Sampler {
    private final Gpt model;

    public Sampler(Gpt model) { this.model = model; }

    /** The prompt followed by {@code maxNew} generated ids. */
    public int[] generate(int[] prompt, int maxNew, float temperature, int topK, float topP, Rng rng) {
        if (prompt.length == 0) throw new IllegalArgumentException("Sampler: the prompt must have at least one token");
        if (!(temperature >= 0)) throw new IllegalArgumentException("Sampler: temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("Sampler: top-k must be >= 0 (0 = off), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("Sampler: top-p must be in (0, 1], got " + topP);
        int T = model.config.context(), V = model.config.vocab();
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNew);
        model.eval();
        try (var g = Tensor.noGrad()) {
            for (int n = prompt.length; n < out.length; n++) {
                int start = Math.max(0, n - T);
                float[] logits = model.forward(Arrays.copyOfRange(out, start, n), 1, n - start).toArray();
                out[n] = next(logits, (n - start - 1) * V, V, temperature, topK, topP, rng);
            }
        } finally {
            model.train();
        }
        return out;
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
