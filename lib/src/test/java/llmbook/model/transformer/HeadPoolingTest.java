package llmbook.model.transformer;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MHA → GQA by mean-pooling heads (chapter 13's uptraining). */
class HeadPoolingTest {
    static Decoder mha(long seed) {
        return new Decoder(TransformerConfig.gpt2(9).toBuilder().layers(2).heads(4).width(16).hidden(32).context(8).build(), new Rng(seed));
    }

    @Test void groupsEqualToHeadsIsTheSameModel() {
        Decoder m = mha(1), g = HeadPooling.toGqa(m, 4);
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        try (var ng = Tensor.noGrad()) { assertArrayEquals(m.logits(ids, 1, 8).toArray(), g.logits(ids, 1, 8).toArray(), 1e-6f); }
    }

    @Test void headsWithEqualKeysAndValuesPoolToTheSameModelWithHalfTheCache() {
        Decoder m = mha(2);
        int d = 4;
        for (String p : new String[] {"h.0.attn.k", "h.0.attn.v", "h.1.attn.k", "h.1.attn.v"}) {   // make heads 2j and 2j+1 equal
            float[] w = m.namedParameters().get(p + ".weight").data(), b = m.namedParameters().get(p + ".bias").data();
            for (int g = 0; g < 2; g++)
                for (int r = 0; r < d; r++) {
                    System.arraycopy(w, ((2 * g) * d + r) * 16, w, ((2 * g + 1) * d + r) * 16, 16);
                    b[(2 * g + 1) * d + r] = b[(2 * g) * d + r];
                }
        }
        Decoder g = HeadPooling.toGqa(m, 2);
        int[] ids = {3, 1, 4, 1, 5, 2, 6, 5};
        try (var ng = Tensor.noGrad()) { assertArrayEquals(m.logits(ids, 1, 8).toArray(), g.logits(ids, 1, 8).toArray(), 1e-5f); }
        assertEquals(m.newCache(1).bytesPerToken() / 2, g.newCache(1).bytesPerToken());
        assertEquals(TransformerConfig.Attention.GQA, g.config.attention());
    }

    @Test void poolingAverages() {
        Decoder m = mha(3), g = HeadPooling.toGqa(m, 1);                      // MQA: the mean of all four heads
        float[] w = m.namedParameters().get("h.0.attn.k.weight").data(), p = g.namedParameters().get("h.0.attn.k.weight").data();
        for (int r = 0; r < 4; r++)
            for (int k = 0; k < 16; k++)
                assertEquals((w[r * 16 + k] + w[(4 + r) * 16 + k] + w[(8 + r) * 16 + k] + w[(12 + r) * 16 + k]) / 4, p[r * 16 + k], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> HeadPooling.toGqa(m, 3));
        assertThrows(IllegalArgumentException.class, () -> HeadPooling.toGqa(g, 1));
    }
}
