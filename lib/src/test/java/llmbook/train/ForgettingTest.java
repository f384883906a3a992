package llmbook.train;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.autograd.GradCheck;
import llmbook.data.MixedBatches;
import llmbook.data.TokenBatch;
import llmbook.data.TokenWindows;
import llmbook.model.TestModels;
import llmbook.model.transformer.Decoder;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ForgettingTest {
    @Test
    void mixedBatchesCarryTheFractionOfOldRows() {
        int[] fresh = new int[500], old = new int[500];
        java.util.Arrays.fill(old, 1);                 // old-domain tokens are all 1, new ones all 0
        var mix = new MixedBatches(TokenWindows.random(fresh, 4), TokenWindows.random(old, 4), 0.25);
        Rng rng = new Rng(3);
        long oldRows = 0, rows = 0;
        for (int k = 0; k < 400; k++) {
            TokenBatch b = mix.next(rng, 8);
            assertEquals(8, b.B());
            for (int r = 0; r < 8; r++) { oldRows += b.x()[r * 4]; rows++; }
        }
        assertEquals(0.25, oldRows / (double) rows, 0.02);     // 3200 Bernoulli(¼) rows: σ ≈ 0.008
        var bad = new MixedBatches(TokenWindows.random(fresh, 4), TokenWindows.random(old, 5), 0.5);
        var e = assertThrows(IllegalArgumentException.class, () -> { for (int k = 0; k < 10; k++) bad.next(rng, 8); });
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e.getMessage());
    }

    /** A one-parameter-tensor module for hand-worked penalties. */
    static final class Vec extends Module {
        final Tensor w;
        Vec(float... v) { w = param("w", Tensor.of(v, v.length)); }
    }

    @Test
    void l2spByHandAndItsGradient() {
        Vec m = new Vec(1f, 2f);
        AnchorPenalty pen = AnchorPenalty.l2sp(m, 2f);
        assertEquals(0f, pen.get().item());
        m.w.data()[0] = 4f;                               // θ − θ₀ = (3, 0): λ/2·9 = 9
        assertEquals(9f, pen.get().item(), 1e-6f);
        var rep = GradCheck.check(in -> pen.get(), m.w);
        assertTrue(rep.ok(), rep.toString());
        m.eval();
        assertEquals(0f, pen.get().item(), "0 in evaluation mode: validation losses stay plain");
    }

    @Test
    void ewcWeighsByTheFisherAndHoldsImportantWeights() {
        // a linear model y = w·x on inputs that use only x₀: the old loss is sensitive to w₀ alone
        Linear lin = new Linear(2, 1, false, new Rng(1));
        llmbook.data.Batches<Tensor> old = (rng, n) -> Tensor.of(new float[] {1f, 0f}, 1, 2);
        LossFunction<Tensor> loss = x -> lin.forward(x).sub(3f).pow(2).mean();
        AnchorPenalty ewc = AnchorPenalty.ewc(lin, 10f, old, loss, 2, 1, new Rng(1));
        float[] f = ewc.weights().get("weight");
        float w0 = lin.weight.data()[0];
        assertEquals(Math.pow(2 * (w0 - 3), 2), f[0], 1e-4, "F₀ = (∂ℓ/∂w₀)² = (2(w₀ − 3))²");
        assertEquals(0f, f[1], "x₁ = 0: the old task does not care about w₁");
        lin.weight.data()[0] += 0.5f;
        lin.weight.data()[1] += 0.5f;
        assertEquals(0.5 * 10 * f[0] * 0.25, ewc.get().item(), 1e-4);
        var rep = GradCheck.check(in -> ewc.get(), lin.weight);
        assertTrue(rep.ok(), rep.toString());
        assertFalse(lin.weight.hasGrad() && lin.weight.grad().toArray()[1] != 0f);
    }

    @Test
    void penaltiesComposeWithTheTrainerAndHoldTheModelBack() {
        var cfg = TestModels.gpt(5, 8, 1, 1, 8, 0f);
        int[] ids = new int[200];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 2) % 5;
        TrainConfig c = TrainConfig.reference().withSteps(20).withBatch(4).withLr(1e-2f).withWarmup(1).withEvalInterval(20).withEvalBatches(1).withThreads(1);
        double[] drift = new double[2];
        for (int k = 0; k < 2; k++) {
            Decoder d = new Decoder(cfg, new Rng(1));
            float[] w0 = d.namedParameters().get("h.0.mlp.w1.weight").toArray();
            var windows = TokenWindows.random(ids, 8);
            LossFunction<TokenBatch> lm = b -> d.loss(b.x(), b.y(), b.B(), b.T());
            var trainer = new Trainer(d, c, windows, windows, k == 0 ? lm : lm.plus(AnchorPenalty.l2sp(d, 100f)));
            trainer.run();
            float[] w1 = d.namedParameters().get("h.0.mlp.w1.weight").toArray();
            for (int i = 0; i < w0.length; i++) drift[k] += (w1[i] - w0[i]) * (w1[i] - w0[i]);
        }
        assertTrue(drift[1] < 0.5 * drift[0], "‖Δθ‖² without " + drift[0] + ", with L2-SP " + drift[1]);
    }
}
