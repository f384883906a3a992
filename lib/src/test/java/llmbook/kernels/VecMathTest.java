package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The lane-wise exp and tanh that replace lanewise(EXP/TANH) so that results do not depend on the JIT. */
class VecMathTest {
    private static float[] apply(boolean tanh, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i + Vec.L <= x.length; i += Vec.L) {
            FloatVector v = FloatVector.fromArray(Vec.S, x, i);
            (tanh ? Vec.tanh(v) : Vec.exp(v)).intoArray(y, i);
        }
        return y;
    }

    private static float[] grid(float lo, float hi, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * i / (n - 1);
        return x;
    }

    @Test
    void expIsWithinTwoUlpOfMathExpOverItsWholeRange() {
        float[] x = grid(-87f, 88f, 1 << 16);
        float[] y = apply(false, x);
        for (int i = 0; i < x.length; i++) {
            float ref = (float) Math.exp(x[i]);
            assertTrue(Math.abs(y[i] - ref) <= 2 * Math.ulp(ref), "exp(" + x[i] + ") = " + y[i] + ", Math.exp gives " + ref);
        }
    }

    @Test
    void expHandlesTheEdges() {
        float[] x = new float[Vec.L];
        float[] in = {Float.NEGATIVE_INFINITY, -1000f, -88f, 0f, 89f, Float.POSITIVE_INFINITY, Float.NaN, 1f};
        for (int i = 0; i < x.length; i++) x[i] = in[i % in.length];
        float[] y = apply(false, x);
        assertEquals(0f, y[0], "exp(-inf) = 0: masked attention scores vanish");
        assertEquals(0f, y[1]);
        assertEquals(0f, y[2], "below the smallest normal result, 0");
        assertEquals(1f, y[3]);
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertEquals(Float.POSITIVE_INFINITY, y[5]);
        assertTrue(Float.isNaN(y[6]), "NaN stays NaN, so anomaly mode still sees it");
        assertEquals((float) Math.E, y[7], Math.ulp((float) Math.E));
    }

    /** On arguments ≤ 0 (every float from −0 down to −∞, in steps of 2⁸ bit patterns, plus NaN) the one-blend exp has exp's bits. */
    @Test
    void expNonPositiveHasExpsBitsOnEveryNonPositiveFloat() {
        float[] x = new float[Vec.L], a = new float[Vec.L], b = new float[Vec.L];
        int filled = 0;
        for (long bits = 0x80000000L; bits <= 0xFF800000L + Vec.L; bits += 256) {
            x[filled++] = bits > 0xFF800000L ? (bits % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY) : Float.intBitsToFloat((int) bits);
            if (filled < Vec.L) continue;
            filled = 0;
            FloatVector v = FloatVector.fromArray(Vec.S, x, 0);
            Vec.exp(v).intoArray(a, 0);
            Vec.expNonPositive(v).intoArray(b, 0);
            for (int i = 0; i < Vec.L; i++)
                assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), "x = " + x[i]);
        }
        x[0] = 0f; x[1] = -0f; x[2] = -100f; x[3] = Float.NEGATIVE_INFINITY;
        Vec.expNonPositive(FloatVector.fromArray(Vec.S, x, 0)).intoArray(b, 0);
        assertEquals(1f, b[0]);
        assertEquals(1f, b[1]);
        assertEquals(0f, b[2]);
        assertEquals(0f, b[3]);
    }

    @Test
    void tanhIsCloseToMathTanhIncludingNearZero() {
        float[] x = grid(-12f, 12f, 1 << 16);
        float[] y = apply(true, x);
        for (int i = 0; i < x.length; i++) {
            double ref = Math.tanh(x[i]);
            assertTrue(Math.abs(y[i] - ref) <= 4 * Math.ulp((float) ref) + 1e-9, "tanh(" + x[i] + ") = " + y[i] + ", Math.tanh gives " + ref);
        }
        float[] tiny = new float[Vec.L];
        for (int i = 0; i < tiny.length; i++) tiny[i] = (i - Vec.L / 2) * 1e-6f;
        float[] t = apply(true, tiny);
        for (int i = 0; i < tiny.length; i++) assertEquals(tiny[i], t[i], Math.ulp(tiny[i]) * 2 + 1e-30f, "tanh(x) ≈ x near 0, no cancellation");
    }

    @Test
    void tanhHandlesTheEdges() {
        float[] x = new float[Vec.L];
        float[] in = {Float.NEGATIVE_INFINITY, -1000f, -44.4f, 44.4f, 50f, Float.POSITIVE_INFINITY, Float.NaN, -0f};
        for (int i = 0; i < x.length; i++) x[i] = in[i % in.length];
        float[] y = apply(true, x);
        assertEquals(-1f, y[0]);
        assertEquals(-1f, y[1]);
        assertEquals(-1f, y[2], "2|x| between exp's clamp and its overflow: still exactly -1");
        assertEquals(1f, y[3]);
        assertEquals(1f, y[4], "e^{2|x|} past float range: exactly 1, no NaN from inf/inf");
        assertEquals(1f, y[5]);
        assertTrue(Float.isNaN(y[6]), "NaN stays NaN");
        assertEquals(0f, y[7]);
    }

    @Test
    void sameBitsOnEveryCallFromColdToCompiled() {
        float[] x = grid(-20f, 20f, 4096);
        float[] first = apply(false, x), firstT = apply(true, x);
        for (int rep = 0; rep < 2000; rep++) apply(rep % 2 == 0, x); // let the JIT compile the loop
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(apply(false, x)));
        assertEquals(java.util.Arrays.toString(firstT), java.util.Arrays.toString(apply(true, x)));
    }
    /**
     * The softmax sums (attention rows, cross-entropy) fix their order: even-numbered vectors into one sum, odd ones into
     * another, the two added, their lanes added left to right, then the scalar tail. Every committed notebook depends on
     * those bits, so any rewrite of the loops (this one avoids boxed vectors, see Vec.expShift) must keep them.
     */
    @Test
    void expShiftKeepsItsSummationOrderForEveryLength() {
        java.util.Random rnd = new java.util.Random(11);
        for (int n = 0; n <= 6 * Vec.L + 5; n++) {
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 4);
            float shift = 9f;
            FloatVector even = FloatVector.zero(Vec.S), odd = FloatVector.zero(Vec.S);
            float[] want = new float[n];
            int i = 0;
            for (int v = 0; i + Vec.L <= n; i += Vec.L, v++) {
                FloatVector e = Vec.expNonPositive(FloatVector.fromArray(Vec.S, x, 3 + i).sub(shift));
                e.intoArray(want, i);
                if (v % 2 == 0) even = even.add(e); else odd = odd.add(e);
            }
            FloatVector both = even.add(odd);
            float sum = 0f;
            for (int l = 0; l < Vec.L; l++) sum += both.lane(l);
            for (; i < n; i++) { want[i] = (float) Math.exp(x[3 + i] - shift); sum += want[i]; }
            float[] y = new float[n + 2];
            float got = Vec.expShift(y, 2, x, 3, n, shift);
            assertEquals(Float.floatToIntBits(sum), Float.floatToIntBits(got), "sum, n = " + n);
            for (int j = 0; j < n; j++) assertEquals(Float.floatToIntBits(want[j]), Float.floatToIntBits(y[2 + j]), "y[" + j + "], n = " + n);
            assertEquals(Float.floatToIntBits(sum), Float.floatToIntBits(Vec.expShiftSum(x, 3, n, shift)), "expShiftSum, n = " + n);
        }
    }
    /**
     * The four-rows-at-once helpers of attention give the one-row functions' bits: max4 = max, expShiftLanes then
     * sumLanes4 = expShift (values and sum), dotLanes then sumLanes4 = dot; lengths that are not whole vectors are refused.
     */
    @Test
    void fourRowHelpersGiveTheOneRowBits() {
        java.util.Random r = new java.util.Random(4);
        int L = Vec.L, ld = 9 * L + 3;
        for (int n : new int[] {L, 2 * L, 4 * L, 5 * L, 8 * L}) {
            float[] x = new float[4 * ld];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 4;
            x[ld + 1] = Float.NEGATIVE_INFINITY;                         // a masked entry
            float[] max = new float[4], lanes = new float[4 * L], sums = new float[4];
            Vec.max4(x, 0, ld, n, max);
            float[] y = x.clone();
            for (int q = 0; q < 4; q++) {
                assertEquals(Vec.max(x, q * ld, n), max[q], "max row " + q + " n=" + n);
                Vec.expShiftLanes(y, q * ld, x, q * ld, n, max[q], lanes, q * L);
            }
            Vec.sumLanes4(lanes, sums);
            float[] z = x.clone();
            for (int q = 0; q < 4; q++) {
                float want = Vec.expShift(z, q * ld, x, q * ld, n, max[q]);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(sums[q]), "exp sum row " + q + " n=" + n);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(z, y, "exp values n=" + n);
            for (int q = 0; q < 4; q++) Vec.dotLanes(x, q * ld, y, (3 - q) * ld, n, lanes, q * L);
            Vec.sumLanes4(lanes, sums);
            for (int q = 0; q < 4; q++)
                assertEquals(Float.floatToRawIntBits(Vec.dot(x, q * ld, y, (3 - q) * ld, n)), Float.floatToRawIntBits(sums[q]), "dot row " + q + " n=" + n);
        }
        float[] x = new float[4 * 3 * L], lanes = new float[4 * L];
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Vec.dotLanes(x, 0, x, 0, L + 1, lanes, 0)).getMessage().contains("not a multiple"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Vec.expShiftLanes(x, 0, x, 0, L - 1, 0f, lanes, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Vec.max4(x, 0, L, 0, new float[4]));
    }
}
