package llmbook.moe;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbook.autograd.GradCheck;
import llmbook.model.Checkpoint;
import llmbook.model.TestModels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixtureOfExpertsTest {
    @TempDir Path dir;

    /** A layer whose router is sharp enough that an h = 1e-2 finite difference never flips a top-k choice. */
    static MixtureOfExperts layer(MoeConfig c, long seed) {
        MixtureOfExperts m = new MixtureOfExperts(c, new Rng(seed));
        float[] w = m.namedParameters().get("router.weight").data();
        Rng r = new Rng(seed + 1);
        for (int i = 0; i < w.length; i++) w[i] = 1.5f * r.nextGaussian();
        return m;
    }

    static Tensor input(int n, int c, long seed) { return Tensor.randn(new Rng(seed), n, c).requiresGrad(true); }

    /** The parameters of m plus x: what the gradient check perturbs. */
    static Tensor[] leaves(MixtureOfExperts m, Tensor x) {
        List<Tensor> l = new ArrayList<>(m.parameters());
        l.add(x);
        return l.toArray(Tensor[]::new);
    }

    @Test
    void topKPicksTheLargestAndRenormalises() {
        float[] p = {0.1f, 0.5f, 0.3f, 0.1f, 0.4f, 0.1f, 0.1f, 0.4f};
        assertArrayEquals(new int[] {1, 2, 0, 3}, Gating.topK(p, 2, 4, 2));       // tie 0.4/0.4: lower index first
        float[] g = Gating.gates(p, 2, 4, Gating.topK(p, 2, 4, 2), 2, true);
        assertArrayEquals(new float[] {0.625f, 0.375f, 0.5f, 0.5f}, g, 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.3f}, java.util.Arrays.copyOf(Gating.gates(p, 2, 4, Gating.topK(p, 2, 4, 2), 2, false), 2), 1e-6f);
        assertEquals(4, Gating.capacity(1.25f, 6, 2, 4));                       // ceil(1.25·12/4) = ceil(3.75)
        assertEquals(12, Gating.capacity(0f, 6, 2, 4));
    }

    @Test
    void balanceLossIsAlphaAtPerfectBalanceAndAlphaTimesEAtCollapse() {
        int e = 4;
        float[] uniform = new float[8 * e];
        java.util.Arrays.fill(uniform, 0.25f);
        int[] even = {0, 1, 2, 3, 0, 1, 2, 3};
        assertEquals(0.01f, MoeLosses.balance(Tensor.of(uniform, 8, e), MoeLosses.fractions(even, e), 0.01f).item(), 1e-7f);
        float[] oneHot = new float[8 * e];
        for (int t = 0; t < 8; t++) oneHot[t * e] = 1f;
        assertEquals(0.04f, MoeLosses.balance(Tensor.of(oneHot, 8, e), MoeLosses.fractions(new int[8], e), 0.01f).item(), 1e-7f);
    }

    @Test
    void zLossMatchesItsFormula() {
        float[] l = {1f, 2f, 3f, -1f, 0f, 4f};
        double a = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), b = Math.log(Math.exp(-1) + 1 + Math.exp(4));
        assertEquals(0.5 * (a * a + b * b) * 0.1, MoeLosses.zLoss(Tensor.of(l, 2, 3), 0.1f).item(), 1e-5);
    }

    @Test
    void forwardIsTheGatedSumOfTheChosenExperts() {
        MoeConfig c = MoeConfig.of(6, 10, 4, 2);
        MixtureOfExperts m = layer(c, 5);
        Tensor x = input(5, 6, 7);
        float[] out = m.forward(x).toArray();
        float[] p = ((llmbook.nn.Layer) m.get("router")).forward(x).softmax().toArray();
        int[] ch = Gating.topK(p, 5, 4, 2);
        assertArrayEquals(ch, m.lastChoice());
        float[] g = Gating.gates(p, 5, 4, ch, 2, true);
        for (int t = 0; t < 5; t++) {
            Tensor xt = x.slice(0, t, t + 1);
            float[] want = new float[6];
            for (int j = 0; j < 2; j++) {
                float[] y = m.expert(ch[t * 2 + j]).forward(xt).toArray();
                for (int i = 0; i < 6; i++) want[i] += g[t * 2 + j] * y[i];
            }
            for (int i = 0; i < 6; i++) assertEquals(want[i], out[t * 6 + i], 1e-5f, "token " + t + " dim " + i);
        }
    }

    @Test
    void gradientsOfTopTwoIncludingTheRouter() {
        MixtureOfExperts m = layer(MoeConfig.of(6, 8, 4, 2), 11);
        Tensor x = input(7, 6, 12);
        var r = GradCheck.check(in -> m.forward(x), leaves(m, x));
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void gradientsOfSwitchWithCapacityNoiseOffAndASharedExpert() {
        MixtureOfExperts m = layer(MoeConfig.of(5, 7, 3, 1).withCapacityFactor(1f).withSharedExpert(true), 21);
        Tensor x = input(9, 5, 22);
        var r = GradCheck.check(in -> m.forward(x), leaves(m, x));
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void gradientsOfTheAuxiliaryLossesReachTheRouter() {
        Tensor x = input(8, 6, 32).detach();
        Tensor w = Tensor.randn(new Rng(33), 4, 6).requiresGrad(true);
        var r2 = GradCheck.check(in -> {
            Tensor lg = x.matmul(in[0].t());                                     // router logits (N, E)
            Tensor p = lg.softmax();
            int[] ch = Gating.topK(p.toArray(), 8, 4, 2);
            return MoeLosses.balance(p, MoeLosses.fractions(ch, 4), 0.5f).add(MoeLosses.zLoss(lg, 0.1f));
        }, w);
        assertTrue(r2.ok(), r2.toString());
    }

    @Test
    void capacityDropsTheOverflowAndCountsIt() {
        MixtureOfExperts m = layer(MoeConfig.of(4, 6, 2, 1).withCapacityFactor(0.5f), 41);     // capacity ceil(0.5·10/2) = 3
        Tensor x = input(10, 4, 42);
        float[] out = m.forward(x).toArray();
        LoadStats s = m.stats();
        long computed = java.util.Arrays.stream(s.assigned()).sum();
        assertTrue(computed <= 6, s.toString());
        assertEquals(10 - computed, s.dropped());
        int zeros = 0;
        for (int t = 0; t < 10; t++) {
            boolean allZero = true;
            for (int i = 0; i < 4; i++) allZero &= out[t * 4 + i] == 0f;
            if (allZero) zeros++;
        }
        assertEquals(s.dropped(), zeros, "a dropped token's MoE output is zero: the residual carries it");
        assertEquals(10, s.tokens());
    }

    @Test
    void noisyRoutingOnlyWhileTraining() {
        MixtureOfExperts m = layer(MoeConfig.of(4, 6, 4, 1).withNoisy(true), 51);
        Tensor x = input(6, 4, 52);
        m.train(false);
        assertArrayEquals(m.forward(x).toArray(), m.forward(x).toArray());
        m.train(true);
        float[] n = ((llmbook.nn.Layer) m.get("noise")).forward(x).toArray();
        assertEquals(24, n.length);
        assertEquals(MoeConfig.of(4, 6, 4, 1).withNoisy(true).totalParameters(), m.numParameters());
    }

    @Test
    void aMoeDecoderCountsItsParametersAddsItsLossWhileTrainingAndSaves() throws Exception {
        TransformerConfig dense = TestModels.gpt(11, 8, 2, 2, 16, 0f);
        TransformerConfig moe = dense.withMoe(4, 2);
        Decoder d = new Decoder(moe, new Rng(3));
        assertEquals(moe.parameterCount(), d.numParameters());
        assertEquals(dense.parameterCount() + 2L * (3 * dense.ffnParameters() + 16 * 4), moe.parameterCount());
        assertTrue(d.get("h.1.mlp") instanceof MixtureOfExperts);
        assertFalse(dense.toJson().containsKey("experts"), "dense configs keep their old JSON");
        assertEquals(moe, TransformerConfig.fromJson(moe.toJson()));
        assertEquals(dense, TransformerConfig.fromJson(dense.toJson()));

        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 3, 5, 7, 9}, y = new int[16];
        for (int i = 0; i < 16; i++) y[i] = (ids[i] + 1) % 11;
        d.train(false);
        float eval = d.loss(ids, y, 2, 8).item();
        d.train(true);
        float train = d.loss(ids, y, 2, 8).item();
        assertTrue(train > eval + 0.01f, "training loss " + train + " must include ~2·α of balancing over eval " + eval);
        assertTrue(train < eval + 0.1f, train + " vs " + eval);
        assertNull(((MixtureOfExperts) d.get("h.0.mlp")).takeAuxiliaryLoss(), "taken by the loss");

        Checkpoint.save(dir, d, CharTokenizer.fit("abcdefghij"), Map.of());
        Decoder back = Checkpoint.load(dir).model();
        back.train(false);
        d.train(false);
        assertArrayEquals(d.logits(ids, 2, 8).toArray(), back.logits(ids, 2, 8).toArray(), 0f);
    }

    @Test
    void replacingTheMlpByPathWorks() {
        Decoder d = new Decoder(TestModels.gpt(11, 8, 2, 2, 16, 0f), new Rng(3));
        int n = d.replace("h.*.mlp", old -> new MixtureOfExperts(MoeConfig.of(16, 64, 8, 2), new Rng(4)));
        assertEquals(2, n);
        d.logits(new int[] {1, 2, 3}, 1, 3);
        assertEquals(3 * 2 * 2, java.util.Arrays.stream(MixtureOfExperts.stats(d).routed()).sum());   // 3 tokens × k=2 × 2 layers
    }

    @Test
    void badConfigsAreRefusedWithTheirValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> MoeConfig.of(8, 8, 4, 5));
        assertTrue(e.getMessage().contains("[1, 4]"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.gpt2(11).withMoe(4, 0));
        assertTrue(f.getMessage().contains("topK=0"), f.getMessage());
    }
}
