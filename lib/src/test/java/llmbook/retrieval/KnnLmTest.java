package llmbook.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

class KnnLmTest {
    static final int V = 40, T = 16;

    static Decoder model() {
        return new Decoder(TransformerConfig.gpt2(V).withLayers(1).withShape(2, 32, 64).withContext(T), new Rng(3));
    }

    static int[] randomIds(int n, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = r.nextInt(V);
        return ids;
    }

    @Test
    void searchIsTheBruteForceNearest() {
        Decoder m = model();
        KnnLm store = KnnLm.build(m, randomIds(20 * T + 1, 1), 10_000);
        assertEquals(20 * T, store.size());
        float[] q = new float[32];
        Random r = new Random(2);
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        KnnLm.Neighbours nb = store.search(q, 0, 5);
        for (int j = 1; j < 5; j++) assertTrue(nb.distances()[j - 1] <= nb.distances()[j]);
        assertEquals(1.0, KnnLm.probability(nb, 1, nb.values()[0], 1.0), 1e-12, "one neighbour votes alone");
    }

    /** The datastore of a text, queried on the same text: each context finds itself (distance 0), and λ = 0 is the model alone. */
    @Test
    void memorisedTextIsPredictedAndLambdaZeroIsTheModel() {
        Decoder m = model();
        int[] ids = randomIds(12 * T + 1, 5);
        KnnLm store = KnnLm.build(m, ids, 10_000);
        KnnLm.Sweep s = store.evaluate(m, ids, 10_000, new int[]{1, 8}, new double[]{0, 0.5, 1}, 1.0);
        assertEquals(12 * T, s.tokens());
        double lossByModel = 0;
        for (int w = 0; w < 12; w++) {
            int[] x = Arrays.copyOfRange(ids, w * T, w * T + T), y = Arrays.copyOfRange(ids, w * T + 1, w * T + T + 1);
            lossByModel += m.loss(x, y, 1, T).item();
        }
        assertEquals(lossByModel / 12, s.baseline(), 1e-4, "baseline = the model's own loss");
        assertEquals(s.baseline(), s.nll()[0][0], 1e-9, "λ = 0");
        assertTrue(s.knnTop1() > 0.9, "nearest neighbour is the same context: " + s.knnTop1());
        assertTrue(s.nll()[0][1] < s.baseline() - 1, "half kNN, half model: " + s.nll()[0][1] + " vs " + s.baseline());
        assertArrayEquals(new int[]{1, 8}, s.ks());
    }
}
