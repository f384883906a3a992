package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The vector matmul against its scalar twin on awkward shapes, every transpose/accumulate combination, 1 and 2 threads. */
class MatMulTest {
    /** m, k, n: odd sizes, sizes not divisible by 8/16/32, and sizes crossing the KC (512), MC (64) and NC (1024) blocks. */
    static final int[][] SHAPES = {
            {1, 1, 1}, {3, 7, 17}, {17, 31, 33}, {33, 127, 7}, {127, 3, 31}, {7, 257, 1}, {1, 33, 257},
            {31, 17, 127}, {65, 129, 65}, {257, 33, 127}, {129, 300, 47}, {40, 520, 33}, {9, 5, 1031}, {130, 257, 257},
            {40, 520, 300}, {300, 60, 130}, {70, 50, 65}, {33, 40, 98}, {20, 1100, 40}, // big enough (≥ 2^21 multiply-adds, slabs ≥ 128) that two threads split columns / rows
    };

    @AfterEach
    void restore() { Kernels.setThreads(Runtime.getRuntime().availableProcessors()); Kernels.useVector(true); }

    static float[] rand(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.abs(a[i]);
        return r;
    }

    /**
     * Tolerance for sums of k products in a different order: each float sum of k terms is within
     * γ_k·Σ|a||b| of the exact value (γ_k ≈ k·2⁻²⁴), so two orders differ by at most 2γ_k·Σ|a||b|.
     * We allow that bound (|A|·|B| computed with the scalar kernel) plus 1e-5 relative for the output's own rounding.
     */
    static void assertClose(String what, float[] want, float[] got, float[] absAB, float[] absC, int k) {
        double gamma = 2.0 * (k + 2) * Math.ulp(1f) / 2;
        for (int i = 0; i < want.length; i++) {
            double tol = 1e-5 * Math.abs(want[i]) + 2 * gamma * (absAB[i] + (absC == null ? 0 : absC[i])) + 1e-30;
            if (!(Math.abs(want[i] - got[i]) <= tol))
                fail(what + ": element " + i + " want " + want[i] + " got " + got[i] + " (tolerance " + tol + ")");
        }
    }

