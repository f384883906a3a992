package llmbook.scaling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import llmbook.model.TestModels;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.train.TrainConfig;
import org.junit.jupiter.api.Test;

class ScalingLawTest {
    static final double[] SIZES = {2e3, 6e3, 2e4, 6e4, 2e5}, TOKENS = {1e5, 3e5, 1e6, 3e6};

    static double truth(double n, double d) { return 1.5 + 40 * Math.pow(n, -0.35) + 300 * Math.pow(d, -0.3); }

    /** Points of the grid SIZES × TOKENS, the largest size left out when {@code dropLargest}, with N(0, sd²) noise. */
    static double[][] grid(boolean dropLargest, double sd, Rng rng) {
        List<double[]> pts = new ArrayList<>();
        for (double n : SIZES) {
            if (dropLargest && n == SIZES[SIZES.length - 1]) continue;
            for (double d : TOKENS) pts.add(new double[] {n, d, truth(n, d) + sd * rng.nextGaussian()});
        }
        double[][] out = new double[3][pts.size()];
        for (int i = 0; i < pts.size(); i++) for (int k = 0; k < 3; k++) out[k][i] = pts.get(i)[k];
        return out;
    }

    @Test
    void recoversAnExactLawInSizeAndData() {
        double[][] g = grid(false, 0, new Rng(1));
        ScalingLaw f = ScalingLaw.fit(g[0], g[1], g[2]);
        assertEquals(0.35, f.alpha(), 0.01, f.toString());
        assertEquals(0.3, f.beta(), 0.01, f.toString());
        assertEquals(1.5, f.e(), 0.02, f.toString());
        assertEquals(truth(1e6, 1e7), f.predict(1e6, 1e7), 2e-3);
        assertEquals(0.3 / 0.65, f.optimalSizeExponent(), 0.02);
    }

    @Test
    void predictsALargerModelWithAnIntervalThatHoldsTheTruth() {
        double[][] g = grid(true, 0.005, new Rng(2));
        double[] atN = {SIZES[4], SIZES[4]}, atD = {TOKENS[0], TOKENS[3]};
        var bs = ScalingLaw.bootstrap(g[0], g[1], g[2], atN, atD, 100, new Rng(3));
        for (int j = 0; j < 2; j++) {
            var p = bs.predictions()[j];
            // a 95 % interval misses now and then; the estimate must be off by less than the interval's width
            assertTrue(Math.abs(p.estimate() - truth(atN[j], atD[j])) < p.hi() - p.lo(), "prediction at D = " + atD[j] + ": " + p + " vs truth " + truth(atN[j], atD[j]));
            assertTrue(p.hi() - p.lo() < 0.1, "interval too wide to mean anything: " + p);
        }
        assertTrue(bs.alpha().contains(0.35) && bs.beta().contains(0.3), bs.alpha() + " " + bs.beta());
    }

    @Test
    void dataThatDoesNotHelpGetsNoDataTermRatherThanANegativeOne() {
        // loss falls with N but rises slightly with D (an overfitting-like artefact): the constrained fit sets B = 0
        double[] n = {1e3, 1e3, 1e4, 1e4, 1e5, 1e5}, d = {1e5, 1e6, 1e5, 1e6, 1e5, 1e6};
        double[] l = new double[6];
        for (int i = 0; i < 6; i++) l[i] = 2 + 30 * Math.pow(n[i], -0.4) + (d[i] > 5e5 ? 0.01 : 0);
        ScalingLaw f = ScalingLaw.fit(n, d, l);
        assertEquals(0, f.b(), 0, f.toString());
        assertTrue(f.a() > 0 && Double.isFinite(f.rss()), f.toString());
    }

    @Test
    void refusesWhatCannotDetermineFiveParameters() {
        var few = assertThrows(IllegalArgumentException.class, () -> ScalingLaw.fit(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}));
        assertTrue(few.getMessage().contains("got 4"), few.getMessage());
        var oneD = assertThrows(IllegalArgumentException.class,
                () -> ScalingLaw.fit(new double[] {1, 2, 3, 4, 5}, new double[] {7, 7, 7, 7, 7}, new double[] {5, 4, 3, 2, 1}));
        assertTrue(oneD.getMessage().contains("distinct"), oneD.getMessage());
    }

    @Test
    void aGridTrainsEverySizeForEveryBudgetAndTheFrontierKeepsOnlyImprovements() {
        int[] ids = new int[4000];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 7 + i / 13) % 11;
        TransformerConfig small = TestModels.gpt(11, 8, 1, 2, 8, 0f), big = TestModels.gpt(11, 8, 2, 2, 16, 0f);
        var pts = Sweep.grid(List.of(small, big), new int[] {2, 4}, TrainConfig.reference().withBatch(2).withThreads(1).withEvalBatches(1), ids, ids, 1);
        assertEquals(4, pts.size());
        assertEquals(List.of(2, 4, 2, 4), pts.stream().map(Sweep.Point::steps).toList());
        assertEquals(4L * 2 * 8, pts.get(1).tokens());
        assertEquals(pts.get(0).nonEmbedding(), pts.get(1).nonEmbedding());
        var front = Sweep.frontier(pts);
        for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).flops() >= front.get(i - 1).flops());
            assertTrue(front.get(i).valLoss() < front.get(i - 1).valLoss());
        }
        double cheapest = pts.stream().mapToDouble(Sweep.Point::flops).min().orElseThrow();
        assertEquals(cheapest, front.get(0).flops());
        assertEquals(8, Sweep.table("t", pts).columnCount());
    }
}
