package llmbook.attention;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.longctx.ContextExtension;
import llmbook.model.DecodeCache;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ALiBi (chapter 13): the slopes and biases of the paper, gradients through the biased attention, cache = no cache. */
class AlibiTest {
    static TransformerConfig cfg(Positions p) {
        return TransformerConfig.gpt2(11).toBuilder().layers(2).heads(4).width(16).hidden(32).context(12).positions(p).build();
    }

    @Test void slopesAreTheGeometricSequenceOfThePaper() {
        float[] m = Alibi.slopes(8);
        for (int h = 0; h < 8; h++) assertEquals(1.0 / (1 << (h + 1)), m[h], 1e-7);   // 1/2, 1/4, … 1/256
        assertEquals(Math.pow(2, -2), Alibi.slopes(4)[0], 1e-7);
        Tensor b = Alibi.bias(2, 2, 5);                                                 // queries at positions 3, 4
        assertArrayEquals(new int[] {1, 2, 2, 5}, b.shape());
        assertEquals(-3 / 256f, b.get(0, 1, 0, 0), 1e-7f);                              // H = 2: head 1 has m = 2^−8; |3 − 0|
        assertEquals(0f, b.get(0, 0, 1, 4), 0f);                                        // the diagonal costs nothing
        assertEquals(-2 / 16f, b.get(0, 0, 1, 2), 1e-7f);                               // head 0: m = 2^−4; |4 − 2|
        assertThrows(IllegalArgumentException.class, () -> Alibi.bias(2, 3, 2));
    }

    @Test void biasedAttentionGradientChecks() {
        Tensor bias = Alibi.bias(2, 3, 3);
        GradCheck.Report r = GradCheck.check(x -> ScaledDotProductAttention.attend(x[0], x[1], x[2], Mask.CAUSAL, Float.NaN, null, bias),
                Tensor.randn(new Rng(1), 2, 2, 3, 4).requiresGrad(true), Tensor.randn(new Rng(2), 2, 1, 3, 4).requiresGrad(true),
                Tensor.randn(new Rng(3), 2, 1, 3, 2).requiresGrad(true));
        assertTrue(r.ok(), r.toString());
        var gqa = new GroupedQueryAttention(new AttentionConfig(8, 2, 1, true, false, Rope.Scaling.NONE, true), new Rng(4));
        List<Tensor> in = new ArrayList<>(List.of(Tensor.randn(new Rng(5), 2, 4, 8).requiresGrad(true)));
        in.addAll(gqa.parameters());
        r = GradCheck.check(t -> gqa.forward(t[0], Mask.CAUSAL), in.toArray(new Tensor[0]));
        assertTrue(r.ok(), "GQA with ALiBi: " + r);
        var e = assertThrows(IllegalArgumentException.class, () -> ScaledDotProductAttention.attend(
                Tensor.zeros(1, 2, 3, 4), Tensor.zeros(1, 2, 3, 4), Tensor.zeros(1, 2, 3, 4), Mask.CAUSAL, Float.NaN, null, Alibi.bias(2, 3, 4)));
        assertTrue(e.getMessage().contains("(1, 2, 3, 4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AttentionConfig(8, 2, 2, true, true, Rope.Scaling.NONE, true));
        assertThrows(IllegalArgumentException.class, () -> cfg(Positions.ALIBI).toBuilder().mla(8, 4).build());
    }

    @Test void alibiChangesTheModelAndTheCacheGivesTheSameLogits() {
        Decoder alibi = new Decoder(cfg(Positions.ALIBI), new Rng(7)), none = new Decoder(cfg(Positions.NONE), new Rng(7));
        int[] ids = new int[2 * 9];
        Rng rng = new Rng(8);
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(11);
        try (var ng = Tensor.noGrad()) {
            float[] full = alibi.logits(ids, 2, 9).toArray(), plain = none.logits(ids, 2, 9).toArray();
            double diff = 0;
            for (int i = 0; i < full.length; i++) diff = Math.max(diff, Math.abs(full[i] - plain[i]));
            assertTrue(diff > 1e-3, "the same weights without the bias must give other logits, max diff " + diff);
            DecodeCache cache = alibi.newCache(2);
            int[] first = new int[2 * 4];
            for (int b = 0; b < 2; b++) System.arraycopy(ids, b * 9, first, b * 4, 4);
            float[] a = alibi.logits(first, 2, 4, cache).toArray();                    // a prompt of 4, then 5 tokens one at a time
            int v = 11;
            for (int b = 0; b < 2; b++)
                for (int t = 0; t < 4; t++)
                    for (int j = 0; j < v; j++) assertEquals(full[(b * 9 + t) * v + j], a[(b * 4 + t) * v + j], 1e-5f);
            for (int t = 4; t < 9; t++) {
                float[] s = alibi.logits(new int[] {ids[t], ids[9 + t]}, 2, 1, cache).toArray();
                for (int b = 0; b < 2; b++)
                    for (int j = 0; j < v; j++) assertEquals(full[(b * 9 + t) * v + j], s[b * v + j], 1e-5f, "position " + t);
            }
        }
    }

    @Test void alibiAndNoPositionModelsReadALongerContextAsTheyAre() {
        Decoder m = new Decoder(cfg(Positions.ALIBI), new Rng(9));
        Decoder longer = ContextExtension.extend(m, 48, Rope.Scaling.NONE);
        assertEquals(48, longer.config.context());
        assertEquals(Positions.ALIBI, longer.config.positions());
        int[] ids = new int[12];
        for (int i = 0; i < 12; i++) ids[i] = i % 11;
        try (var ng = Tensor.noGrad()) {
            assertArrayEquals(m.logits(ids, 1, 12).toArray(), longer.logits(ids, 1, 12).toArray(), 1e-6f, "same weights, same rule");
        }
        assertEquals(Positions.NONE, ContextExtension.extend(new Decoder(cfg(Positions.NONE), new Rng(9)), 48, Rope.Scaling.NONE).config.positions());
        assertThrows(IllegalArgumentException.class, () -> ContextExtension.extend(m, 48, Rope.Scaling.linear(4)));
        assertThrows(IllegalArgumentException.class, () -> ContextExtension.extend(new Decoder(cfg(Positions.LEARNED), new Rng(9)), 48, Rope.Scaling.NONE));
    }
}