    @Test
    void vectorEqualsScalarOnAwkwardShapes() {
        Random rng = new Random(42);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = rand(rng, m * k + 3), b = rand(rng, k * n + 5), c0 = rand(rng, m * n + 2);
            for (int threads = 1; threads <= 2; threads++) {
                Kernels.setThreads(threads);
                for (int flags = 0; flags < 8; flags++) {
                    boolean tA = (flags & 1) != 0, tB = (flags & 2) != 0, acc = (flags & 4) != 0;
                    String what = "matmul m=" + m + " k=" + k + " n=" + n + " transA=" + tA + " transB=" + tB
                            + " accumulate=" + acc + " threads=" + threads;
                    float[] want = c0.clone(), got = c0.clone(), absAB = new float[m * n + 2];
                    MatMul.matmulScalar(want, 2, a, 3, b, 5, m, k, n, tA, tB, acc);
                    MatMul.matmul(got, 2, a, 3, b, 5, m, k, n, tA, tB, acc);
                    MatMul.matmulScalar(absAB, 2, abs(a), 3, abs(b), 5, m, k, n, tA, tB, false);
                    assertClose(what, want, got, absAB, acc ? abs(c0) : null, k);
                    assertTrue(got[0] == c0[0] && got[1] == c0[1], what + ": wrote before its offset");
                }
            }
        }
    }

    @Test
    void oneThreadIsBitwiseReproducibleAndTwoThreadsAgree() {
        Random rng = new Random(7);
        int m = 300, k = 301, n = 302;
        float[] a = rand(rng, m * k), b = rand(rng, k * n);
        float[] c1 = new float[m * n], c2 = new float[m * n], c3 = new float[m * n];
        Kernels.setThreads(1);
        MatMul.matmul(c1, 0, a, 0, b, 0, m, k, n, false, false, false);
        MatMul.matmul(c2, 0, a, 0, b, 0, m, k, n, false, false, false);
        assertArrayEquals(c1, c2, "threads=1 must be bitwise reproducible");
        Kernels.setThreads(2);
        MatMul.matmul(c3, 0, a, 0, b, 0, m, k, n, false, false, false);
        assertArrayEquals(c1, c3, "static splits give every element the same summation order");
    }

    /**
     * Rows shared out in chunks with stealing (two threads, rows the long side, k in one block) and the linear layer's
     * bias added chunk by chunk: the bits of one thread's product followed by a bias pass, for every transpose, with
     * accumulation, a ragged last chunk and a tail column; and the same as the scalar twin within rounding.
     */
    @Test
    void rowChunksAndTheFusedBiasGiveOneThreadsBits() {
        Random rng = new Random(11);
        for (int[] s : new int[][] {{2048, 128, 384}, {700, 96, 65}, {517, 200, 130}, {600, 64, 48}, {300, 40, 57}}) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = rand(rng, m * k), b = rand(rng, k * n), bias = rand(rng, n + 3);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                float[] c0 = rand(new Random(t), m * n), c1 = c0.clone();
                Kernels.setThreads(1);
                MatMul.matmul(c0, 0, a, 0, b, 0, m, k, n, transA, transB, true);
                Kernels.setThreads(2);
                MatMul.matmul(c1, 0, a, 0, b, 0, m, k, n, transA, transB, true);
                assertArrayEquals(c0, c1, "chunked " + m + "x" + k + "x" + n + " transA=" + transA + " transB=" + transB);
            }
            float[] y1 = new float[m * n], y2 = new float[m * n], y3 = new float[m * n];
            Kernels.setThreads(1);
            MatMul.matmul(y1, 0, a, 0, b, 0, m, k, n, false, true, false);
            for (int r = 0; r < m; r++) Blas.axpy(1f, bias, 3, y1, r * n, n);
            Kernels.setThreads(2);
            MatMul.linear(y2, 0, a, 0, b, 0, m, k, n, bias, 3);
            assertArrayEquals(y1, y2, "linear " + m + "x" + k + "x" + n + " with its bias");
            float[] y4 = new float[m * n];
            MatMul.linear(y4, 0, a, 0, b, 0, MatMul.pack(b, 0, n, k), m, k, n, bias, 3);
            assertArrayEquals(y1, y4, "linear " + m + "x" + k + "x" + n + " with W packed beforehand and its bias");
            Kernels.useVector(false);
            MatMul.linear(y3, 0, a, 0, b, 0, m, k, n, bias, 3);
            Kernels.useVector(true);
            for (int i = 0; i < y1.length; i++) assertEquals(y1[i], y3[i], 1e-3f * (1 + Math.abs(y1[i])), "scalar linear at " + i);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> MatMul.linear(new float[6], 0, new float[6], 0, new float[6], 0, 2, 3, 2, new float[1], 0));
        assertTrue(e.getMessage().contains("bias (out=2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatMul.linear(new float[6], 0, new float[6], 0, new float[6], 0,
                MatMul.pack(new float[6], 0, 3, 2), 2, 3, 2, null, 0));
        assertTrue(e.getMessage().contains("W is 2×3 but its packed copy is 3×2"), e.getMessage());
    }

    /**
     * A linear layer's backward in one region (dx, dw, db pieces shared out together) gives the bits of the three
     * separate calls, with dx written or added, any output left out, ragged k blocks and row chunks; a db too short is
     * refused by name.
     */
    @Test
    void linearBackwardInOneRegionGivesTheSeparateCallsBits() {
        Random rng = new Random(12);
        for (int[] s : new int[][] {{2048, 128, 384}, {2048, 512, 128}, {1232, 128, 128}, {600, 64, 96}}) {
            int rows = s[0], in = s[1], out = s[2];
            float[] dy = rand(rng, rows * out), x = rand(rng, rows * in + 2), w = rand(rng, out * in + 1);
            for (int variant = 0; variant < 4; variant++) {
                boolean dxAdd = variant == 1, noDx = variant == 2, noDb = variant == 3;
                float[] dx0 = rand(new Random(variant), rows * in), dw0 = rand(new Random(9), out * in), db0 = rand(new Random(8), out);
                float[] dx1 = dx0.clone(), dw1 = dw0.clone(), db1 = db0.clone();
                Kernels.setThreads(1);
                if (!noDx) MatMul.matmul(dx0, 0, dy, 0, w, 1, rows, out, in, false, false, dxAdd);
                MatMul.matmul(dw0, 0, dy, 0, x, 2, out, rows, in, true, false, true);
                if (!noDb) Blas.addRows(dy, 0, rows, out, db0, 0);
                Kernels.setThreads(2);
                MatMul.linearBackward(noDx ? null : dx1, dxAdd, dw1, noDb ? null : db1, dy, x, 2, w, 1, rows, in, out);
                String at = rows + "x" + in + "x" + out + " variant " + variant;
                assertArrayEquals(dx0, dx1, "dx " + at);
                assertArrayEquals(dw0, dw1, "dw " + at);
                assertArrayEquals(db0, db1, "db " + at);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> MatMul.linearBackward(new float[12], false, new float[12], new float[2],
                new float[12], new float[12], 0, new float[12], 0, 4, 3, 3));
        assertTrue(e.getMessage().contains("db (out=3)"), e.getMessage());
    }

    /**
     * When k is the longest dimension (a weight gradient Xᵀ·dY), two threads share out the k blocks and sum the
     * partial products in block order: the bits must equal one thread's, with every transpose, with accumulation,
     * and with a ragged last block and a tail column.
     */
    @Test
    void kSplitAgreesBitwiseWithOneThread() {
        Random rng = new Random(8);
        for (int[] s : new int[][] {{72, 1500, 100}, {40, 2048, 65}, {130, 1100, 33}}) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = rand(rng, m * k), b = rand(rng, k * n), c0 = rand(rng, m * n);
            for (int flags = 0; flags < 8; flags++) {
                boolean tA = (flags & 1) != 0, tB = (flags & 2) != 0, acc = (flags & 4) != 0;
                float[] c1 = c0.clone(), c2 = c0.clone(), want = c0.clone(), absAB = new float[m * n];
                Kernels.setThreads(1);
                MatMul.matmul(c1, 0, a, 0, b, 0, m, k, n, tA, tB, acc);
                Kernels.setThreads(2);
                MatMul.matmul(c2, 0, a, 0, b, 0, m, k, n, tA, tB, acc);
                String what = "k-split m=" + m + " k=" + k + " n=" + n + " transA=" + tA + " transB=" + tB + " accumulate=" + acc;
                assertArrayEquals(c1, c2, what + ": 2 threads differ from 1");
                MatMul.matmulScalar(want, 0, a, 0, b, 0, m, k, n, tA, tB, acc);
                MatMul.matmulScalar(absAB, 0, abs(a), 0, abs(b), 0, m, k, n, tA, tB, false);
                assertClose(what, want, c2, absAB, acc ? abs(c0) : null, k);
            }
        }
    }

    @Test
    void useVectorFalseRunsTheScalarTwin() {
        Random rng = new Random(9);
        int m = 40, k = 50, n = 60;
        float[] a = rand(rng, m * k), b = rand(rng, k * n), want = new float[m * n], got = new float[m * n];
        MatMul.matmulScalar(want, 0, a, 0, b, 0, m, k, n, false, true, false);
        Kernels.useVector(false);
        MatMul.matmul(got, 0, a, 0, b, 0, m, k, n, false, true, false);
        assertArrayEquals(want, got, "with the Vector API off, matmul is bitwise the scalar twin");
    }

    @Test
    void zeroSizedDimensions() {
        float[] c = {5, 5, 5, 5};
        MatMul.matmul(c, 0, new float[0], 0, new float[0], 0, 2, 0, 2, false, false, false);
        assertArrayEquals(new float[]{0, 0, 0, 0}, c, "k=0 overwrites with the empty sum");
        MatMul.matmul(new float[0], 0, new float[0], 0, new float[3], 0, 0, 3, 1, false, false, false);
    }

    @Test
    void badArgumentsNameTheKernelArrayAndSizes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MatMul.matmul(new float[6], 0, new float[5], 0, new float[6], 0, 2, 3, 2, false, false, false));
        assertTrue(e.getMessage().contains("MatMul.matmul") && e.getMessage().contains("array a") && e.getMessage().contains("6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatMul.matmul(new float[6], 0, new float[6], 0, new float[6], 0, -1, 3, 2, false, false, false));
        assertTrue(e.getMessage().contains("m must be >= 0") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatMul.matmulScalar(new float[4], 1, new float[4], 0, new float[4], 0, 2, 2, 2, false, false, false));
        assertTrue(e.getMessage().contains("MatMul.matmulScalar") && e.getMessage().contains("array c"), e.getMessage());
        float[] shared = new float[8];
        e = assertThrows(IllegalArgumentException.class,
                () -> MatMul.matmul(shared, 0, shared, 2, new float[4], 0, 2, 2, 2, false, false, false));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    }

    /** shapesOf reports this thread's products in order with their flags, and nothing once the body has returned. */
    @Test
    void shapesOfRecordsTheProductsOfItsBodyInOrder() {
        float[] a = new float[6 * 4], b = new float[4 * 5], c = new float[6 * 5];
        var shapes = MatMul.shapesOf(() -> {
            MatMul.matmul(c, 0, a, 0, b, 0, 6, 4, 5, false, false, false);
            MatMul.matmul(c, 0, a, 0, b, 0, 6, 4, 5, true, true, true);
            MatMul.matmulScalar(c, 0, a, 0, b, 0, 6, 4, 5, false, false, false);   // the twin is not the dispatcher: not seen
        });
        assertTrue(shapes.size() == 2, "two products, got " + shapes.size());
        assertArrayEquals(new int[] {6, 4, 5, 0, 0, 0}, shapes.get(0));
        assertArrayEquals(new int[] {6, 4, 5, 1, 1, 1}, shapes.get(1));
        var none = MatMul.shapesOf(() -> { });
        MatMul.matmul(c, 0, a, 0, b, 0, 6, 4, 5, false, false, false);
        assertTrue(none.isEmpty() && shapes.size() == 2, "calls after the body are not recorded");
        assertThrows(IllegalStateException.class, () -> MatMul.shapesOf(() -> { throw new IllegalStateException("body"); }));
        MatMul.matmul(c, 0, a, 0, b, 0, 6, 4, 5, false, false, false);
        assertTrue(shapes.size() == 2, "a body that throws stops the recording too");
    }
}
