package llmbook.train;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.autograd.GradCheck;
import llmbook.data.TokenBatch;
import llmbook.model.TestModels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DistillationTest {
    @Test
    void klByHandBothWays() {
        double[] p = {0.5, 0.5}, q = {0.9, 0.1};
        // ½ln(½/0.9) + ½ln(½/0.1) = 0.510826;  0.9 ln 1.8 + 0.1 ln 0.2 = 0.368064
        assertEquals(0.510826, Functional.klDivergence(p, q), 1e-6);
        assertEquals(0.368064, Functional.klDivergence(q, p), 1e-6);
        assertEquals(0, Functional.klDivergence(p, p));
        assertEquals(Double.POSITIVE_INFINITY, Functional.klDivergence(new double[] {0.5, 0.5}, new double[] {1, 0}));
        assertEquals(0, Functional.klDivergence(new double[] {1, 0}, new double[] {0.5, 0.5}) - Math.log(2), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Functional.klDivergence(new double[] {0.5, 0.6}, p));
        // the same numbers from logits, per row
        Tensor zp = Tensor.of(new float[][] {{0, 0}, {(float) Math.log(0.9), (float) Math.log(0.1)}});
        Tensor zq = Tensor.of(new float[][] {{(float) Math.log(0.9), (float) Math.log(0.1)}, {0, 0}});
        assertArrayEquals(new float[] {0.510826f, 0.368064f}, Functional.klDivergence(zp, zq).toArray(), 1e-6f);
        var e = assertThrows(IllegalArgumentException.class, () -> Functional.klDivergence(zp, Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void klGradientsReachBothArguments() {
        Tensor a = Tensor.normal(new Rng(1), 0f, 1f, 3, 5).requiresGrad(true), b = Tensor.normal(new Rng(2), 0f, 1f, 3, 5).requiresGrad(true);
        var rep = GradCheck.check(in -> Functional.klDivergence(in[0], in[1]), a, b);
        assertTrue(rep.ok(), rep.toString());
    }

    @Test
    void distillationByHand() {
        // teacher (2, 0), student (0, 0), target 0, T = 2, α = ½:
        // p_T = softmax(1, 0) = (σ(1), 1 − σ(1)); q_T = (½, ½); soft = T²·KL(p_T‖q_T); hard = ln 2
        Tensor s = Tensor.of(new float[][] {{0, 0}}), t = Tensor.of(new float[][] {{2, 0}});
        double p1 = 1 / (1 + Math.exp(-1)), kl = p1 * Math.log(2 * p1) + (1 - p1) * Math.log(2 * (1 - p1));
        assertEquals(0.110944, kl, 1e-6);
        assertEquals(0.5 * 4 * kl + 0.5 * Math.log(2), Distillation.loss(s, t, new int[] {0}, 2f, 0.5f).item(), 1e-6);
        assertEquals(Math.log(2), Distillation.loss(s, t, new int[] {0}, 2f, 0f).item(), 1e-6, "α = 0: the hard-label baseline");
        assertEquals(0f, Distillation.loss(s, t, new int[] {-1}, 2f, 1f).item(), "an unscored row is left out of the soft term too");
    }

    @Test
    void distillationGradientAndTheT2Scaling() {
        Tensor s = Tensor.normal(new Rng(1), 0f, 1f, 4, 6).requiresGrad(true);
        Tensor t = Tensor.normal(new Rng(2), 0f, 1f, 4, 6);
        int[] y = {0, 3, -1, 5};
        var rep = GradCheck.check(in -> Distillation.loss(in[0], t, y, 2f, 0.7f), s);
        assertTrue(rep.ok(), rep.toString());
        // soft targets only: with T² the gradient keeps its size as T grows (→ (z_s − z_t − mean)/V); without it, it would fall 4×
        double g4 = softGradNorm(s, t, 4f), g8 = softGradNorm(s, t, 8f);
        assertEquals(1.0, g8 / g4, 0.05, "T = 4: " + g4 + ", T = 8: " + g8);
    }

    static double softGradNorm(Tensor s, Tensor t, float temp) {
        Tensor x = Tensor.of(s.toArray(), s.shape()).requiresGrad(true);
        Distillation.loss(x, t, new int[] {0, 1, 2, 3}, temp, 1f).backward();
        double n = 0;
        for (float g : x.grad().toArray()) n += g * g;
        return Math.sqrt(n);
    }

    @Test
    void aStudentLearnsFromATeacherWithTheTrainer() {
        TransformerConfig big = TestModels.gpt(7, 8, 1, 2, 16, 0f), small = TestModels.gpt(7, 8, 1, 1, 8, 0f);
        Decoder teacher = new Decoder(big, new Rng(1)), student = new Decoder(small, new Rng(2));
        var loss = Distillation.of(student, teacher, 2f, 1f);
        int[] ids = new int[100];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 3) % 7;
        var windows = llmbook.data.TokenWindows.random(ids, 8);
        TrainConfig c = TrainConfig.reference().withSteps(30).withBatch(4).withLr(1e-2f).withWarmup(2).withEvalInterval(30).withEvalBatches(2).withThreads(1);
        TokenBatch b = windows.next(new Rng(9), 4);
        double before = loss.loss(b).item();
        new Trainer(student, c, windows, windows, loss).run();
        double after = loss.loss(b).item();
        assertTrue(after < 0.5 * before, "soft loss " + before + " → " + after);
        // per-token KL: a model against itself is 0 everywhere
        float[] kl = Distillation.perTokenKl(teacher, teacher, b.x(), 4, 8);
        assertEquals(32, kl.length);
        for (float v : kl) assertEquals(0f, v, 1e-6f);
        assertTrue(Distillation.perTokenKl(teacher, student, b.x(), 4, 8)[0] > 0);
    }
}
