package llmbook.exercises.ch07;

import java.util.Arrays;

/** Solution of ch07.top_p (see the exercise's Javadoc). Q21. */
public final class TopPFilter {
    private TopPFilter() {}

    public static float[] filter(float[] logits, double p) {
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("top-p: p must be in (0, 1], got " + p);
        int V = logits.length;
        float[] out = logits.clone();
        if (p == 1) return out;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] prob = new double[V];
        double sum = 0;
        for (int i = 0; i < V; i++) sum += prob[i] = Math.exp(logits[i] - max);      // subtract the max: no overflow
        for (int i = 0; i < V; i++) prob[i] /= sum;
        Integer[] order = new Integer[V];
        for (int i = 0; i < V; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(prob[b], prob[a]));               // stable: equal probabilities keep id order
        double mass = 0;
        int keep = V;
        for (int r = 0; r < V; r++) {
            mass += prob[order[r]];
            if (mass >= p) { keep = r + 1; break; }
        }
        for (int r = keep; r < V; r++) out[order[r]] = Float.NEGATIVE_INFINITY;
        return out;
    }
}
