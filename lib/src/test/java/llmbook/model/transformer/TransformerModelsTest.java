package llmbook.model.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.attention.Mask;
import llmbook.autograd.GradCheck;
import llmbook.model.transformer.TransformerConfig.Arch;
import llmbook.model.transformer.TransformerConfig.Ffn;
import llmbook.model.transformer.TransformerConfig.Norm;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.nn.Linear;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Gradient checks of the feed-forward networks and the blocks; what each mask lets a model see; shape errors. */
class TransformerModelsTest {
    static TransformerConfig tiny(Arch a, Positions p) {
        return new TransformerConfig(a, 9, 6, 2, 2, 8, 12, p, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true);
    }

    static Tensor[] with(Tensor x, List<Tensor> params) {
        List<Tensor> in = new ArrayList<>();
        if (x != null) in.add(x);
        in.addAll(params);
        return in.toArray(new Tensor[0]);
    }

    @Test void feedForwardGradients() {
        for (Ffn f : Ffn.values()) {
            var ffn = new FeedForward(f, 4, 6, new Rng(3));
            Tensor x = Tensor.randn(new Rng(4), 2, 3, 4).requiresGrad(true);
            GradCheck.Report r = GradCheck.check(t -> ffn.forward(t[0]), with(x, ffn.parameters()));
            assertTrue(r.ok(), f + ": " + r);
        }
    }

    @Test void swigluIsGateTimesValue() {
        var ffn = new FeedForward(Ffn.SWIGLU, 3, 5, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 2, 3);
        Linear w1 = (Linear) ffn.get("w1"), w2 = (Linear) ffn.get("w2"), w3 = (Linear) ffn.get("w3");
        Tensor expected = w2.forward(w1.forward(x).silu().mul(w3.forward(x)));
        assertArrayEquals(expected.toArray(), ffn.forward(x).toArray(), 1e-6f);
        assertEquals(3 * 3 * 5, ffn.numParameters());
    }

    @Test void blockGradients() {
        for (Norm n : Norm.values()) {                                  // LayerNorm + GELU + no positions; RMSNorm + SwiGLU + RoPE
            boolean rms = n == Norm.RMS_NORM;
            var cfg = tiny(Arch.DECODER, rms ? Positions.ROPE : Positions.NONE).withNorm(n).withFfn(rms ? Ffn.SWIGLU : Ffn.GELU).withShape(2, 4, 6);
            var blk = new Block(cfg, false, new Rng(7));
            Tensor x = Tensor.randn(new Rng(8), 2, 3, 4).requiresGrad(true);
            GradCheck.Report r = GradCheck.check(t -> blk.forward(t[0], Mask.CAUSAL), with(x, blk.parameters()));
            assertTrue(r.ok(), n + ": " + r);
        }
    }

    @Test void crossBlockGradients() {
        var blk = new Block(tiny(Arch.SEQ2SEQ, Positions.SINUSOIDAL).withShape(2, 4, 6), true, new Rng(9));
        Tensor x = Tensor.randn(new Rng(10), 2, 3, 4).requiresGrad(true);
        Tensor m = Tensor.randn(new Rng(11), 2, 4, 4).requiresGrad(true);
        List<Tensor> in = new ArrayList<>(List.of(x, m));
        in.addAll(blk.parameters());
        GradCheck.Report r = GradCheck.check(t -> blk.forward(t[0], Mask.CAUSAL, t[1], Mask.padding(4, 2)), in.toArray(new Tensor[0]));
        assertTrue(r.ok(), r.toString());
    }

    @Test void blockWithoutResidualOrNormStillDifferentiates() {
        var blk = new Block(tiny(Arch.ENCODER, Positions.NONE).withResidual(false).withNormalize(false), false, new Rng(12));
        assertTrue(blk.namedParameters().keySet().stream().noneMatch(k -> k.startsWith("ln_")), blk.namedParameters().keySet().toString());
        Tensor x = Tensor.randn(new Rng(13), 1, 3, 8).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(t -> blk.forward(t[0], Mask.NONE), with(x, blk.parameters()));
        assertTrue(r.ok(), r.toString());
    }

    /** Changing token t+1 must not move the outputs at positions 0 … t of a decoder, for every position scheme. */
    @Test void causalDecoderCannotSeeTheFuture() {
        for (Positions p : Positions.values()) {
            var dec = new Decoder(tiny(Arch.DECODER, p), new Rng(14));
            int[] ids = {1, 2, 3, 4, 5, 6};
            float[] before = dec.forward(ids, 1, 6).toArray();
            for (int t = 0; t + 1 < 6; t++) {
                int[] changed = ids.clone();
                changed[t + 1] = 8;
                float[] after = dec.forward(changed, 1, 6).toArray();
                int upTo = (t + 1) * 9;   // logits of positions 0 … t
                assertArrayEquals(Arrays.copyOf(before, upTo), Arrays.copyOf(after, upTo), 0f, p + ": position <= " + t + " moved");
                assertTrue(Math.abs(before[upTo] - after[upTo]) > 0 || Math.abs(before[upTo + 1] - after[upTo + 1]) > 0, p + ": position " + (t + 1) + " did not move");
            }
        }
    }

