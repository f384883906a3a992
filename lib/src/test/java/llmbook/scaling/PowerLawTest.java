package llmbook.scaling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import llmbook.model.TestModels;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.train.TrainConfig;
import org.junit.jupiter.api.Test;

class PowerLawTest {
    static final double[] N = {1e3, 3e3, 1e4, 3e4, 1e5, 3e5};

    @Test
    void recoversAnExactLaw() {
        double[] l = java.util.Arrays.stream(N).map(n -> 12 * Math.pow(n, -0.3) + 1.2).toArray();
        PowerLaw f = PowerLaw.fit(N, l);
        assertEquals(12, f.a(), 0.05);
        assertEquals(0.3, f.b(), 1e-3);
        assertEquals(1.2, f.c(), 1e-3);
        assertEquals(12 * Math.pow(1e7, -0.3) + 1.2, f.predict(1e7), 1e-3);
    }

    @Test
    void bootstrapIntervalsCoverTheTruthUnderNoiseAndWidenWithIt() {
        Rng rng = new Rng(3);
        double[] l = java.util.Arrays.stream(N).map(n -> 12 * Math.pow(n, -0.3) + 1.2 + 0.01 * rng.nextGaussian()).toArray();
        var bs = PowerLaw.bootstrap(N, l, new double[] {1e6}, 300, new Rng(4));
        assertTrue(bs.b().contains(0.3), bs.b().toString());
        assertTrue(bs.predictions()[0].contains(12 * Math.pow(1e6, -0.3) + 1.2), bs.predictions()[0].toString());
        assertTrue(bs.predictions()[0].lo() < bs.predictions()[0].hi());
        double[] exact = java.util.Arrays.stream(N).map(n -> 12 * Math.pow(n, -0.3) + 1.2).toArray();
        var tight = PowerLaw.bootstrap(N, exact, new double[] {1e6}, 100, new Rng(4));
        double w0 = tight.predictions()[0].hi() - tight.predictions()[0].lo(), w1 = bs.predictions()[0].hi() - bs.predictions()[0].lo();
        assertTrue(w0 < w1, w0 + " vs " + w1);
    }

    @Test
    void refusesTooFewPointsWithTheCount() {
        var e = assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, 2}, new double[] {3, 2}));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    }

    @Test
    void aSweepTrainsEachSizeAndCountsItsCompute() {
        int[] ids = new int[4000];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 7 + i / 13) % 11;
        TransformerConfig small = TestModels.gpt(11, 8, 1, 2, 8, 0f), big = TestModels.gpt(11, 8, 2, 2, 16, 0f);
        var pts = Sweep.run(List.of(small, big), TrainConfig.reference().withSteps(3).withBatch(2).withThreads(1).withEvalBatches(1), ids, ids, 1);
        assertEquals(2, pts.size());
        assertEquals(small.parameterCount() - 11 * 8 - 8 * 8, pts.get(0).nonEmbedding());
        assertEquals(3L * 2 * 8, pts.get(0).tokens());
        assertEquals(6.0 * pts.get(1).nonEmbedding() * 48, pts.get(1).flops(), 1e-6);
        assertTrue(pts.get(1).params() > pts.get(0).params());
        assertEquals(2, Sweep.table("t", pts).rowCount());
    }
}
