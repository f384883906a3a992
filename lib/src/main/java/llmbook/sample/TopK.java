package llmbook.sample;

import java.util.Arrays;

/**
 * Keeps the {@code k} highest logits and sets the rest to {@code −∞}: exactly {@code k} tokens survive (among equal
 * logits at the cut, the lower ids). {@code k ≥ V} keeps everything. Q21.
 */
public record TopK(int k) implements LogitsProcessor {
    public TopK {
        if (k < 1) throw new IllegalArgumentException("TopK: k must be >= 1, got " + k);
    }

    @Override
    public void process(float[] logits, int[] history) {
        int V = logits.length;
        if (k >= V) return;
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float cut = sorted[V - k];                                      // the k-th highest value
        int above = 0;
        for (float l : logits) if (l > cut) above++;
        int tiesKept = k - above;                                       // tokens equal to the cut that still fit
        for (int i = 0; i < V; i++) {
            if (logits[i] > cut) continue;
            if (logits[i] == cut && tiesKept > 0) { tiesKept--; continue; }
            logits[i] = Float.NEGATIVE_INFINITY;
        }
    }
}
