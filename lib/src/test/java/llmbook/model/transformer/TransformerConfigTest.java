package llmbook.model.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.model.transformer.TransformerConfig.Arch;
import llmbook.model.transformer.TransformerConfig.Ffn;
import llmbook.model.transformer.TransformerConfig.Norm;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.nn.Module;
import java.util.List;
import llmbook.tensor.Rng;
import llmbook.util.Json;
import org.junit.jupiter.api.Test;

/** The parameter formula equals the counted tensors for every combination of the config's switches. */
class TransformerConfigTest {
    static Module build(TransformerConfig c) {
        return switch (c.arch()) {
            case ENCODER -> new Encoder(c, new Rng(1));
            case DECODER -> new Decoder(c, new Rng(1));
            case SEQ2SEQ -> new Seq2Seq(c, new Rng(1));
        };
    }

    @Test void formulaMatchesCountedTensors() {
        int checked = 0;
        for (Arch a : Arch.values())
            for (Positions p : Positions.values())
                for (Norm n : Norm.values())
                    for (Ffn f : Ffn.values())
                        for (boolean normalize : new boolean[] {true, false}) {
                            var c = new TransformerConfig(a, 11, 7, 2, 2, 8, 12, p, n, f, 0f, true, normalize);
                            assertEquals(c.parameterCount(), build(c).numParameters(), c.toString());
                            checked++;
                        }
        assertEquals(3 * Positions.values().length * 2 * Ffn.values().length * 2, checked);
    }

    /** Every decoder variant: attention kind × biases × output head × positions × norm × MLP; formula = counted tensors, and the JSON round-trip. */
    @Test void formulaMatchesEveryDecoderVariant() {
        var base = new TransformerConfig(Arch.DECODER, 11, 7, 2, 4, 16, 12, Positions.LEARNED, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true);
        List<TransformerConfig> attn = List.of(base, base.withGqa(2), base.withAttention(TransformerConfig.Attention.MQA), base.withMla(6, 4));
        int checked = 0;
        for (TransformerConfig a : attn)
            for (boolean bias : new boolean[] {true, false})
                for (int head = 0; head < 3; head++)
                    for (Positions p : Positions.values())
                        for (Norm n : Norm.values())
                            for (Ffn f : Ffn.values())
                                for (var init : TransformerConfig.InitScheme.values()) {
                                    if (p == Positions.ALIBI && a.attention() == TransformerConfig.Attention.MLA) continue;   // rejected: MLA has its own RoPE
                                    var b = a.toBuilder().bias(bias).positions(p).norm(n).ffn(f).init(init);
                                    if (head == 1) b.tied(false);
                                    if (head == 2) b.adaptive(3, 7);
                                    var c = b.build();
                                    assertEquals(c.parameterCount(), build(c).numParameters(), c.toString());
                                    assertEquals(c, TransformerConfig.fromJson(Json.parseObject(Json.write(c.toJson()))), "JSON round-trip");
                                    checked++;
                                }
        assertEquals((4 * Positions.values().length - 1) * 2 * 3 * 2 * Ffn.values().length * 2, checked);   // less MLA × ALiBi
    }

    @Test void jsonRefusesABadField() {
        var m = new java.util.LinkedHashMap<>(TransformerConfig.llama(65).toJson());
        m.put("attention", "FLASH");
        var e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.fromJson(m));
        assertTrue(e.getMessage().contains("'attention'") && e.getMessage().contains("FLASH"), e.getMessage());
        m.remove("attention");
        m.put("attention", "GQA");
        m.remove("kv_heads");
        e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.fromJson(m));
        assertTrue(e.getMessage().contains("'kv_heads'"), e.getMessage());
    }

    @Test void variantValidation() {
        var g = TransformerConfig.gpt2(65);
        var e = assertThrows(IllegalArgumentException.class, () -> g.withGqa(3));
        assertTrue(e.getMessage().contains("G = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.withMla(8, 3));
        assertTrue(e.getMessage().contains("d_R"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.withAdaptiveHead(10, 70));
        assertTrue(e.getMessage().contains("(0, 65)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.withArch(Arch.ENCODER).withTied(false));
        assertTrue(e.getMessage().contains("DECODER"), e.getMessage());
        assertEquals(4, g.kvHeads());
        assertEquals(1, g.withAttention(TransformerConfig.Attention.MQA).kvHeads());
        assertEquals(4L * 2 * 128 * 4, g.kvCacheBytesPerToken(), "MHA: L·2C floats per token");
        assertEquals(4L * (32 + 8) * 4, g.withMla(32, 8).kvCacheBytesPerToken());
    }

    @Test void worksOutByHand() {
        // decoder, V=10, T=5, L=1, C=4, h=8, learned positions, LayerNorm, GELU:
        // embeddings 10·4 + 5·4 = 60; block 2·8 + (4·16 + 16) + (2·4·8 + 8 + 4) = 16 + 80 + 76 = 172; final norm 8
        var c = new TransformerConfig(Arch.DECODER, 10, 5, 1, 2, 4, 8, Positions.LEARNED, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true);
        assertEquals(60 + 172 + 8, c.parameterCount());
        assertEquals(60 + 172 + 8, new Decoder(c, new Rng(2)).numParameters());
    }

    @Test void printsItself() {
        var c = TransformerConfig.small(Arch.SEQ2SEQ, 16, 40);
        String s = c.toString();
        assertTrue(s.contains("SEQ2SEQ") && s.contains("width=64") && s.contains("SINUSOIDAL") && s.contains(String.format("%,d", c.parameterCount())), s);
        assertTrue(c.withResidual(false).withNormalize(false).toString().contains("NO RESIDUAL, NO NORM"));
    }

    @Test void validates() {
        var e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.small(Arch.DECODER, 10, 8).withShape(3, 64, 128));
        assertTrue(e.getMessage().contains("heads (3) must divide width (64)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TransformerConfig.small(Arch.DECODER, 10, 8).withDropout(1f));
        assertThrows(IllegalArgumentException.class, () -> new Decoder(TransformerConfig.small(Arch.ENCODER, 10, 8), new Rng(1)));
    }
}
