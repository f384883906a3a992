package llmbook.peft;

import static org.junit.jupiter.api.Assertions.*;

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

class BottleneckAdapterTest {
    @TempDir Path dir;

    static final TransformerConfig CFG = LoraTest.CFG;   // vocab 11, context 8, 2 layers, width 16

    static float[] logits(Decoder d) { return LoraTest.logits(d); }

    /** Random up-projections so the adapters are not the identity. */
    static void randomiseUp(Decoder d, long seed) {
        Rng r = new Rng(seed);
        for (var e : BottleneckAdapter.adapters(d).entrySet())
            if (e.getKey().contains("adapter_up.")) { float[] b = e.getValue().data(); for (int i = 0; i < b.length; i++) b[i] = 0.2f * r.nextGaussian(); }
    }

    @Test
    void startsAsTheIdentityAndOnlyTheAdaptersTrain() {
        Decoder d = new Decoder(CFG, new Rng(3));
        float[] base = logits(d);
        assertEquals(2, BottleneckAdapter.apply(d, "h.*.mlp", 16, 3, new Rng(9)));
        assertEquals(2, BottleneckAdapter.apply(d, "h.*.attn.o", 16, 3, new Rng(9)));
        assertArrayEquals(base, logits(d), "W_up = 0: the first forward is the base model's, bit for bit");
        assertEquals(4 * (2 * 3 * 16 + 3 + 16), d.numTrainable());
        assertEquals(d.numTrainable(), BottleneckAdapter.layers(d).values().stream().mapToLong(BottleneckAdapter::adapterParameters).sum());
        assertTrue(d.namedParameters().containsKey("h.0.mlp.base.w1.weight"), d.namedParameters().keySet().toString());
        assertFalse(d.namedParameters().get("h.0.mlp.base.w1.weight").requiresGrad());
        assertTrue(d.namedParameters().get("h.1.attn.o.adapter_down.weight").requiresGrad());

        int[] text = new int[200];
        for (int i = 0; i < text.length; i++) text[i] = (i * 5) % 11;
        float[] w = d.namedParameters().get("h.0.mlp.base.w1.weight").toArray();
        float[] up0 = d.namedParameters().get("h.0.mlp.adapter_up.weight").toArray();
        TrainConfig c = TrainConfig.reference().withSteps(6).withBatch(2).withLr(1e-2f).withWarmup(1).withEvalInterval(6).withEvalBatches(1).withThreads(1);
        new Trainer(d, c, text, text).run();
        assertArrayEquals(w, d.namedParameters().get("h.0.mlp.base.w1.weight").toArray(), "the base is frozen");
        assertFalse(java.util.Arrays.equals(up0, d.namedParameters().get("h.0.mlp.adapter_up.weight").toArray()), "the adapter moved");
        assertFalse(java.util.Arrays.equals(base, logits(d)));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng r = new Rng(4);
        BottleneckAdapter a = new BottleneckAdapter(new Linear(5, 6, r), 6, 3, r);
        for (var p : a.namedParameters().entrySet()) {       // non-zero W_up, so every path carries gradient
            float[] v = p.getValue().data();
            for (int i = 0; i < v.length; i++) v[i] = 0.5f * r.nextGaussian();
        }
        Tensor x = Tensor.randn(r, 2, 4, 5).requiresGrad(true);
        var ps = a.namedParameters();
        var rep = GradCheck.check(in -> a.forward(in[0]), x, ps.get("adapter_down.weight"), ps.get("adapter_down.bias"),
                ps.get("adapter_up.weight"), ps.get("adapter_up.bias"), ps.get("base.weight"));
        assertTrue(rep.ok(), rep.toString());
    }

    @Test
    void saveAndAttachGiveTheAdaptedModelOnAFreshBase() throws Exception {
        Decoder d = new Decoder(CFG, new Rng(3));
        BottleneckAdapter.apply(d, "h.*.mlp", 16, 4, new Rng(9));
        BottleneckAdapter.apply(d, "h.1.attn.o", 16, 4, new Rng(9));
        randomiseUp(d, 5);
        Path f = dir.resolve("adapter.safetensors");
        BottleneckAdapter.save(f, d, Map.of("method", "adapter:4"));
        Decoder e = new Decoder(CFG, new Rng(3));
        var meta = Peft.attach(e, f);                           // dispatches on the file's tensor names
        assertEquals("4", meta.get(BottleneckAdapter.BOTTLENECK));
        assertEquals(BottleneckAdapter.layers(d).keySet(), BottleneckAdapter.layers(e).keySet());
        d.eval();
        e.eval();
        float[] want = logits(d);
        assertArrayEquals(want, logits(e));
        assertFalse(java.util.Arrays.equals(want, logits(new Decoder(CFG, new Rng(3)))), "the adapters change the logits");

        Decoder small = new Decoder(TestModels.gpt(11, 8, 1, 2, 16, 0f), new Rng(3));   // one layer: h.1 does not exist
        var ex = assertThrows(java.io.IOException.class, () -> Peft.attach(small, f));
        assertTrue(ex.getMessage().contains("h.1."), ex.getMessage());
        Path notAdapter = dir.resolve("model.safetensors");
        llmbook.io.Weights.save(notAdapter, new Decoder(CFG, new Rng(3)), Map.of());
        ex = assertThrows(java.io.IOException.class, () -> Peft.attach(new Decoder(CFG, new Rng(3)), notAdapter));
        assertTrue(ex.getMessage().contains("neither a LoRA"), ex.getMessage());
    }

    @Test
    void refusesAModuleWithoutOneInput() {
        Decoder d = new Decoder(CFG, new Rng(3));
        var ex = assertThrows(IllegalArgumentException.class, () -> BottleneckAdapter.apply(d, "h.*.attn", 16, 2, new Rng(1)));
        assertTrue(ex.getMessage().contains("one-input layer"), ex.getMessage());
    }
}
