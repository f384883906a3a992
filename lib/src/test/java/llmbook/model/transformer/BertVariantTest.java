package llmbook.model.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import llmbook.attention.Mask;
import llmbook.autograd.GradCheck;
import llmbook.model.transformer.TransformerConfig.Arch;
import llmbook.model.transformer.TransformerConfig.Ffn;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.nn.LayerNorm;
import llmbook.nn.Layer;
import llmbook.tensor.Functional;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.util.Json;
import org.junit.jupiter.api.Test;

/** BERT's options of the encoder: post-norm blocks, embedding LayerNorm, token types, exact GELU, the norms' ε. */
class BertVariantTest {
    static TransformerConfig bert() {
        return TransformerModelsTest.tiny(Arch.ENCODER, Positions.LEARNED).toBuilder().ffn(Ffn.GELU_ERF).postNorm(true).normEps(1e-12f).typeVocab(2).build();
    }

    @Test void formulaJsonAndDefaults() {
        for (boolean post : new boolean[] {true, false})
            for (int types : new int[] {0, 2})
                for (boolean normalize : new boolean[] {true, false}) {
                    var c = bert().toBuilder().postNorm(post).typeVocab(types).normalize(normalize).build();
                    assertEquals(c.parameterCount(), new Encoder(c, new Rng(1)).numParameters(), c.toString());
                    assertEquals(c, TransformerConfig.fromJson(Json.parseObject(Json.write(c.toJson()))), "JSON round-trip");
                }
        var old = new java.util.LinkedHashMap<>(TransformerConfig.gpt2(65).toJson());
        old.remove("post_norm");
        old.remove("norm_eps");
        old.remove("type_vocab");
        assertEquals(TransformerConfig.gpt2(65), TransformerConfig.fromJson(old), "a config.json written before these fields still reads");
        assertTrue(bert().toString().contains("post-norm") && bert().toString().contains("types=2"), bert().toString());
    }

    @Test void validation() {
        var e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.gpt2(9).withPostNorm(true));
        assertTrue(e.getMessage().contains("ENCODER"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TransformerConfig.gpt2(9).withTypeVocab(2));
        e = assertThrows(IllegalArgumentException.class, () -> bert().withNormEps(0f));
        assertTrue(e.getMessage().contains("normEps"), e.getMessage());
    }

    /** A post-norm block is ln_1(x + attn(x)) then ln_2(x + mlp(x)), composed here from its own parts; its norms carry the config's ε. */
    @Test void postNormBlockIsAddThenNorm() {
        var cfg = bert();
        var blk = new Block(cfg, false, new Rng(3));
        assertEquals(1e-12f, ((LayerNorm) blk.get("ln_1")).eps);
        Tensor x = Tensor.randn(new Rng(4), 2, 5, 8);
        Mask mask = Mask.padding(5, 3);
        Tensor x1 = ((Layer) blk.get("ln_1")).forward(x.add(blk.attention().forward(x, mask)));
        Tensor want = ((Layer) blk.get("ln_2")).forward(x1.add(((Layer) blk.get("mlp")).forward(x1)));
        assertArrayEquals(want.toArray(), blk.forward(x, mask).toArray(), 0f);
        Tensor pre = new Block(cfg.withPostNorm(false), false, new Rng(3)).forward(x, mask);
        assertFalse(Arrays.equals(pre.toArray(), want.toArray()), "pre-norm differs");
        Tensor xg = Tensor.randn(new Rng(5), 2, 3, 8).requiresGrad(true);
        var small = new Block(cfg.withNormEps(1e-5f), false, new Rng(6));
        GradCheck.Report r = GradCheck.check(t -> small.forward(t[0], Mask.NONE), TransformerModelsTest.with(xg, small.parameters()));
        assertTrue(r.ok(), r.toString());
    }

    @Test void exactGeluFeedForward() {
        var ffn = new FeedForward(Ffn.GELU_ERF, 4, 6, new Rng(8));
        Tensor x = Tensor.randn(new Rng(9), 3, 4);
        Tensor want = ((Layer) ffn.get("w2")).forward(Functional.geluErf(((Layer) ffn.get("w1")).forward(x)));
        assertArrayEquals(want.toArray(), ffn.forward(x).toArray(), 0f);
    }

