package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.autograd.GradCheck;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Scaled dot-product attention and masks: a hand-worked case, mask semantics, shared K/V heads, gradients, errors. */
class ScaledDotProductAttentionTest {
    private final Rng rng = new Rng(11);

    private Tensor p(int... shape) { return Tensor.randn(rng, shape).requiresGrad(true); }

    /**
     * One head, d = 1, T = 2, q = k = [1, 2], v = [10, 20], scale 1 (hand-worked):
     * causal row 0 sees only key 0 → 10; row 1 scores [2, 4] → weights [1/(1+e²), e²/(1+e²)] → 10 + 10·e²/(1+e²).
     */
    @Test void handWorkedCausal() {
        Tensor q = Tensor.of(new float[] {1, 2}, 1, 1, 2, 1), v = Tensor.of(new float[] {10, 20}, 1, 1, 2, 1);
        Tensor y = ScaledDotProductAttention.attend(q, q, v, Mask.CAUSAL, 1f, null);
        double e2 = Math.exp(2);
        assertEquals(10.0, y.get(0, 0, 0, 0), 1e-5);
        assertEquals(10 + 10 * e2 / (1 + e2), y.get(0, 0, 1, 0), 1e-4);
        // bidirectional: row 0 scores [1, 2]
        Tensor yb = ScaledDotProductAttention.attend(q, q, v, Mask.NONE, 1f, null);
        double e1 = Math.exp(1);
        assertEquals(10 + 10 * e1 / (1 + e1), yb.get(0, 0, 0, 0), 1e-4);
    }

    @Test void defaultScaleIsOneOverSqrtDk() {
        Tensor q = Tensor.randn(rng, 1, 2, 3, 4), k = Tensor.randn(rng, 1, 2, 3, 4), v = Tensor.randn(rng, 1, 2, 3, 4);
        assertArrayEquals(ScaledDotProductAttention.attend(q, k, v, Mask.NONE, 0.5f, null).toArray(),
                ScaledDotProductAttention.attend(q, k, v, Mask.NONE).toArray(), 0f);
        // scale 1 is the unscaled product: same as pre-multiplying q by nothing, and different from 1/√d
        assertArrayEquals(ScaledDotProductAttention.attend(q.mul(0.5f), k, v, Mask.NONE, 1f, null).toArray(),
                ScaledDotProductAttention.attend(q, k, v, Mask.NONE).toArray(), 1e-6f);
    }

