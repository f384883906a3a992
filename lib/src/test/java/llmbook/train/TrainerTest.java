package llmbook.train;

import llmbook.model.TestModels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbook.data.Batches;
import llmbook.data.TokenWindows;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Module;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir Path dir;

    // the text, tokenizer and model of the resume tests (dropout on)
    static final CharTokenizer TOK = TrainerResumeTest.TOK;
    static final int[] IDS = TrainerResumeTest.IDS;
    static final TransformerConfig MODEL = TrainerResumeTest.MODEL;

    static TrainConfig config(int steps) {
        return TrainConfig.reference().withSteps(steps).withBatch(3).withLr(3e-3f).withWarmup(2).withEvalInterval(3).withEvalBatches(2)
                .withSeed(42).withThreads(1);
    }

    @Test
    void theTrainerIsExactlyThePlainLoop() {
        // the loop every chapter used to write by hand: random windows from Rng(seed), AdamW without decay on vectors,
        // warm-up + cosine, clipping; the trainer must give the same losses and weights, bit for bit (dropout on)
        TrainConfig c = config(7);
        Decoder a = new Decoder(MODEL, new Rng(5)), b = new Decoder(MODEL, new Rng(5));
        double[] losses = new Trainer(a, c, IDS, IDS).run().doubleColumn("train_loss").asDoubleArray();

        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(b.namedParameters(), c.weightDecay()), c.lr(), c.beta1(), c.beta2(), 1e-8f);
        Rng rng = new Rng(c.seed());
        int B = c.batch(), T = MODEL.context();
        b.train();
        for (int s = 0; s < c.steps(); s++) {
            opt.setLr(c.schedule().lr(s));
            b.zeroGrad();
            int[] x = new int[B * T], y = new int[B * T];
            for (int r = 0; r < B; r++) {
                int o = rng.nextInt(IDS.length - T);
                System.arraycopy(IDS, o, x, r * T, T);
                System.arraycopy(IDS, o + 1, y, r * T, T);
            }
            Tensor loss = b.loss(x, y, B, T);
            loss.backward();
            GradClip.clipGlobalNorm(opt.params(), c.clip());
            opt.step();
            assertEquals(loss.item(), losses[s], "step " + (s + 1));
        }
        for (int i = 0; i < a.parameters().size(); i++)
            assertArrayEquals(b.parameters().get(i).data(), a.parameters().get(i).data(), "weights " + i);
    }

    @Test
    void frozenParametersAreLeftAloneAndResumeStillWorks() throws IOException {
        Decoder g = new Decoder(MODEL, new Rng(5));
        g.freeze("wpe");
        g.freeze("h.0.ln_1");
        float[] wpe = g.namedParameters().get("wpe.weight").data().clone(), ln = g.namedParameters().get("h.0.ln_1.weight").data().clone();
        float[] wte = g.namedParameters().get("wte.weight").data().clone();
        Trainer t = new Trainer(g, config(6), IDS, IDS);
        assertFalse(t.optimizer().params().contains(g.namedParameters().get("wpe.weight")), "the optimizer does not see frozen parameters");
        assertEquals(g.trainableParameters().size(), t.optimizer().params().size());
        t.runUntil(3);
        assertArrayEquals(wpe, g.namedParameters().get("wpe.weight").data(), "frozen positions untouched");
        assertArrayEquals(ln, g.namedParameters().get("h.0.ln_1.weight").data(), "frozen norm untouched");
        assertFalse(java.util.Arrays.equals(wte, g.namedParameters().get("wte.weight").data()), "the rest trains");

        Path f = dir.resolve(TrainState.FILE);
        t.save(f, Map.of());
        t.run();
        Decoder g2 = new Decoder(MODEL, new Rng(5));
        g2.freeze("wpe");
        g2.freeze("h.0.ln_1");
        Trainer back = new Trainer(g2, config(6), IDS, IDS);
        back.resume(f);
        back.run();
        assertArrayEquals(t.metrics().doubleColumn("train_loss").asDoubleArray(), back.metrics().doubleColumn("train_loss").asDoubleArray());
        Decoder all = new Decoder(MODEL, new Rng(5));
        all.freeze("");
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(all, config(6), IDS, IDS));
        assertTrue(e.getMessage().contains("frozen"), e.getMessage());
    }

    /** y = w·x + b fitted by least squares: any module and any loss train on the same loop. */
    static final class Line extends Module {
        final Tensor w = param("w", Tensor.zeros(1, 1)), b = param("b", Tensor.zeros(1));
    }

    @Test
    void anyModuleAndLossTrain() throws IOException {
        Line line = new Line();
        Batches<float[][]> points = (rng, n) -> {
            float[][] xy = new float[2][n];
            for (int i = 0; i < n; i++) { xy[0][i] = rng.uniform(-1, 1); xy[1][i] = 3 * xy[0][i] - 1; }
            return xy;
        };
        LossFunction<float[][]> mse = xy -> {
            int n = xy[0].length;
            Tensor pred = Tensor.of(xy[0], n, 1).matmul(line.w).add(line.b);
            Tensor d = pred.sub(Tensor.of(xy[1], n, 1));
            return d.mul(d).mean();
        };
        TrainConfig c = TrainConfig.reference().withSteps(300).withBatch(16).withLr(5e-2f).withWarmup(10).withWeightDecay(0f).withEvalInterval(100)
                .withEvalBatches(2).withThreads(1);
        List<Trainer.Step> steps = new ArrayList<>();
        int[] evals = {0};
        Trainer t = new Trainer(line, c, points, points, mse).onStep(steps::add).onEval(m -> evals[0]++);
        var m = t.run();
        assertEquals(300, steps.size(), "onStep sees every step");
        assertEquals(3, evals[0], "onEval after steps 100, 200, 300");
        assertEquals(300, steps.get(299).step());
        assertTrue(steps.get(10).seconds() > 0 && steps.get(10).cpuSeconds() >= 0);
        assertEquals(3f, line.w.data()[0], 0.05f);
        assertEquals(-1f, line.b.data()[0], 0.05f);
        assertTrue(m.doubleColumn("val_loss").getDouble(299) < 1e-3, "validation loss " + m.doubleColumn("val_loss").getDouble(299));

        Path f = dir.resolve(TrainState.FILE);
        t.save(f, Map.of());
        Line fresh = new Line();
        Trainer back = new Trainer(fresh, c, points, points, mse);
        back.resume(f);
        assertEquals(300, back.step());
        assertArrayEquals(line.w.data(), fresh.w.data(), "a module of any kind resumes");
        var refused = assertThrows(IOException.class, () -> new Trainer(new Decoder(MODEL, new Rng(5)), c, IDS, IDS).resume(f));
        assertTrue(refused.getMessage().contains("class=Line"), refused.getMessage());

        Trainer noVal = new Trainer(new Line(), c.withSteps(5), points, null, mse);
        assertTrue(Double.isNaN(noVal.run().doubleColumn("val_loss").getDouble(4)), "no validation batches: no evaluation");
        assertThrows(IllegalStateException.class, noVal::evaluate);
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(new Line(), c.withPatience(2), points, null, mse));
        assertTrue(e.getMessage().contains("early stopping"), e.getMessage());
    }

    @Test
    void sequentialEpochsResumeAtTheirPosition() throws IOException {
        int T = MODEL.context();
        Trainer straight = new Trainer(new Decoder(MODEL, new Rng(5)), config(8), TokenWindows.sequential(IDS, T), TokenWindows.random(IDS, T));
        straight.run();
        TokenWindows w = TokenWindows.sequential(IDS, T);
        Trainer first = new Trainer(new Decoder(MODEL, new Rng(5)), config(8), w, TokenWindows.random(IDS, T));
        first.runUntil(4);
        assertEquals(4 * 3, w.position(), "4 steps of 3 windows");
        first.save(dir.resolve(TrainState.FILE), Map.of());
        TokenWindows w2 = TokenWindows.sequential(IDS, T);
        Trainer second = new Trainer(new Decoder(MODEL, new Rng(5)), config(8), w2, TokenWindows.random(IDS, T));
        second.resume(dir.resolve(TrainState.FILE));
        assertEquals(12, w2.position());
        second.run();
        assertArrayEquals(straight.metrics().doubleColumn("train_loss").asDoubleArray(), second.metrics().doubleColumn("train_loss").asDoubleArray());

        TokenWindows shared = TokenWindows.sequential(IDS, T);              // one source for both: evaluating must not rewind training
        Trainer both = new Trainer(new Decoder(MODEL, new Rng(5)), config(4), shared, shared);
        both.run();
        assertEquals(4 * 3, shared.position(), "the evaluation at step 3 put the source back");
    }

    @Test
    void theLossPlotRedrawsFromTheMetricsAfterEachEvaluation() {
        List<org.knowm.xchart.XYChart> drawn = new ArrayList<>();
        Trainer t = new Trainer(new Decoder(MODEL, new Rng(5)), config(7), IDS, IDS);
        t.onEval(m -> drawn.add(llmbook.plot.LossPlot.of("step " + t.step(), m))).run();
        assertEquals(3, drawn.size(), "evaluations at steps 3, 6 and 7");
        var last = drawn.get(2);
        assertEquals(3, last.getSeriesMap().get("validation").getXData().length);
        assertEquals(7, last.getSeriesMap().get("train (running mean of 20 steps)").getXData().length);
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5}, llmbook.plot.LossPlot.smooth(new double[] {1, 2, 3, 4}, 2));
    }

    @Test
    void everyFieldHasAWitherAndTheChecksStay() {
        TrainConfig c = TrainConfig.reference().withSteps(500).withBatch(32).withLr(3e-3f).withWarmup(50).withWeightDecay(0.2f)
                .withBetas(0.8f, 0.95f).withClip(0.5f).withEvalInterval(25).withEvalBatches(4).withSeed(7).withThreads(2)
                .withAccumulate(3).withPatience(4);
        assertEquals(new TrainConfig(500, 32, 3e-3f, 50, 0.2f, 0.8f, 0.95f, 0.5f, 25, 4, 7L, 2, 3, 4), c);
        assertEquals(60, TrainConfig.reference().withSteps(60).warmup(), "the warm-up is capped at the steps");
        assertEquals("lr must be > 0, got -1.0", assertThrows(IllegalArgumentException.class, () -> c.withLr(-1f)).getMessage());
        assertEquals("warmup must be in [0, steps=500], got 600",
                assertThrows(IllegalArgumentException.class, () -> c.withWarmup(600)).getMessage());
        assertEquals("betas must be in [0, 1), got 0.9, 1.0", assertThrows(IllegalArgumentException.class, () -> c.withBetas(0.9f, 1f)).getMessage());
        assertNotEquals(c, c.withSeed(8));
    }
}