    /** An encoder is bidirectional: changing the last token moves the first position's output, but padding moves nothing. */
    @Test void encoderSeesBothWaysButNotPadding() {
        var enc = new Encoder(tiny(Arch.ENCODER, Positions.LEARNED), new Rng(15));
        float[] a = enc.hidden(new int[] {1, 2, 3, 0, 0}, new int[] {3}, 1, 5).toArray();
        float[] b = enc.hidden(new int[] {1, 2, 3, 7, 8}, new int[] {3}, 1, 5).toArray();
        assertArrayEquals(Arrays.copyOf(a, 3 * 8), Arrays.copyOf(b, 3 * 8), 0f, "padding leaked into real tokens");
        float[] c = enc.hidden(new int[] {1, 2, 4}, null, 1, 3).toArray();
        assertTrue(Math.abs(a[0] - c[0]) > 1e-6, "position 0 should see the last token");
    }

    /** Q8: without positions an encoder cannot tell word order; with sinusoidal positions it can. */
    @Test void noPositionsMeansBagOfWords() {
        int[] dogBitesMan = {3, 4, 5}, manBitesDog = {5, 4, 3};
        var none = new Encoder(tiny(Arch.ENCODER, Positions.NONE), new Rng(16));
        float[] p1 = none.pooled(dogBitesMan, null, 1, 3).toArray(), p2 = none.pooled(manBitesDog, null, 1, 3).toArray();
        assertArrayEquals(p1, p2, 1e-5f);
        var sin = new Encoder(tiny(Arch.ENCODER, Positions.SINUSOIDAL), new Rng(16));
        float[] s1 = sin.pooled(dogBitesMan, null, 1, 3).toArray(), s2 = sin.pooled(manBitesDog, null, 1, 3).toArray();
        double diff = 0;
        for (int i = 0; i < s1.length; i++) diff = Math.max(diff, Math.abs(s1[i] - s2[i]));
        assertTrue(diff > 1e-3, "sinusoidal positions should separate the two orders, max diff " + diff);
    }

    /** Pooling over the real tokens of a padded sequence equals pooling the sequence alone. */
    @Test void pooledIgnoresPadding() {
        var enc = new Encoder(tiny(Arch.ENCODER, Positions.SINUSOIDAL), new Rng(20));
        float[] padded = enc.pooled(new int[] {3, 4, 5, 0, 0, 6, 7, 8, 1, 2}, new int[] {3, 5}, 2, 5).toArray();
        float[] alone = enc.pooled(new int[] {3, 4, 5}, null, 1, 3).toArray();
        assertArrayEquals(alone, Arrays.copyOf(padded, 8), 1e-5f);
    }

    /** Dropout acts in training mode only; evaluation is deterministic. */
    @Test void dropoutOnlyWhileTraining() {
        var dec = new Decoder(tiny(Arch.DECODER, Positions.LEARNED).withDropout(0.5f), new Rng(21));
        int[] ids = {1, 2, 3, 4};
        float[] t1 = dec.forward(ids, 1, 4).toArray(), t2 = dec.forward(ids, 1, 4).toArray();
        assertTrue(maxDiff(t1, t2) > 1e-4, "two training passes should differ");
        dec.eval();
        assertArrayEquals(dec.forward(ids, 1, 4).toArray(), dec.forward(ids, 1, 4).toArray(), 0f);
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test void errorsNameTheLayerAndBothNumbers() {
        var dec = new Decoder(tiny(Arch.DECODER, Positions.SINUSOIDAL), new Rng(17));
        var e = assertThrows(IllegalArgumentException.class, () -> dec.forward(new int[8], 1, 8));
        assertTrue(e.getMessage().contains("Decoder") && e.getMessage().contains("length 8") && e.getMessage().contains("only 6"), e.getMessage());
        var s2s = new Seq2Seq(tiny(Arch.SEQ2SEQ, Positions.LEARNED), new Rng(18));
        e = assertThrows(IllegalArgumentException.class, () -> s2s.encode(new int[7], new int[] {7}, 1, 7));
        assertTrue(e.getMessage().contains("Seq2Seq encoder") && e.getMessage().contains("7") && e.getMessage().contains("6"), e.getMessage());
        var blk = new Block(tiny(Arch.ENCODER, Positions.NONE), false, new Rng(19));
        e = assertThrows(IllegalArgumentException.class, () -> blk.forward(Tensor.zeros(1, 3, 5), Mask.NONE));
        assertTrue(e.getMessage().contains("(1, 3, 5)") && e.getMessage().contains("8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s2s.greedy(new int[] {3, 2}, new int[] {2}, 1, 2, 1, 2, 7));
        assertTrue(e.getMessage().contains("maxLen 7") && e.getMessage().contains("context window 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dec.forward(new int[] {1, 99}, 1, 2));
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains("[0, 9)"), e.getMessage());
    }
}
