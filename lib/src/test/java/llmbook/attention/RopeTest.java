package llmbook.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.autograd.GradCheck;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** RoPE: a rotation (norms kept), relative (q·k depends on the offset only), position 0 is the identity, gradients. */
class RopeTest {
    private final Rope rope = new Rope(8);

    private static double dot(float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[ao + i] * b[bo + i];
        return s;
    }

    @Test void handWorkedPair() {
        // d = 2: one pair, θ_0 = 1; position 1 rotates (1, 0) by 1 radian
        Tensor x = Tensor.of(new float[] {1, 0, 1, 0}, 1, 1, 2, 2);
        float[] y = new Rope(2).apply(x).toArray();
        assertArrayEquals(new float[] {1, 0, (float) Math.cos(1), (float) Math.sin(1)}, y, 1e-6f);
        assertEquals(1e-3, new Rope(8).angle(1, 3), 1e-12);   // 10000^(−6/8)·... = 10000^(-0.75) = 1e-3
    }

    @Test void positionZeroIsIdentityAndNormsArePreserved() {
        Tensor x = Tensor.randn(new Rng(1), 2, 3, 50, 8);
        float[] xs = x.toArray(), y = rope.apply(x).toArray();
        for (int r = 0; r < 2 * 3 * 50; r++) {
            double nx = Math.sqrt(dot(xs, r * 8, xs, r * 8, 8)), ny = Math.sqrt(dot(y, r * 8, y, r * 8, 8));
            assertEquals(nx, ny, 1e-5 * Math.max(1, nx), "row " + r);
            if (r % 50 == 0) assertArrayEquals(java.util.Arrays.copyOfRange(xs, r * 8, r * 8 + 8), java.util.Arrays.copyOfRange(y, r * 8, r * 8 + 8), 0f);
        }
    }

    /** The same q and k placed at (p, p + Δ) for several p: q·k is the same for every p, and changes with Δ. */
    @Test void scoreDependsOnlyOnRelativeOffset() {
        Rng rng = new Rng(2);
        float[] q = Tensor.randn(rng, 8).toArray(), k = Tensor.randn(rng, 8).toArray();
        int len = 64;
        float[] qs = new float[len * 8], ks = new float[len * 8];
        for (int p = 0; p < len; p++) { System.arraycopy(q, 0, qs, p * 8, 8); System.arraycopy(k, 0, ks, p * 8, 8); }
        float[] rq = rope.apply(Tensor.wrap(qs, 1, 1, len, 8)).toArray(), rk = rope.apply(Tensor.wrap(ks, 1, 1, len, 8)).toArray();
        for (int delta : new int[] {0, 1, 5, 17}) {
            double ref = dot(rq, 0, rk, delta * 8, 8);
            for (int p = 1; p + delta < len; p += 7)
                assertEquals(ref, dot(rq, p * 8, rk, (p + delta) * 8, 8), 1e-4, "Δ=" + delta + " p=" + p);
        }
        assertNotEquals(dot(rq, 0, rk, 0, 8), dot(rq, 0, rk, 8, 8), 1e-3);
        // a start offset is the same as the rows further down: apply(x, s) == apply at positions s…
        Tensor tail = rope.apply(Tensor.wrap(java.util.Arrays.copyOfRange(qs, 10 * 8, len * 8), 1, 1, len - 10, 8), 10);
        assertArrayEquals(java.util.Arrays.copyOfRange(rq, 10 * 8, len * 8), tail.toArray(), 1e-6f);
    }

    @Test void gradient() {
        Tensor x = Tensor.randn(new Rng(3), 2, 2, 5, 8).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(t -> rope.apply(t[0], 3), x);
        assertTrue(r.ok(), r.toString());
    }

    @Test void errors() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Rope(7));
        assertTrue(e.getMessage().contains("even"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rope.apply(Tensor.zeros(1, 2, 3, 6)));
        assertTrue(e.getMessage().contains("Rope.apply") && e.getMessage().contains("(1, 2, 3, 6)"), e.getMessage());
    }

    /** The cos/sin tables are computed once and reused: a later call within the covered positions adds nothing. */
    @Test void tablesAreComputedOnceAndReused() {
        Rope r = new Rope(8);
        assertEquals(0, r.tablePositions());
        Tensor x = Tensor.randn(new Rng(4), 1, 2, 10, 8);
        float[] first = r.apply(x, 5).toArray();
        int n = r.tablePositions();
        assertTrue(n >= 15, "covers positions 0 … 14, has " + n);
        assertArrayEquals(first, r.apply(x, 5).toArray(), 0f);
        r.apply(x.slice(2, 0, 1), 3);
        assertEquals(n, r.tablePositions(), "no recomputation for positions already covered");
        // and the op is one node of the graph, whose backward rotates back: grad of Σ y·w is R(−angle)·w
        Tensor xg = Tensor.randn(new Rng(5), 1, 1, 3, 8).requiresGrad(true);
        Tensor y = r.apply(xg, 2);
        assertEquals("rope", y.op());
        float[] w = Tensor.randn(new Rng(6), 24).toArray();
        y.backward(w);
        Tensor back = r.apply(Tensor.wrap(xg.grad().toArray(), 1, 1, 3, 8), 2);     // rotating the gradient forward again gives w
        assertArrayEquals(w, back.toArray(), 1e-5f);
    }

    /** applyHeads on (B, T, n·d) is apply on the split heads (B, n, T, d); its gradient checks. */
    @Test void applyHeadsIsApplyOnSplitHeads() {
        Tensor x = Tensor.randn(new Rng(7), 2, 5, 3 * 8).requiresGrad(true);
        Tensor split = x.reshape(2, 5, 3, 8).transpose(1, 2);
        Tensor want = rope.apply(split, 4).transpose(1, 2).reshape(2, 5, 24);
        assertArrayEquals(want.toArray(), rope.applyHeads(x, 3, 4).toArray(), 0f);
        GradCheck.Report r = GradCheck.check(t -> rope.applyHeads(t[0], 3, 4), x);
        assertTrue(r.ok(), r.toString());
    }
}
