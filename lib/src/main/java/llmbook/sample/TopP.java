package llmbook.sample;

import java.util.Arrays;

/**
 * Nucleus sampling: keeps the smallest set of most likely tokens whose probabilities add up to at least {@code p}
 * and sets the rest to {@code −∞}. With probabilities {@code (0.5, 0.3, 0.15, 0.05)} and {@code p = 0.8}, the first
 * two are kept (0.5 < 0.8 ≤ 0.8). {@code p = 1} keeps everything. Q21.
 */
public record TopP(float p) implements LogitsProcessor {
    public TopP {
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("TopP: p must be in (0, 1], got " + p);
    }

    @Override
    public void process(float[] logits, int[] history) {
        if (p >= 1f) return;
        int V = logits.length;
        double[] prob = LogitsProcessor.softmax(logits);
        Integer[] order = new Integer[V];
        for (int i = 0; i < V; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(prob[b], prob[a]));   // most likely first; stable, so ties by id
        double mass = 0;
        int keep = V;
        for (int r = 0; r < V; r++) {
            mass += prob[order[r]];
            if (mass >= p) { keep = r + 1; break; }
        }
        for (int r = keep; r < V; r++) logits[order[r]] = Float.NEGATIVE_INFINITY;
    }
}