    /** ln_emb instead of ln_f; types add a learned row per token (null = all type 0); padding stays invisible. */
    @Test void encoderWithTypesAndEmbeddingNorm() {
        var enc = new Encoder(bert(), new Rng(11));
        assertTrue(enc.children().containsKey("ln_emb") && enc.children().containsKey("wtt"));
        assertNull(enc.children().get("ln_f"));
        int[] ids = {3, 4, 5, 6};
        float[] none = enc.hidden(ids, null, null, 1, 4).toArray();
        assertArrayEquals(none, enc.hidden(ids, new int[4], null, 1, 4).toArray(), 0f);
        assertFalse(Arrays.equals(none, enc.hidden(ids, new int[] {0, 0, 1, 1}, null, 1, 4).toArray()));
        float[] padded = enc.pooled(new int[] {3, 4, 5, 0, 0, 6, 7, 8, 1, 2}, new int[] {3, 5}, 2, 5).toArray();
        float[] alone = enc.pooled(new int[] {3, 4, 5}, null, 1, 3).toArray();
        assertArrayEquals(alone, Arrays.copyOf(padded, 8), 1e-5f);
        var e = assertThrows(IllegalArgumentException.class, () -> enc.hidden(ids, new int[] {0, 2, 0, 0}, null, 1, 4));
        assertTrue(e.getMessage().contains("token type 2 outside [0, 2)"), e.getMessage());
        var plain = new Encoder(TransformerModelsTest.tiny(Arch.ENCODER, Positions.LEARNED), new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> plain.hidden(ids, new int[4], null, 1, 4));
    }

    /**
     * A ragged batch (sequences one after another, no padding) gives, sequence by sequence, the padded batch's hidden
     * states and pooled vectors: under noGrad (fused per-sequence attention) and with grad on (the composed path with a
     * block-diagonal mask); with learned and sinusoidal positions.
     */
    @Test void raggedBatchEqualsPaddedBatch() {
        for (Positions pos : new Positions[] {Positions.LEARNED, Positions.SINUSOIDAL}) {
            var cfg = bert().toBuilder().positions(pos).build();
            var enc = new Encoder(cfg, new Rng(5));
            enc.eval();
            int[] lengths = {5, 1, 3}, ids = new int[9], types = new int[9];
            int t = 5, b = 3;
            int[] pIds = new int[b * t], pTypes = new int[b * t];
            Rng r = new Rng(6);
            for (int s = 0, at = 0; s < b; at += lengths[s++])
                for (int i = 0; i < lengths[s]; i++) {
                    ids[at + i] = pIds[s * t + i] = r.nextInt(cfg.vocab());
                    types[at + i] = pTypes[s * t + i] = i % 2;
                }
            for (boolean grad : new boolean[] {false, true}) {
                float[] ragged, padded, pr, pp;
                try (var g = grad ? null : Tensor.noGrad()) {
                    ragged = enc.hiddenRagged(ids, types, lengths).toArray();
                    padded = enc.hidden(pIds, pTypes, lengths, b, t).toArray();
                    pr = enc.pooledRagged(ids, types, lengths).toArray();
                    pp = enc.pooled(pIds, pTypes, lengths, b, t).toArray();
                }
                int c = cfg.width();
                for (int s = 0, at = 0; s < b; at += lengths[s++])
                    for (int i = 0; i < lengths[s] * c; i++)
                        assertEquals(padded[s * t * c + i], ragged[at * c + i], 1e-5f, pos + " grad=" + grad + ": sequence " + s + " element " + i);
                for (int i = 0; i < pp.length; i++) assertEquals(pp[i], pr[i], 1e-5f, pos + " grad=" + grad + ": pooled " + i);
            }
        }
        var enc = new Encoder(bert(), new Rng(5));
        var e = assertThrows(IllegalArgumentException.class, () -> enc.hiddenRagged(new int[] {1, 2, 3}, null, new int[] {2, 2}));
        assertTrue(e.getMessage().contains("add up to 4"), e.getMessage());
        var rope = new Encoder(bert().toBuilder().positions(Positions.ROPE).build(), new Rng(5));
        e = assertThrows(IllegalArgumentException.class, () -> rope.hiddenRagged(new int[] {1, 2, 3}, null, new int[] {2, 1}));
        assertTrue(e.getMessage().contains("ROPE"), e.getMessage());
    }

    /** A segments mask hides everything outside each sequence's own block. */
    @Test void segmentsMaskIsBlockDiagonal() {
        float[][] pic = Mask.segments(2, 1).picture(0, 1, 3, 3);
        assertArrayEquals(new float[] {1, 1, 0}, pic[0]);
        assertArrayEquals(new float[] {1, 1, 0}, pic[1]);
        assertArrayEquals(new float[] {0, 0, 1}, pic[2]);
        var e = assertThrows(IllegalArgumentException.class, () -> Mask.segments(2, 1).hidden(2, 3, 3));
        assertTrue(e.getMessage().contains("one row of 3"), e.getMessage());
    }
}
