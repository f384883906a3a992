package llmbook.sample;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

class SpeculativeTest {
    static Decoder model(int V, int layers, int width, long seed) {
        return new Decoder(TransformerConfig.gpt2(V).toBuilder().context(40).layers(layers).heads(2).width(width).hidden(2 * width).dropout(0).build(), new Rng(seed));
    }

    @Test
    void greedyOutputIsTheTargetsOwn() {
        Decoder target = model(13, 2, 32, 1), draft = model(13, 1, 16, 2);
        int[] prompt = {3, 1, 4, 1, 5};
        int[] want = new Generator(target).greedy(prompt, 20);
        for (int k = 1; k <= 5; k++) {
            Speculative s = new Speculative(target, draft, k);
            assertArrayEquals(want, s.generate(prompt, 20, Sampler.greedy(), new Rng(0)), "k=" + k);
            assertTrue(s.targetPasses() <= 21, "k=" + k + ": " + s.targetPasses() + " target passes");
        }
        // the target as its own draft: everything accepted, k+1 tokens per target pass
        Speculative self = new Speculative(target, target, 4);
        assertArrayEquals(want, self.generate(prompt, 20, Sampler.greedy(), new Rng(0)));
        assertEquals(1.0, self.acceptanceRate(), 1e-12);
        assertEquals(1 + 4, self.targetPasses(), "prefill + ceil(20 / 5) verification passes");
    }

    /** Pairs of sampled tokens follow the target's joint distribution p(x1) p(x2 | x1), not the draft's: a χ² test. */
    @Test
    void sampledTokensFollowTheTarget() {
        int V = 5;
        Decoder target = scrambled(model(V, 1, 16, 11), 11), draft = scrambled(model(V, 1, 16, 12), 12);
        int[] prompt = {2, 0, 3};
        Sampler sampler = Sampler.sampling(new Rng(0), new Temperature(0.7f));
        double[] joint = new double[V * V], draftJoint = new double[V * V];
        try (var g = Tensor.noGrad()) {
            for (int pass = 0; pass < 2; pass++) {
                Decoder m = pass == 0 ? target : draft;
                double[] p1 = sampler.distribution(lastRow(m, prompt, V), prompt);
                for (int a = 0; a < V; a++) {
                    int[] ext = Arrays.copyOf(prompt, 4);
                    ext[3] = a;
                    double[] p2 = sampler.distribution(lastRow(m, ext, V), ext);
                    for (int b = 0; b < V; b++) (pass == 0 ? joint : draftJoint)[a * V + b] = p1[a] * p2[b];
                }
            }
        }
        double tv = 0;
        for (int i = 0; i < V * V; i++) tv += Math.abs(joint[i] - draftJoint[i]) / 2;
        assertTrue(tv > 0.15, "the draft must differ from the target for the test to mean anything: TV " + tv);
        int N = 3000;
        long[] counts = new long[V * V];
        Speculative s = new Speculative(target, draft, 2);
        Rng rng = new Rng(5);
        for (int i = 0; i < N; i++) {
            int[] out = s.generate(prompt, 2, sampler, rng);
            counts[out[3] * V + out[4]]++;
        }
        double chi2 = 0;
        int cells = 0;
        double pooledE = 0, pooledO = 0;
        for (int i = 0; i < V * V; i++) {
            double e = N * joint[i];
            if (e < 5) { pooledE += e; pooledO += counts[i]; continue; }
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            cells++;
        }
        if (pooledE > 0) { chi2 += (pooledO - pooledE) * (pooledO - pooledE) / Math.max(pooledE, 1e-9); cells++; }
        // 99.9 % point of χ² with df = cells − 1 ≤ 24 is below 52
        assertTrue(chi2 < 52, "χ² = " + chi2 + " over " + cells + " cells; counts " + Arrays.toString(counts));
        assertTrue(s.acceptanceRate() > 0 && s.acceptanceRate() < 1, "acceptance " + s.acceptanceRate());
    }

    @Test
    void refusesWhatItCannotDo() {
        Decoder a = model(13, 1, 16, 1), b = model(11, 1, 16, 2);
        assertThrows(IllegalArgumentException.class, () -> new Speculative(a, b, 2));
        assertThrows(IllegalArgumentException.class, () -> new Speculative(a, a, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> new Speculative(a, a, 4).generate(new int[] {1}, 40, Sampler.greedy(), new Rng(0)));
        assertTrue(e.getMessage().contains("context"), e.getMessage());
    }

    /** Weights drawn uniformly in ±0.5: a random model whose next-token distributions are far from uniform. */
    private static Decoder scrambled(Decoder m, long seed) {
        Rng r = new Rng(seed);
        for (Tensor t : m.parameters()) { float[] d = t.data(); for (int i = 0; i < d.length; i++) d[i] = r.uniform(-0.5f, 0.5f); }
        return m;
    }

    private static float[] lastRow(Decoder m, int[] ids, int V) {
        float[] all = m.logits(ids, 1, ids.length).toArray();
        return Arrays.copyOfRange(all, all.length - V, all.length);
    }
}
