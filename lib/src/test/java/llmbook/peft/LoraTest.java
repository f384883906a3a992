package llmbook.peft;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbook.autograd.GradCheck;
import llmbook.model.TestModels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Linear;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {
    @TempDir Path dir;

    static final TransformerConfig CFG = TestModels.gpt(11, 8, 2, 2, 16, 0f);
    static final int[] IDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 3, 5, 7, 9};

    static float[] logits(Decoder d) { return d.logits(IDS, 2, 8).toArray(); }

    /** Random B so ΔW ≠ 0. */
    static void randomiseB(Decoder d, long seed) {
        Rng r = new Rng(seed);
        for (var e : Lora.adapters(d).entrySet())
            if (e.getKey().endsWith("lora_B")) { float[] b = e.getValue().data(); for (int i = 0; i < b.length; i++) b[i] = 0.1f * r.nextGaussian(); }
    }

    @Test
    void theFirstForwardIsTheBaseModelBitForBit() {
        Decoder d = new Decoder(CFG, new Rng(3));
        float[] base = logits(d);
        int n = Lora.apply(d, "h.*.attn.q", 4, 8f, 0.1f, new Rng(9));
        assertEquals(2, n);
        d.train();                                  // LoRA dropout on: it acts on the branch only, and B = 0
        assertArrayEquals(base, logits(d), "B = 0: ΔW = 0, so the logits are the base model's exactly");
        assertTrue(d.get("h.0.attn.q") instanceof LoraLinear);
        assertTrue(d.namedParameters().containsKey("h.0.attn.q.weight"), "the base weight keeps its path");
        // only the adapters train: r·(in + out) = 4·(16 + 16) per layer
        assertEquals(2 * 4 * (16 + 16), d.numTrainable());
        assertFalse(d.namedParameters().get("h.0.attn.q.weight").requiresGrad());
    }

    @Test
    void allLinearsAndARefusedPattern() {
        Decoder d = new Decoder(CFG, new Rng(3));
        var paths = Lora.linearPaths(d);
        assertEquals(12, paths.size(), paths.toString());       // q, k, v, o, w1, w2 in 2 blocks
        int n = 0;
        for (String p : paths) n += Lora.apply(d, p, 2, 4f, new Rng(1));
        assertEquals(12, n);
        var e = assertThrows(IllegalArgumentException.class, () -> Lora.apply(new Decoder(CFG, new Rng(3)), "h.*.ln_1", 2, 4f, new Rng(1)));
        assertTrue(e.getMessage().contains("not a Linear"), e.getMessage());
        var r = assertThrows(IllegalArgumentException.class, () -> new LoraLinear(new Linear(4, 3, new Rng(1)), 5, 1f, new Rng(1)));
        assertTrue(r.getMessage().contains("[1, min(in, out) = 3]"), r.getMessage());
    }

    @Test
    void mergedLogitsEqualUnmergedAndUnmergeRestoresW() {
        Decoder d = new Decoder(CFG, new Rng(3));
        Lora.apply(d, "h.*.attn.q", 4, 8f, new Rng(9));
        Lora.apply(d, "h.*.mlp.w1", 4, 8f, new Rng(10));
        randomiseB(d, 5);
        d.eval();
        float[] w0 = d.namedParameters().get("h.1.mlp.w1.weight").toArray();
        float[] unmerged = logits(d);
        assertEquals(4, Lora.merge(d));
        float[] merged = logits(d);
        for (int i = 0; i < merged.length; i++) assertEquals(unmerged[i], merged[i], 1e-5f, "logit " + i);
        assertNotEquals(w0[0], d.namedParameters().get("h.1.mlp.w1.weight").data()[0], "merge changed W");
        Lora.unmerge(d);
        float[] w1 = d.namedParameters().get("h.1.mlp.w1.weight").toArray();
        for (int i = 0; i < w0.length; i++) assertEquals(w0[i], w1[i], 1e-6f, "W after unmerge, element " + i);
        assertThrows(IllegalStateException.class, () -> ((LoraLinear) d.get("h.0.mlp.w1")).unmerge());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        LoraLinear l = new LoraLinear(new Linear(5, 4, new Rng(1)), 2, 3f, new Rng(2));
        float[] b = l.loraB.data();
        for (int i = 0; i < b.length; i++) b[i] = 0.3f * (i - 3);
        Tensor x = Tensor.normal(new Rng(4), 0f, 1f, 3, 5).requiresGrad(true);
        var rep = GradCheck.check(in -> l.forward(in[0]), x, l.loraA, l.loraB);
        assertTrue(rep.ok(), rep.toString());
        // and the frozen weight got no gradient
        assertFalse(l.weight.hasGrad());
    }

    @Test
    void dropoutActsOnTheBranchOnly() {
        LoraLinear l = new LoraLinear(new Linear(6, 6, new Rng(1)), 2, 2f, 0.5f, new Rng(2));
        Tensor x = Tensor.normal(new Rng(4), 0f, 1f, 4, 6);
        float[] base = new Linear(6, 6, new Rng(1)).forward(x).toArray();
        l.train();
        assertArrayEquals(base, l.forward(x).toArray(), "B = 0: dropout on the branch cannot change y");
        java.util.Arrays.fill(l.loraB.data(), 0.5f);
        float[] a = l.forward(x).toArray(), c = l.forward(x).toArray();
        assertFalse(java.util.Arrays.equals(a, c), "two training forwards draw two dropout masks");
        l.eval();
        assertArrayEquals(l.forward(x).toArray(), l.forward(x).toArray());
    }

    @Test
    void attachWrapsAFreshBaseAsTheAdapterFileSaysAndGivesTheAdaptedModel() throws Exception {
        for (boolean quantized : new boolean[] {false, true}) {
            Decoder d = new Decoder(CFG, new Rng(3));
            if (quantized) Lora.applyQuantized(d, "h.*.mlp.*", 2, 4f, 0f, new Rng(9));
            else Lora.apply(d, "h.1.attn.v", 3, 6f, new Rng(9));
            randomiseB(d, 5);
            Path f = dir.resolve("attach-" + quantized + ".safetensors");
            Lora.save(f, d, Map.of("method", quantized ? "qlora:2" : "lora:3"));
            Decoder e = new Decoder(CFG, new Rng(3));               // the base as saved by train, never wrapped
            Lora.attach(e, f);
            assertEquals(Lora.layers(d).keySet(), Lora.layers(e).keySet());
            d.eval();
            e.eval();
            assertArrayEquals(logits(d), logits(e), "quantized " + quantized);
        }
        Decoder small = new Decoder(TestModels.gpt(11, 8, 1, 2, 16, 0f), new Rng(3));   // one layer: h.1 does not exist
        var ex = assertThrows(java.io.IOException.class, () -> Lora.attach(small, dir.resolve("attach-false.safetensors")));
        assertTrue(ex.getMessage().contains("h.1.attn.v"), ex.getMessage());
    }

    @Test
    void adaptersSaveAloneInAFewKilobytesAndLoadBack() throws Exception {
        Decoder d = new Decoder(CFG, new Rng(3));
        Lora.apply(d, "h.*.attn.q", 4, 8f, new Rng(9));
        randomiseB(d, 5);
        Path f = dir.resolve("a.safetensors");
        Lora.save(f, d, Map.of("corpus", "test"));
        long bytes = Files.size(f);
        long payload = 4L * 2 * 4 * (16 + 16);
        assertTrue(bytes >= payload && bytes < payload + 1024, bytes + " bytes for " + payload + " bytes of adapters");
        Decoder e = new Decoder(CFG, new Rng(3));                // same base, fresh adapters (B = 0)
        Lora.apply(e, "h.*.attn.q", 4, 8f, new Rng(77));
        var meta = Lora.load(f, e);
        assertEquals("test", meta.get("corpus"));
        assertEquals("4", meta.get(Lora.RANK));
        d.eval();
        e.eval();
        assertArrayEquals(logits(d), logits(e));
        Decoder wrongRank = new Decoder(CFG, new Rng(3));
        Lora.apply(wrongRank, "h.*.attn.q", 2, 8f, new Rng(9));
        var ex = assertThrows(java.io.IOException.class, () -> Lora.load(f, wrongRank));
        assertTrue(ex.getMessage().contains("shape"), ex.getMessage());
        Decoder wrongAlpha = new Decoder(CFG, new Rng(3));
        Lora.apply(wrongAlpha, "h.*.attn.q", 4, 16f, new Rng(9));
        ex = assertThrows(java.io.IOException.class, () -> Lora.load(f, wrongAlpha));
        assertTrue(ex.getMessage().contains("α"), ex.getMessage());
    }

    @Test
    void theTrainerMovesOnlyTheAdapters() {
        Decoder d = new Decoder(CFG, new Rng(3));
        Lora.apply(d, "h.*.attn.q", 4, 8f, new Rng(9));
        float[] w = d.namedParameters().get("h.0.attn.q.weight").toArray();
        float[] wte = d.namedParameters().get("wte.weight").toArray();
        int[] ids = new int[200];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 7) % 11;
        TrainConfig c = TrainConfig.reference().withSteps(5).withBatch(2).withLr(1e-2f).withWarmup(1).withEvalInterval(5).withEvalBatches(1).withThreads(1);
        var t = new Trainer(d, c, ids, ids);
        t.run();
        assertArrayEquals(w, d.namedParameters().get("h.0.attn.q.weight").toArray(), "frozen W unchanged");
        assertArrayEquals(wte, d.namedParameters().get("wte.weight").toArray(), "frozen embeddings unchanged");
        float[] b = d.namedParameters().get("h.0.attn.q.lora_B").toArray();
        assertTrue(maxAbs(b) > 0, "B moved");
    }

    @Test
    void mergeAndUnwrapGivesAPlainModelWithTheSameLogits() throws Exception {
        Decoder d = new Decoder(CFG, new Rng(3));
        Lora.apply(d, "h.*.attn.q", 4, 8f, new Rng(9));
        Lora.applyQuantized(d, "h.*.mlp.w1", 4, 8f, 0f, new Rng(10));
        randomiseB(d, 5);
        d.eval();
        float[] before = logits(d);
        assertTrue(Peft.weightBytes(d) < 4L * new Decoder(CFG, new Rng(3)).numParameters(), "the 4-bit MLP weights take less room");
        assertEquals(4, Lora.mergeAndUnwrap(d));
        assertTrue(d.get("h.0.attn.q") instanceof Linear && d.get("h.1.mlp.w1") instanceof Linear);
        float[] after = logits(d);
        for (int i = 0; i < after.length; i++) assertEquals(before[i], after[i], 1e-4f, "logit " + i);
        // the result loads into a plain decoder
        Path f = dir.resolve("merged.safetensors");
        llmbook.io.Weights.save(f, d, Map.of());
        llmbook.io.Weights.load(f, new Decoder(CFG, new Rng(0)));
    }

    static float maxAbs(float[] a) { float m = 0; for (float v : a) m = Math.max(m, Math.abs(v)); return m; }
}