    @Test void weightsAreCapturedRowStochasticAndRespectTheMasks() {
        var sdpa = new ScaledDotProductAttention(Float.NaN, true);
        assertNull(sdpa.lastWeights());
        Tensor q = Tensor.randn(rng, 2, 2, 4, 3), k = Tensor.randn(rng, 2, 2, 5, 3), v = Tensor.randn(rng, 2, 2, 5, 3);
        sdpa.forward(q, k, v, Mask.causalPadding(5, 3));
        Tensor w = sdpa.lastWeights();
        assertArrayEquals(new int[] {2, 2, 4, 5}, w.shape());
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < 4; i++) {
                    double s = 0;
                    for (int j = 0; j < 5; j++) {
                        float x = w.get(b, h, i, j);
                        boolean future = j > 5 - 4 + i, padded = j >= (b == 0 ? 5 : 3);
                        if (future || padded) assertEquals(0f, x, "b" + b + " h" + h + " i" + i + " j" + j + " must be hidden");
                        s += x;
                    }
                    assertEquals(1.0, s, 1e-5);
                }
    }

    @Test void maskTensors() {
        assertNull(Mask.NONE.hidden(2, 3, 3));
        assertArrayEquals(Tensor.triu1(3).toArray(), Mask.CAUSAL.hidden(2, 3, 3).toArray(), 0f);
        assertArrayEquals(new int[] {1, 1, 3, 3}, Mask.CAUSAL.hidden(2, 3, 3).shape());
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0}, Mask.padding(2, 3).hidden(2, 1, 3).toArray(), 0f);
        assertArrayEquals(new int[] {2, 1, 1, 3}, Mask.padding(2, 3).hidden(2, 1, 3).shape());
        // decoding: 1 query that is the last of 3 positions sees all 3
        assertArrayEquals(new float[] {0, 0, 0}, Mask.CAUSAL.hidden(1, 1, 3).toArray(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> Mask.padding(2, 0));
        assertTrue(e.getMessage().contains("sequence 1 is 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mask.padding(2, 3).hidden(3, 1, 3));
        assertTrue(e.getMessage().contains("2 lengths") && e.getMessage().contains("3 sequences"), e.getMessage());
    }

    /** K/V with fewer heads are shared by groups of query heads: same as repeating each K/V head H/G times. */
    @Test void sharedKvHeadsEqualRepeatedHeads() {
        Tensor q = Tensor.randn(rng, 2, 6, 4, 3), k = Tensor.randn(rng, 2, 2, 4, 3), v = Tensor.randn(rng, 2, 2, 4, 5);
        Tensor k0 = k.slice(1, 0, 1), k1 = k.slice(1, 1, 2), v0 = v.slice(1, 0, 1), v1 = v.slice(1, 1, 2);
        Tensor kr = Tensor.concat(1, k0, k0, k0, k1, k1, k1), vr = Tensor.concat(1, v0, v0, v0, v1, v1, v1);
        Tensor shared = ScaledDotProductAttention.attend(q, k, v, Mask.CAUSAL);
        Tensor repeated = ScaledDotProductAttention.attend(q, kr, vr, Mask.CAUSAL);
        assertArrayEquals(new int[] {2, 6, 4, 5}, shared.shape());
        assertArrayEquals(repeated.toArray(), shared.toArray(), 1e-6f);
    }

    @Test void gradientsForEveryMask() {
        for (Mask m : new Mask[] {Mask.NONE, Mask.CAUSAL, Mask.padding(3, 2), Mask.causalPadding(2, 3)}) {
            GradCheck.Report r = GradCheck.check(x -> ScaledDotProductAttention.attend(x[0], x[1], x[2], m), p(2, 2, 3, 4), p(2, 2, 3, 4), p(2, 2, 3, 2));
            assertTrue(r.ok(), m + ": " + r);
        }
        GradCheck.Report r = GradCheck.check(x -> ScaledDotProductAttention.attend(x[0], x[1], x[2], Mask.CAUSAL), p(1, 4, 3, 2), p(1, 2, 3, 2), p(1, 2, 3, 2));
        assertTrue(r.ok(), "shared K/V heads: " + r);
        r = GradCheck.check(x -> ScaledDotProductAttention.attend(x[0], x[1], x[2], Mask.NONE, 1f, null), p(1, 1, 3, 4), p(1, 1, 3, 4), p(1, 1, 3, 2));
        assertTrue(r.ok(), "unscaled: " + r);
    }

    /** Q41: unscaled scores of random unit-variance q, k saturate the softmax as d_k grows; scaled ones do not. */
    @Test void withoutTheScaleTheSoftmaxSaturates() {
        int t = 16;
        double[] scaled = new double[3], unscaled = new double[3];
        int[] dks = {4, 64, 256};
        for (int n = 0; n < 3; n++) {
            Rng r = new Rng(100 + n);
            Tensor q = Tensor.randn(r, 1, 4, t, dks[n]), k = Tensor.randn(r, 1, 4, t, dks[n]), v = Tensor.zeros(1, 4, t, 1);
            Tensor[] w = new Tensor[1];
            ScaledDotProductAttention.attend(q, k, v, Mask.NONE, Float.NaN, w);
            scaled[n] = ScaledDotProductAttention.meanEntropy(w[0]);
            ScaledDotProductAttention.attend(q, k, v, Mask.NONE, 1f, w);
            unscaled[n] = ScaledDotProductAttention.meanEntropy(w[0]);
        }
        double uniform = Math.log(t);   // 2.77 nats
        for (int n = 0; n < 3; n++) assertTrue(scaled[n] > 0.6 * uniform && scaled[n] < uniform, "scaled d_k=" + dks[n] + ": " + scaled[n]);
        // observed (seeds 100-102): scaled 2.37, 2.39, 2.32; unscaled 1.76, 0.46, 0.14 nats
        assertTrue(unscaled[2] < 0.25 * uniform, "unscaled d_k=256 should be nearly one-hot: " + unscaled[2]);
        assertTrue(unscaled[0] > unscaled[1] && unscaled[1] > unscaled[2], java.util.Arrays.toString(unscaled));
        assertEquals(Math.log(5), ScaledDotProductAttention.meanEntropy(Tensor.full(0.2f, 3, 5)), 1e-6);
    }

    @Test void maskPictures() {
        float[][] causal = Mask.CAUSAL.picture(0, 1, 3, 3);
        assertArrayEquals(new float[] {1, 1, 0}, causal[1], 0f);
        assertArrayEquals(new float[] {1, 1, 1}, Mask.NONE.picture(0, 1, 3, 3)[0], 0f);
        assertArrayEquals(new float[] {1, 1, 0}, Mask.causalPadding(3, 2).picture(1, 2, 3, 3)[2], 0f);
    }

    @Test void shapeErrorsNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ScaledDotProductAttention.attend(Tensor.zeros(1, 2, 3, 4), Tensor.zeros(1, 2, 3, 5), Tensor.zeros(1, 2, 3, 4), Mask.NONE));
        assertTrue(e.getMessage().startsWith("attention:") && e.getMessage().contains("(1, 2, 3, 4)") && e.getMessage().contains("(1, 2, 3, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ScaledDotProductAttention.attend(Tensor.zeros(1, 4, 3, 4), Tensor.zeros(1, 3, 3, 4), Tensor.zeros(1, 3, 3, 4), Mask.NONE));
        assertTrue(e.getMessage().contains("must divide q heads 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ScaledDotProductAttention.attend(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4), Mask.NONE));
        assertTrue(e.getMessage().contains("(B, H, T, d)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScaledDotProductAttention(0f, false));
    }
}
