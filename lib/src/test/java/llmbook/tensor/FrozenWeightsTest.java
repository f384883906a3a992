package llmbook.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link LinAlg#frozenWeights()}: one-row linear layers use a packed copy of each parameter, only inside the scope. */
class FrozenWeightsTest {
    static Tensor param(Rng r, int... shape) { return Tensor.randn(r, shape).requiresGrad(true).name("weight"); }

    static void close(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])), "at " + i);
    }

    @Test
    void oneRowProductsUseAPackedParameterAndMatchThePlainProduct() {
        Rng r = new Rng(1);
        Tensor w = param(r, 65, 48), b = Tensor.randn(r, 65).name("bias"), x = Tensor.randn(r, 1, 48), xs = Tensor.randn(r, 3, 48);
        float[] plain = LinAlg.linear(x, w, b).toArray(), plainNoBias = LinAlg.linear(x, w, null).toArray(), plainRows = LinAlg.linear(xs, w, b).toArray();
        try (var f = LinAlg.frozenWeights()) {
            float[] frozen = LinAlg.linear(x, w, b).toArray();
            assertEquals(1, f.packed());
            close(plain, frozen);
            close(plainNoBias, LinAlg.linear(x, w, null).toArray());
            assertEquals(1, f.packed(), "the same weight is packed once");
            assertArrayEquals(frozen, LinAlg.linear(x, w, b).toArray());
            assertArrayEquals(LinAlg.linear(xs, w, b).toArray(), plainRows, "several rows: the plain matmul's bits");
            LinAlg.linear(x, Tensor.randn(r, 65, 48), b);           // not a parameter (no name)
            LinAlg.linear(x, param(r, 48, 65).t(), b);              // a view, not the stored layout
            assertEquals(1, f.packed());
        }
    }

    @Test
    void scopesNestAndClosingTheOutermostForgetsThePacks() {
        Rng r = new Rng(2);
        Tensor w = param(r, 40, 32), x = Tensor.randn(r, 1, 32);
        try (var outer = LinAlg.frozenWeights()) {
            try (var inner = LinAlg.frozenWeights()) {
                LinAlg.linear(x, w, null);
                assertEquals(1, inner.packed());
                inner.close();                                       // twice: harmless
            }
            assertEquals(1, outer.packed(), "the inner scope shares the outer's packs");
        }
        // the weight changes between scopes (a training step): the next scope sees the new values
        for (int i = 0; i < w.data.length; i++) w.data[i] *= -2f;
        float[] want = LinAlg.linear(x, w, null).toArray();
        try (var f = LinAlg.frozenWeights()) {
            assertEquals(0, f.packed());
            close(want, LinAlg.linear(x, w, null).toArray());
        }
    }

    @Test
    void gradientsInsideTheScopeAreThePlainOnes() {
        Rng r = new Rng(3);
        Tensor w = param(r, 24, 16), x = Tensor.randn(r, 1, 16).requiresGrad(true);
        LinAlg.linear(x, w, null).sum().backward();
        float[] gx = x.grad.clone(), gw = w.grad.clone();
        x.zeroGrad();
        w.zeroGrad();
        try (var f = LinAlg.frozenWeights()) {
            LinAlg.linear(x, w, null).sum().backward();
        }
        close(gx, x.grad);
        assertArrayEquals(gw, w.grad);
    }
}
