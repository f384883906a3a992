package llmbook.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

class RalmTest {
    static Decoder model() {
        return new Decoder(TransformerConfig.gpt2(20).withLayers(1).withShape(2, 16, 32).withContext(8), new Rng(2));
    }

    /** The loss by hand: log-softmax of the logits of the whole window, at the target positions only. */
    static double byHand(Decoder m, int[] window, int firstTarget) {
        int n = window.length - 1, V = 20;
        float[] lg = m.logits(java.util.Arrays.copyOf(window, n), 1, n).toArray();
        double s = 0;
        for (int t = firstTarget - 1; t < n; t++) {
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int v = 0; v < V; v++) max = Math.max(max, lg[t * V + v]);
            for (int v = 0; v < V; v++) z += Math.exp(lg[t * V + v] - max);
            s += max + Math.log(z) - lg[t * V + window[t + 1]];
        }
        return s / (n - firstTarget + 1);
    }

    @Test
    void scoresOnlyTheTargetAndCutsTheContextFromTheFront() {
        Decoder m = model();
        assertEquals(byHand(m, new int[]{3, 4, 5, 6, 7}, 3), Ralm.loss(m, new int[]{3, 4, 5}, new int[]{6, 7}), 1e-5);
        // 10 context tokens + 3 target tokens do not fit a window of 8: the last 6 context tokens are kept
        int[] ctx = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(byHand(m, new int[]{5, 6, 7, 8, 9, 10, 11, 12, 13}, 6), Ralm.loss(m, ctx, new int[]{11, 12, 13}), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> Ralm.loss(m, new int[]{}, new int[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Ralm.loss(m, new int[]{1}, new int[8]));
    }
}
