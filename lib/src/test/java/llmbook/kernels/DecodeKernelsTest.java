package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The grouped attention kernels (MHA/GQA/MQA, d_v ≠ d_k), the decoding kernel and the one-row matmul: vector against
 * scalar twin, 1 thread against 2 (same bits), and the switch {@link Kernels#useVector} honoured.
 */
class DecodeKernelsTest {
    @AfterEach
    void restore() {
        Kernels.setThreads(Runtime.getRuntime().availableProcessors());
        Kernels.useVector(true);
    }

    static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    static void close(String what, float[] want, float[] got, float tol) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++)
            assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + " at " + i);
    }

    /** Grouped forward + backward: vector == scalar twin, for G = H, 2, 1 and d_v ≠ d_k; two threads give the same bits as one. */
    @Test
    void groupedEqualsScalarAndIgnoresTheThreadCount() {
        Random r = new Random(1);
        int B = 2, H = 4, T = 13;
        for (int[] gdd : new int[][] {{4, 8, 8}, {2, 8, 8}, {1, 8, 8}, {4, 12, 8}, {1, 20, 16}}) {
            int G = gdd[0], dk = gdd[1], dv = gdd[2];
            float scale = (float) (1 / Math.sqrt(dk));
            float[] q = rand(r, B * H * T * dk), k = rand(r, B * G * T * dk), v = rand(r, B * G * T * dv), g = rand(r, B * H * T * dv);
            float[][] res = new float[3][];
            String what = "G=" + G + " dk=" + dk + " dv=" + dv;
            for (int run = 0; run < 3; run++) {          // 0: scalar, 1: vector 1 thread, 2: vector 2 threads
                Kernels.setThreads(run == 2 ? 2 : 1);
                float[] out = new float[B * H * T * dv], lse = new float[B * H * T];
                float[] dq = new float[q.length], dK = new float[k.length], dV = new float[v.length];
                if (run == 0) {
                    Attention.groupedForwardScalar(B, H, G, T, dk, dv, scale, out, lse, q, 0, k, 0, v, 0);
                    Attention.groupedBackwardScalar(B, H, G, T, dk, dv, scale, dq, dK, dV, g, q, 0, k, 0, v, 0, out, lse);
                } else {
                    Attention.groupedForward(B, H, G, T, dk, dv, scale, out, lse, q, 0, k, 0, v, 0);
                    Attention.groupedBackward(B, H, G, T, dk, dv, scale, dq, dK, dV, g, q, 0, k, 0, v, 0, out, lse);
                }
                res[run] = concat(out, lse, dq, dK, dV);
            }
            close(what + " vector vs scalar", res[0], res[1], 1e-4f);
            assertArrayEquals(res[1], res[2], what + ": 2 threads differ from 1");
        }
    }

    /**
     * The grouped kernels reading q, k, v in place from one packed (B, T, (H + 2G)·d) array and writing out and the
     * gradients at column layouts give the bits of the head-major kernels on contiguous copies, vector and scalar twin;
     * a layout reaching past its array is refused with the operand's name.
     */
    @Test
    void columnLayoutsGiveTheBitsOfHeadMajorCopies() {
        Random r = new Random(5);
        int B = 3, H = 4, T = 21;
        for (boolean vector : new boolean[] {true, false})
            for (int[] gd : new int[][] {{4, 8}, {2, 16}, {1, 8}}) {
                Kernels.useVector(vector);
                int G = gd[0], d = gd[1], w = (H + 2 * G) * d, qCol = 0, kCol = H * d, vCol = (H + G) * d;
                float[] x = rand(r, B * T * w + 5), g = rand(r, B * T * H * d);
                float scale = 0.3f;
                float[] qh = heads(x, 5, T, w, qCol, B, H, d), kh = heads(x, 5, T, w, kCol, B, G, d), vh = heads(x, 5, T, w, vCol, B, G, d);
                float[] gh = heads(g, 0, T, H * d, 0, B, H, d);
                float[] out = new float[B * H * T * d], lse = new float[B * H * T], dq = new float[qh.length], dK = new float[kh.length], dV = new float[vh.length];
                Attention.groupedForward(B, H, G, T, d, d, scale, out, lse, qh, 0, kh, 0, vh, 0);
                Attention.groupedBackward(B, H, G, T, d, d, scale, dq, dK, dV, gh, qh, 0, kh, 0, vh, 0, out, lse);

                Attention.Layout ly = Attention.Layout.columns(0, T * H * d, H * d, d);
                Attention.Layout lq = Attention.Layout.columns(5 + qCol, T * w, w, d), lk = Attention.Layout.columns(5 + kCol, T * w, w, d),
                        lv = Attention.Layout.columns(5 + vCol, T * w, w, d);
                float[] y = new float[B * T * H * d], lse2 = new float[B * H * T], gx = new float[B * T * w];
                Attention.groupedForward(B, H, G, T, d, d, scale, y, ly, lse2, x, lq, x, lk, x, lv);
                Attention.groupedBackward(B, H, G, T, d, d, scale, gx, Attention.Layout.columns(qCol, T * w, w, d), gx,
                        Attention.Layout.columns(kCol, T * w, w, d), gx, Attention.Layout.columns(vCol, T * w, w, d), g, ly,
                        x, lq, x, lk, x, lv, y, ly, lse2);
                String what = (vector ? "vector" : "scalar") + " G=" + G + " d=" + d;
                assertArrayEquals(out, heads(y, 0, T, H * d, 0, B, H, d), what + " out");
                assertArrayEquals(lse, lse2, what + " lse");
                assertArrayEquals(dq, heads(gx, 0, T, w, qCol, B, H, d), what + " dq");
                assertArrayEquals(dK, heads(gx, 0, T, w, kCol, B, G, d), what + " dK");
                assertArrayEquals(dV, heads(gx, 0, T, w, vCol, B, G, d), what + " dV");
            }
        Kernels.useVector(true);
        float[] x = new float[2 * 5 * 24], y = new float[2 * 5 * 8], lse = new float[2 * 5];
        Attention.Layout lq = Attention.Layout.columns(0, 5 * 24, 24, 8);
        var e = assertThrows(IllegalArgumentException.class, () -> Attention.groupedForward(2, 1, 1, 5, 8, 8, 1f, y,
                Attention.Layout.columns(0, 5 * 8, 8, 8), lse, x, lq, x, Attention.Layout.columns(16, 5 * 24, 24, 8), x,
                Attention.Layout.columns(17, 5 * 24, 24, 8)));
        assertTrue(e.getMessage().contains("v (B×heads×T×d=2×1×5×8)") && e.getMessage().contains("240"), e.getMessage());
    }

    /**
     * A whole head's backward with T a multiple of 4 and whole-vector widths keeps every row's probabilities and sums
     * dK, dV afterwards in registers; it gives the bits of the row-block-by-row-block sums, on top of existing
     * gradients too, for MHA and GQA, at the packed column layout and on 1 and 2 threads.
     */
    @Test
    void keptRowsBackwardGivesTheBitsOfRowBlockSums() {
        Random r = new Random(9);
        int B = 2, H = 4, L = Vec.L;
        try {
            for (int[] gtd : new int[][] {{4, 16, L}, {2, 32, 2 * L}, {1, 8, 3 * L}, {2, 128, 2 * L}}) {
                int G = gtd[0], T = gtd[1], d = gtd[2], w = (H + 2 * G) * d;
                float[] x = rand(r, B * T * w), g = rand(r, B * T * H * d), start = rand(r, B * T * w);
                Attention.Layout ly = Attention.Layout.columns(0, T * H * d, H * d, d);
                Attention.Layout lq = Attention.Layout.columns(0, T * w, w, d), lk = Attention.Layout.columns(H * d, T * w, w, d),
                        lv = Attention.Layout.columns((H + G) * d, T * w, w, d);
                float[] y = new float[B * T * H * d], lse = new float[B * H * T];
                Attention.groupedForward(B, H, G, T, d, d, 0.2f, y, ly, lse, x, lq, x, lk, x, lv);
                float[][] gx = new float[3][];
                for (int run = 0; run < 3; run++) {          // 0: row blocks, 1: kept rows, 2: kept rows on 2 threads
                    AttentionVector.keepRows = run > 0;
                    Kernels.setThreads(run == 2 ? 2 : 1);
                    gx[run] = start.clone();                 // gradients that already hold something: added to
                    Attention.groupedBackward(B, H, G, T, d, d, 0.2f, gx[run], lq, gx[run], lk, gx[run], lv, g, ly,
                            x, lq, x, lk, x, lv, y, ly, lse);
                }
                String what = "G=" + G + " T=" + T + " d=" + d;
                assertArrayEquals(gx[0], gx[1], what + ": kept rows differ from row blocks");
                assertArrayEquals(gx[1], gx[2], what + ": 2 threads differ from 1");
                assertTrue(!java.util.Arrays.equals(gx[0], start), what + ": nothing was added");
            }
        } finally {
            AttentionVector.keepRows = true;
        }
    }

    /**
     * Writing new gradients (accumulate = false) over garbage gives the bits of adding into zeros, for the kept-rows and
     * the row-block backward, MHA and GQA (the group's later heads add to what its first head wrote), vector and
     * scalar twin, on the packed column layout where the three parts cover every column.
     */
    @Test
    void writingNewGradientsEqualsAddingIntoZeros() {
        Random r = new Random(10);
        int B = 2, H = 4, L = Vec.L;
        for (boolean vector : new boolean[] {true, false})
            for (int[] gtd : new int[][] {{4, 16, L}, {2, 32, 2 * L}, {1, 13, 8}, {2, 9, L}}) {
                Kernels.useVector(vector);
                int G = gtd[0], T = gtd[1], d = gtd[2], w = (H + 2 * G) * d;
                float[] x = rand(r, B * T * w), g = rand(r, B * T * H * d);
                Attention.Layout ly = Attention.Layout.columns(0, T * H * d, H * d, d);
                Attention.Layout lq = Attention.Layout.columns(0, T * w, w, d), lk = Attention.Layout.columns(H * d, T * w, w, d),
                        lv = Attention.Layout.columns((H + G) * d, T * w, w, d);
                float[] y = new float[B * T * H * d], lse = new float[B * H * T];
                Attention.groupedForward(B, H, G, T, d, d, 0.2f, y, ly, lse, x, lq, x, lk, x, lv);
                float[] added = new float[B * T * w], written = rand(r, B * T * w);       // zeros / garbage
                Attention.groupedBackward(B, H, G, T, d, d, 0.2f, added, lq, added, lk, added, lv, g, ly, x, lq, x, lk, x, lv, y, ly, lse);
                Attention.groupedBackward(B, H, G, T, d, d, 0.2f, written, lq, written, lk, written, lv, g, ly, x, lq, x, lk, x, lv, y, ly, lse, false);
                assertArrayEquals(added, written, (vector ? "vector" : "scalar") + " G=" + G + " T=" + T + " d=" + d);
            }
        Kernels.useVector(true);
    }

    /** Heads n of width d from column col of rows (width w, from off) of B sequences of T, as (B, n, T, d). */
    private static float[] heads(float[] a, int off, int T, int w, int col, int B, int n, int d) {
        float[] h = new float[B * n * T * d];
        for (int b = 0; b < B; b++)
            for (int i = 0; i < n; i++)
                for (int t = 0; t < T; t++) System.arraycopy(a, off + (b * T + t) * w + col + i * d, h, ((b * n + i) * T + t) * d, d);
        return h;
    }

    /** With G = H, each (b, h) of the grouped kernel is exactly the one-head kernel: the group sum is over one head. */
    @Test
    void groupedWithAllHeadsIsThePerHeadKernel() {
        Random r = new Random(2);
        int B = 2, H = 3, T = 9, d = 8, n = B * H * T * d;
        float[] q = rand(r, n), k = rand(r, n), v = rand(r, n);
        float[] out = new float[n], lse = new float[B * H * T], out2 = new float[n], lse2 = new float[B * H * T];
        Attention.groupedForward(B, H, H, T, d, d, 0.3f, out, lse, q, 0, k, 0, v, 0);
        Attention.causalForwardHeads(B * H, out2, 0, lse2, 0, q, 0, k, 0, v, 0, T, d, 0.3f);
        assertArrayEquals(out2, out);
        assertArrayEquals(lse2, lse);
    }

    /** Decoding: Tq new queries at positions start … against a cache of capacity cap; equals the full causal kernel's last rows. */
    @Test
    void cachedEqualsTheLastRowsOfTheCausalKernel() {
        Random r = new Random(3);
        int B = 2, H = 4, G = 2, T = 11, dk = 12, dv = 8, cap = 16;
        float scale = 0.25f;
        float[] q = rand(r, B * H * T * dk), k = rand(r, B * G * T * dk), v = rand(r, B * G * T * dv);
        float[] full = new float[B * H * T * dv], lse = new float[B * H * T];
        Attention.groupedForwardScalar(B, H, G, T, dk, dv, scale, full, lse, q, 0, k, 0, v, 0);
        // the cache is feature-major (B, G, rows, cap), with ldk = dk + 3, ldv = dv + 1 feature rows (the extra ones and
        // the positions past T hold noise the kernel must not read)
        int ldk = dk + 3, ldv = dv + 1;
        float[] kc = rand(r, B * G * cap * ldk), vc = rand(r, B * G * cap * ldv);
        for (int u = 0; u < B * G; u++)
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < dk; c++) kc[(u * ldk + c) * cap + t] = k[(u * T + t) * dk + c];
                for (int c = 0; c < dv; c++) vc[(u * ldv + c) * cap + t] = v[(u * T + t) * dv + c];
            }
        for (int tq : new int[] {1, 3}) {
            int start = T - tq;
            float[] qn = new float[B * H * tq * dk], want = new float[B * H * tq * dv];
            for (int bh = 0; bh < B * H; bh++) {
                System.arraycopy(q, (bh * T + start) * dk, qn, bh * tq * dk, tq * dk);
                System.arraycopy(full, (bh * T + start) * dv, want, bh * tq * dv, tq * dv);
            }
            float[] sc = new float[want.length], ve = new float[want.length], ve2 = new float[want.length];
            Attention.cachedForwardScalar(B, H, G, tq, start, dk, dv, scale, sc, qn, 0, kc, 0, ldk, vc, 0, ldv, cap);
            Kernels.setThreads(1);
            Attention.cachedForward(B, H, G, tq, start, dk, dv, scale, ve, qn, 0, kc, 0, ldk, vc, 0, ldv, cap);
            Kernels.setThreads(2);
            Attention.cachedForward(B, H, G, tq, start, dk, dv, scale, ve2, qn, 0, kc, 0, ldk, vc, 0, ldv, cap);
            close("scalar decode vs full, Tq=" + tq, want, sc, 1e-5f);
            close("vector decode vs scalar, Tq=" + tq, sc, ve, 1e-5f);
            assertArrayEquals(ve, ve2, "2 threads differ from 1");
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Attention.cachedForward(B, H, G, 2, 15, dk, dv, scale,
                new float[B * H * 2 * dv], new float[B * H * 2 * dk], 0, kc, 0, ldk, vc, 0, ldv, cap));
        assertTrue(e.getMessage().contains("exceed the cache capacity 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Attention.groupedForward(B, 4, 3, T, dk, dv, scale, full, lse, q, 0, k, 0, v, 0));
        assertTrue(e.getMessage().contains("G=3 must divide query heads H=4"), e.getMessage());
    }

    /**
     * An encoder's padded attention: vector == scalar twin, 1 thread == 2 threads (same bits), for G = H, 2, 1 and
     * d_v ≠ d_k; a padding row attends to the real keys only, so changing the padded keys and values changes nothing.
     */
    @Test
    void paddedEqualsScalarAndIgnoresPadding() {
        Random r = new Random(6);
        int B = 3, H = 4, T = 21;
        int[] lengths = {21, 5, 17};
        for (int[] gdd : new int[][] {{4, 8, 8}, {2, 32, 32}, {1, 12, 8}, {4, 16, 16}}) {
            int G = gdd[0], dk = gdd[1], dv = gdd[2];
            float scale = (float) (1 / Math.sqrt(dk));
            float[] q = rand(r, B * H * T * dk), k = rand(r, B * G * T * dk), v = rand(r, B * G * T * dv);
            float[] want = new float[B * H * T * dv], one = new float[want.length], two = new float[want.length], moved = new float[want.length];
            Attention.paddedForwardScalar(B, H, G, T, dk, dv, scale, want, q, 0, k, 0, v, 0, lengths);
            Kernels.setThreads(1);
            Attention.paddedForward(B, H, G, T, dk, dv, scale, one, q, 0, k, 0, v, 0, lengths);
            Kernels.setThreads(2);
            Attention.paddedForward(B, H, G, T, dk, dv, scale, two, q, 0, k, 0, v, 0, lengths);
            String what = "G=" + G + " dk=" + dk + " dv=" + dv;
            close(what + " vector vs scalar", want, one, 1e-4f);
            assertArrayEquals(one, two, what + ": 2 threads differ from 1");
            for (int b = 0; b < B; b++)                   // new padding keys and values: the output must not move
                for (int g = 0; g < G; g++)
                    for (int t = lengths[b]; t < T; t++) {
                        for (int c = 0; c < dk; c++) k[((b * G + g) * T + t) * dk + c] = 1e3f;
                        for (int c = 0; c < dv; c++) v[((b * G + g) * T + t) * dv + c] = Float.NaN;
                    }
            Attention.paddedForward(B, H, G, T, dk, dv, scale, moved, q, 0, k, 0, v, 0, lengths);
            assertArrayEquals(one, moved, what + ": the padding leaked in");
        }
        assertThrows(IllegalArgumentException.class, () -> Attention.paddedForward(1, 2, 2, 4, 8, 8, 1f, new float[64], new float[64], 0,
                new float[64], 0, new float[64], 0, new int[] {5}));
    }

    /** A ragged row: vector == scalar twin, 1 thread == 2 threads, and each sequence equals the padded kernel on it alone. */
    @Test
    void segmentedEqualsScalarAndThePaddedKernel() {
        Random r = new Random(7);
        int H = 4, G = 2, dk = 16, dv = 8;
        int[] lengths = {7, 1, 19, 33};
        int T = 60;
        float scale = 0.25f;
        float[] q = rand(r, H * T * dk), k = rand(r, G * T * dk), v = rand(r, G * T * dv);
        float[] want = new float[H * T * dv], one = new float[want.length], two = new float[want.length];
        Attention.segmentedForwardScalar(H, G, T, dk, dv, scale, want, q, 0, k, 0, v, 0, lengths);
        Kernels.setThreads(1);
        Attention.segmentedForward(H, G, T, dk, dv, scale, one, q, 0, k, 0, v, 0, lengths);
        Kernels.setThreads(2);
        Attention.segmentedForward(H, G, T, dk, dv, scale, two, q, 0, k, 0, v, 0, lengths);
        close("segmented vector vs scalar", want, one, 1e-4f);
        assertArrayEquals(one, two, "2 threads differ from 1");
        for (int s = 0, r0 = 0; s < lengths.length; r0 += lengths[s++]) {      // sequence s alone, as a batch of one
            int n = lengths[s];
            float[] qs = new float[H * n * dk], ks = new float[G * n * dk], vs = new float[G * n * dv], os = new float[H * n * dv];
            for (int h = 0; h < H; h++) System.arraycopy(q, (h * T + r0) * dk, qs, h * n * dk, n * dk);
            for (int g = 0; g < G; g++) {
                System.arraycopy(k, (g * T + r0) * dk, ks, g * n * dk, n * dk);
                System.arraycopy(v, (g * T + r0) * dv, vs, g * n * dv, n * dv);
            }
            Attention.paddedForward(1, H, G, n, dk, dv, scale, os, qs, 0, ks, 0, vs, 0, null);
            for (int h = 0; h < H; h++)
                for (int i = 0; i < n * dv; i++) assertEquals(os[h * n * dv + i], one[(h * T + r0) * dv + i], 0f, "sequence " + s);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Attention.segmentedForward(H, G, T, dk, dv, scale, one, q, 0, k, 0, v, 0, new int[] {7, 1}));
        assertTrue(e.getMessage().contains("add up to 8"), e.getMessage());
    }

    /** matvec and the m = 1 matmul (both transposes, accumulate) equal the scalar triple loop. */
    @Test
    void oneRowMatmulIsAMatvec() {
        Random r = new Random(4);
        for (int[] kn : new int[][] {{1, 1}, {7, 5}, {64, 192}, {128, 50000 / 10}, {768, 1024}}) {
            int k = kn[0], n = kn[1];
            float[] x = rand(r, k + 2), w = rand(r, n * k + 1), wt = rand(r, k * n);
            float[] want = new float[n], got = new float[n], got2 = new float[n];
            MatMul.matvecScalar(want, 0, w, 1, x, 2, n, k);
            MatMul.matvec(got, 0, w, 1, x, 2, n, k);
            close("matvec k=" + k + " n=" + n, want, got, 1e-4f);
            float[] c = rand(r, n), c2 = c.clone();
            MatMul.matmulScalar(c, 0, x, 2, w, 1, 1, k, n, false, true, true);       // x·Wᵀ, accumulating
            MatMul.matmul(c2, 0, x, 2, w, 1, 1, k, n, false, true, true);
            close("1-row x·Wᵀ (+=) k=" + k + " n=" + n, c, c2, 1e-4f);
            MatMul.matmulScalar(want, 0, x, 2, wt, 0, 1, k, n, true, false, false);   // x·W, A stored k×1
            Kernels.setThreads(1);
            MatMul.matmul(got, 0, x, 2, wt, 0, 1, k, n, true, false, false);
            Kernels.setThreads(2);
            MatMul.matmul(got2, 0, x, 2, wt, 0, 1, k, n, true, false, false);
            close("1-row x·W k=" + k + " n=" + n, want, got, 1e-4f);
            assertArrayEquals(got, got2, "2 threads differ from 1");
        }
    }

    /**
     * A linear layer on one token adds its bias as each row is stored: the same bits as matvec then adding the bias,
     * on every row-block path (eights, fours, single rows) and at 1 and 2 threads; the scalar twin agrees.
     */
    @Test
    void matvecWithBiasIsMatvecThenBias() {
        Random r = new Random(9);
        for (int[] kn : new int[][] {{16, 8}, {128, 384}, {128, 13}, {512, 128}, {33, 21}, {128, 65}, {256, 4096}}) {
            int k = kn[0], n = kn[1];
            float[] x = rand(r, k), w = rand(r, n * k), bias = rand(r, n + 3);
            float[] want = new float[n], got = new float[n], scalar = new float[n];
            for (int threads : new int[] {1, 2}) {
                Kernels.setThreads(threads);
                MatMul.matvec(want, 0, w, 0, x, 0, n, k);
                for (int j = 0; j < n; j++) want[j] += bias[3 + j];
                MatMul.matvec(got, 0, w, 0, x, 0, n, k, bias, 3);
                assertArrayEquals(want, got, "k=" + k + " n=" + n + ", " + threads + " thread(s)");
            }
            MatMul.matvecScalar(scalar, 0, w, 0, x, 0, n, k, bias, 3);
            close("scalar twin k=" + k + " n=" + n, scalar, got, 1e-4f);
        }
        assertThrows(IllegalArgumentException.class, () -> MatMul.matvec(new float[8], 0, new float[64], 0, new float[8], 0, 8, 8, new float[7], 0));
    }

    /**
     * A packed weight: the vector product equals its scalar twin bit for bit (each output sums in input order, one
     * fma per term) at 1 and 2 threads, packing is the same layout in both modes, and the result is the plain
     * matvec's up to rounding — on shapes with ragged last panels (n = 65, 13, 21 …), with and without a bias.
     */
    @Test
    void packedMatvecEqualsItsScalarTwinAndThePlainProduct() {
        Random r = new Random(11);
        for (int[] kn : new int[][] {{16, 8}, {128, 384}, {128, 13}, {512, 128}, {33, 21}, {128, 65}, {5, 100}, {128, 4096}, {64, 1}}) {
            int k = kn[0], n = kn[1];
            float[] x = rand(r, k + 2), w = rand(r, n * k + 1), bias = rand(r, n + 3);
            String what = "k=" + k + " n=" + n;
            MatMul.Packed p = MatMul.pack(w, 1, n, k);
            Kernels.useVector(false);
            MatMul.Packed ps = MatMul.pack(w, 1, n, k);
            Kernels.useVector(true);
            assertArrayEquals(ps.panels(), p.panels(), what + ": scalar packing differs");
            for (float[] b : new float[][] {null, bias}) {
                float[] plain = new float[n], scalar = new float[n + 1];
                MatMul.matvec(plain, 0, w, 1, x, 2, n, k, b, 3);
                MatMul.matvecScalar(scalar, 1, p, x, 2, b, 3);
                for (int threads : new int[] {1, 2}) {
                    Kernels.setThreads(threads);
                    float[] got = new float[n + 1];
                    MatMul.matvec(got, 1, p, x, 2, b, 3);
                    assertArrayEquals(scalar, got, what + (b == null ? "" : " + bias") + ", " + threads + " thread(s): not the scalar twin's bits");
                }
                close(what + " packed vs plain", plain, java.util.Arrays.copyOfRange(scalar, 1, n + 1), 1e-4f);
            }
        }
        MatMul.Packed p = MatMul.pack(new float[64], 0, 8, 8);
        assertThrows(IllegalArgumentException.class, () -> MatMul.matvec(new float[7], 0, p, new float[8], 0, null, 0));
        assertThrows(IllegalArgumentException.class, () -> MatMul.matvec(new float[8], 0, p, new float[8], 0, new float[7], 0));
        assertThrows(IllegalArgumentException.class, () -> MatMul.pack(new float[63], 0, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> new MatMul.Packed(new float[64], 8, 8));
    }

    /**
     * A matmul x·Wᵀ that reads W's packed panels instead of packing W gives the plain matmul's bits: row slabs,
     * column slabs, ragged last panels, dot-product tail columns, k past one packed block (then the panels are not
     * used), 1 and 2 threads, overwrite and accumulate.
     */
    @Test
    void matmulOnPackedWeightsHasThePlainBits() {
        Random r = new Random(12);
        int[][] mkn = {{2, 16, 8}, {64, 128, 384}, {64, 128, 65}, {208, 128, 128}, {9, 33, 21}, {300, 512, 128}, {40, 128, 1000},
                {16, 1024, 64}, {128, 64, 33}, {2048, 128, 512}};
        for (int[] d : mkn) {
            int m = d[0], k = d[1], n = d[2];
            float[] a = rand(r, m * k + 1), w = rand(r, n * k + 2), c0 = rand(r, m * n + 3);
            MatMul.Packed p = MatMul.pack(w, 2, n, k);
            for (boolean acc : new boolean[] {false, true})
                for (int threads : new int[] {1, 2}) {
                    Kernels.setThreads(threads);
                    float[] want = c0.clone(), got = c0.clone();
                    MatMul.matmul(want, 3, a, 1, w, 2, m, k, n, false, true, acc);
                    MatMul.matmul(got, 3, a, 1, w, 2, p, m, acc);
                    assertArrayEquals(want, got, "m=" + m + " k=" + k + " n=" + n + (acc ? " +=" : "") + ", " + threads + " thread(s)");
                }
        }
        assertThrows(IllegalArgumentException.class, () -> MatMul.matmul(new float[8], 0, new float[16], 0, new float[64], 0, MatMul.pack(new float[64], 0, 8, 8), 3, false));
    }

    /** Off, the switch sends every new entry point to its scalar twin (same bits). */
    @Test
    void useVectorOffRunsTheScalarTwins() {
        Random r = new Random(5);
        float[] w = rand(r, 40 * 33), x = rand(r, 33), a = new float[40], b = new float[40];
        Kernels.useVector(false);
        MatMul.matvec(a, 0, w, 0, x, 0, 40, 33);
        MatMul.matvecScalar(b, 0, w, 0, x, 0, 40, 33);
        assertArrayEquals(b, a);
        assertEquals(Blas.dotScalar(w, 0, x, 0, 33), Blas.dot(w, 0, x, 0, 33), 0f);
        int B = 1, H = 2, G = 1, T = 5, d = 4;
        float[] q = rand(r, B * H * T * d), k = rand(r, T * d), v = rand(r, T * d);
        float[] o1 = new float[B * H * T * d], o2 = new float[o1.length], l1 = new float[B * H * T], l2 = new float[B * H * T];
        Attention.groupedForward(B, H, G, T, d, d, 0.5f, o1, l1, q, 0, k, 0, v, 0);
        Attention.groupedForwardScalar(B, H, G, T, d, d, 0.5f, o2, l2, q, 0, k, 0, v, 0);
        assertArrayEquals(o2, o1);
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, out, at, p.length); at += p.length; }
        return out;
    }
}
