package llmbook.longctx;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.attention.Rope;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** RoPE scaling rules (position interpolation, NTK-aware, YaRN) and reading a trained model at a longer context. */
class RopeScalingTest {
    static final int D = 16;

    @Test void noScalingIsThePlainRotation() {
        Rope plain = new Rope(D), none = new Rope(D, 10000, Rope.Scaling.NONE);
        for (int p : new int[] {0, 1, 37, 500})
            for (int i = 0; i < D / 2; i++) assertEquals(p * Math.pow(10000, -2.0 * i / D), none.angle(p, i), 1e-12);
        Tensor x = Tensor.randn(new Rng(1), 1, 2, 5, D);
        assertArrayEquals(plain.apply(x, 3).toArray(), none.apply(x, 3).toArray(), 0f);
        // the default config's JSON is unchanged (no rope_scaling key) and a scaled one round-trips
        TransformerConfig c = TransformerConfig.llama(11);
        assertFalse(c.toJson().containsKey("rope_scaling"));
        TransformerConfig y = c.withRopeScaling(Rope.Scaling.yarn(4, 128));
        assertEquals(y, TransformerConfig.fromJson(y.toJson()));
        assertThrows(IllegalArgumentException.class, () -> TransformerConfig.gpt2(11).withRopeScaling(Rope.Scaling.ntk(2)), "learned positions");
        assertThrows(IllegalArgumentException.class, () -> Rope.Scaling.linear(0.5));
    }

    @Test void positionInterpolationSqueezesPositions() {
        Rope plain = new Rope(D), pi = new Rope(D, 10000, Rope.Scaling.linear(4));
        for (int i = 0; i < D / 2; i++) assertEquals(plain.angle(25, i), pi.angle(100, i), 1e-9);
    }

    @Test void ntkKeepsTheFastestPairAndInterpolatesTheSlowestByS() {
        Rope plain = new Rope(D), ntk = new Rope(D, 10000, Rope.Scaling.ntk(4));
        assertEquals(plain.angle(7, 0), ntk.angle(7, 0), 1e-12);
        assertEquals(plain.angle(7, D / 2 - 1) / 4, ntk.angle(7, D / 2 - 1), 1e-12);
        for (int i = 1; i < D / 2 - 1; i++) assertTrue(ntk.angle(7, i) < plain.angle(7, i) && ntk.angle(7, i) > plain.angle(7, i) / 4);
    }

    @Test void yarnRampsBetweenKeepingAndInterpolatingAndTempersAttention() {
        Rope plain = new Rope(D), long4k = new Rope(D, 10000, Rope.Scaling.yarn(4, 4096)), yarn = new Rope(D, 10000, Rope.Scaling.yarn(4, 128));
        assertEquals(plain.angle(9, 0), long4k.angle(9, 0), 1e-12, "pair 0 turns 4096/2π ≈ 652 > 32 times in 4096: kept");
        assertEquals(plain.angle(9, D / 2 - 1) / 4, long4k.angle(9, D / 2 - 1), 1e-12, "the slowest pair turns < once: interpolated");
        double g = (128 / (2 * Math.PI) - 1) / 31;                           // pair 0 turns ≈ 20.4 times in 128: between
        assertEquals((1 - g) * 9 / 4 + g * 9, yarn.angle(9, 0), 1e-9);
        double m = 0.1 * Math.log(4) + 1;
        Tensor q = Tensor.randn(new Rng(2), 1, 1, 1, D), k = Tensor.randn(new Rng(3), 1, 1, 1, D);
        double dot = dot(yarn.apply(q, 5), yarn.apply(k, 5)), plainDot = dot(q, k);
        assertEquals(m * m * plainDot, dot, 1e-4 * Math.abs(plainDot) + 1e-5, "same position: q·k scaled by the temperature only");
    }

    static double dot(Tensor a, Tensor b) {
        float[] x = a.toArray(), y = b.toArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    @Test void anExtendedModelWithoutScalingGivesTheSameLogitsWithinTheOldContext() {
        Decoder m = new Decoder(TransformerConfig.llama(9).toBuilder().layers(1).width(16).heads(2).hidden(32).context(8).build(), new Rng(4));
        Decoder big = ContextExtension.extend(m, 32, Rope.Scaling.NONE), pi = ContextExtension.extend(m, 32, Rope.Scaling.linear(4));
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        try (var g = Tensor.noGrad()) {
            assertArrayEquals(m.logits(ids, 1, 8).toArray(), big.logits(ids, 1, 8).toArray(), 1e-5f);
            assertFalse(java.util.Arrays.equals(m.logits(ids, 1, 8).toArray(), pi.logits(ids, 1, 8).toArray()));
            assertEquals(32, big.context());
            big.logits(new int[32], 1, 32);
        }
        big.namedParameters().get("wte.weight").data()[0] += 1;     // a copy: the original is untouched
        assertNotEquals(m.namedParameters().get("wte.weight").data()[0], big.namedParameters().get("wte.weight").data()[0]);
        assertThrows(IllegalArgumentException.class, () -> ContextExtension.extend(new Decoder(TransformerConfig.gpt2(9).withContext(8), new Rng(1)), 32, Rope.Scaling.NONE));
    }
}
