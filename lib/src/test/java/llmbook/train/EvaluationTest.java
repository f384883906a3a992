package llmbook.train;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.model.transformer.Decoder;
import llmbook.model.TestModels;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    static final int V = 11;
    static final int[] IDS = new int[500];
    static { Rng r = new Rng(3); for (int i = 0; i < IDS.length; i++) IDS[i] = r.nextInt(V); }

    @Test
    void streamLossIsTheMeanOverEveryWholeWindowAndRestoresTheMode() {
        Decoder m = new Decoder(TestModels.gpt(V, 16, 1, 2, 32, 0.1f), new Rng(5));
        m.train(true);
        double got = Evaluation.streamLoss(m, IDS, 3);
        assertTrue(m.isTraining(), "the model is put back in training mode");
        m.train(false);
        int T = 16, n = (IDS.length - 1) / T;
        double sum = 0;
        try (var g = Tensor.noGrad()) {
            for (int w = 0; w < n; w++) {
                int[] x = java.util.Arrays.copyOfRange(IDS, w * T, w * T + T), y = java.util.Arrays.copyOfRange(IDS, w * T + 1, w * T + T + 1);
                sum += m.loss(x, y, 1, T).item();
            }
        }
        assertEquals(sum / n, got, 1e-5);
    }

    @Test
    void lossByPositionAveragesToTheLossOfTheSameWindows() {
        Decoder m = new Decoder(TestModels.gpt(V, 16, 1, 2, 32, 0f), new Rng(5));
        double[] byPos = Evaluation.lossByPosition(m, IDS, 16, 16, 9);
        assertEquals(16, byPos.length);
        double mean = java.util.Arrays.stream(byPos).average().orElseThrow();
        assertEquals(Evaluation.loss(m, IDS, 2, 8, 9), mean, 1e-5, "same seed, same 16 windows");
        assertThrows(IllegalArgumentException.class, () -> Evaluation.lossByPosition(m, IDS, 17, 4, 1));
        assertEquals(Math.exp(Evaluation.loss(m, IDS)), Evaluation.perplexity(m, IDS), 1e-9);
    }
}
