package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fused attention against the scalar twin that materialises the T×T scores, forward and backward,
 * at awkward T and d, with 1 and 2 threads. Tolerance: 1e-5 relative plus an absolute 2γ_N·Σ|terms| bound
 * (γ_N ≈ N·2⁻²⁴, N = T·d) for sums taken in a different order: outputs are convex combinations of v rows
 * and gradients sums over up to T rows, each of magnitude ≲ 10 for these unit-Gaussian inputs.
 */
class AttentionTest {
    static final int[] TS = {1, 3, 7, 17, 31, 33, 127, 257};
    static final int[] DS = {1, 3, 16, 17, 32, 33};

    @AfterEach
    void restore() { Kernels.setThreads(Runtime.getRuntime().availableProcessors()); }

    static float[] rand(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    static void close(String what, float[] want, float[] got, double abs) {
        for (int i = 0; i < want.length; i++) {
            double tol = 1e-5 * Math.abs(want[i]) + abs;
            if (!(Math.abs(want[i] - got[i]) <= tol))
                fail(what + ": element " + i + " scalar " + want[i] + " fused " + got[i] + " (tolerance " + tol + ")");
        }
    }

    @Test
    void fusedEqualsMaterialised() {
        Random rng = new Random(11);
        for (int T : TS)
            for (int d : DS)
                for (int threads = 1; threads <= 2; threads++) {
                    if (T == 257 && d < 32 && threads == 2) continue; // keep the suite fast; big T runs with d ≥ 32
                    Kernels.setThreads(threads);
                    String at = " T=" + T + " d=" + d + " threads=" + threads;
                    int n = T * d, o = 1;
                    float scale = (float) (1 / Math.sqrt(d));
                    float[] q = rand(rng, n + o), k = rand(rng, n + o), v = rand(rng, n + o), g = rand(rng, n + o);
                    float[] outS = new float[n + o], outV = new float[n + o], lseS = new float[T + 2], lseV = new float[T + 2];
                    Attention.causalForwardScalar(outS, o, lseS, 2, q, o, k, o, v, o, T, d, scale);
                    Attention.causalForward(outV, o, lseV, 2, q, o, k, o, v, o, T, d, scale);
                    double abs = 2 * (T * d + 2) * Math.ulp(1f) / 2 * 10;
                    close("causalForward out" + at, outS, outV, abs);
                    close("causalForward lse" + at, lseS, lseV, abs);
                    float[] dq0 = rand(rng, n + o), dk0 = rand(rng, n + o), dv0 = rand(rng, n + o);
                    float[] dqS = dq0.clone(), dkS = dk0.clone(), dvS = dv0.clone(), dqV = dq0.clone(), dkV = dk0.clone(), dvV = dv0.clone();
                    Attention.causalBackwardScalar(dqS, o, dkS, o, dvS, o, g, o, q, o, k, o, v, o, outS, o, lseS, 2, T, d, scale);
                    Attention.causalBackward(dqV, o, dkV, o, dvV, o, g, o, q, o, k, o, v, o, outS, o, lseS, 2, T, d, scale);
                    close("causalBackward dq" + at, dqS, dqV, abs * T);
                    close("causalBackward dk" + at, dkS, dkV, abs * T);
                    close("causalBackward dv" + at, dvS, dvV, abs * T);
                }
    }

    @Test
    void oneThreadIsBitwiseReproducible() {
        Random rng = new Random(12);
        int T = 300, d = 32;
        float[] q = rand(rng, T * d), k = rand(rng, T * d), v = rand(rng, T * d), g = rand(rng, T * d);
        Kernels.setThreads(1);
        float[][] r = new float[2][];
        for (int run = 0; run < 2; run++) {
            float[] out = new float[T * d], lse = new float[T], dq = new float[T * d], dk = new float[T * d], dv = new float[T * d];
            Attention.causalForward(out, 0, lse, q, 0, k, 0, v, 0, T, d, 0.17f);
            Attention.causalBackward(dq, 0, dk, 0, dv, 0, g, 0, q, 0, k, 0, v, 0, out, 0, lse, T, d, 0.17f);
            float[] all = new float[4 * T * d];
            System.arraycopy(out, 0, all, 0, T * d);
            System.arraycopy(dq, 0, all, T * d, T * d);
            System.arraycopy(dk, 0, all, 2 * T * d, T * d);
            System.arraycopy(dv, 0, all, 3 * T * d, T * d);
            r[run] = all;
        }
        assertArrayEquals(r[0], r[1]);
    }

    /** The multi-head entry points: every head equals the scalar twin, and 1 and 2 threads give identical bits. */
    @Test
    void headsEqualScalarAndIgnoreTheThreadCount() {
        Random rng = new Random(13);
        for (int[] c : new int[][] {{5, 33, 17}, {3, 128, 32}, {1, 7, 3}}) {
            int H = c[0], T = c[1], d = c[2], n = H * T * d, o = 3;
            float scale = (float) (1 / Math.sqrt(d));
            String at = " heads=" + H + " T=" + T + " d=" + d;
            float[] q = rand(rng, n + o), k = rand(rng, n + o), v = rand(rng, n + o), g = rand(rng, n + o);
            float[] outS = new float[n + o], lseS = new float[H * T + 1];
            Attention.causalForwardHeads(H, outS, o, lseS, 1, q, o, k, o, v, o, T, d, scale);   // vector (the default)
            float[][] runs = new float[2][];
            for (int threads = 1; threads <= 2; threads++) {
                Kernels.setThreads(threads);
                float[] out = new float[n + o], lse = new float[H * T + 1];
                float[] dq = new float[n + o], dk = new float[n + o], dv = new float[n + o];
                Attention.causalForwardHeads(H, out, o, lse, 1, q, o, k, o, v, o, T, d, scale);
                Attention.causalBackwardHeads(H, dq, o, dk, o, dv, o, g, o, q, o, k, o, v, o, out, o, lse, 1, T, d, scale);
                float[] all = new float[4 * (n + o)];
                for (int i = 0; i < 4; i++) System.arraycopy(new float[][] {out, dq, dk, dv}[i], 0, all, i * (n + o), n + o);
                runs[threads - 1] = all;
            }
            assertArrayEquals(runs[0], runs[1], "1 vs 2 threads" + at);
            double abs = 2 * (T * d + 2) * Math.ulp(1f) / 2 * 10;
            for (int h = 0; h < H; h++) {
                int ho = o + h * T * d;
                float[] out1 = new float[T * d], lse1 = new float[T], dq1 = new float[T * d], dk1 = new float[T * d], dv1 = new float[T * d];
                Attention.causalForwardScalar(out1, 0, lse1, 0, q, ho, k, ho, v, ho, T, d, scale);
                Attention.causalBackwardScalar(dq1, 0, dk1, 0, dv1, 0, g, ho, q, ho, k, ho, v, ho, out1, 0, lse1, 0, T, d, scale);
                close("heads out h=" + h + at, out1, java.util.Arrays.copyOfRange(runs[0], ho, ho + T * d), abs);
                close("heads lse h=" + h + at, lse1, java.util.Arrays.copyOfRange(lseS, 1 + h * T, 1 + h * T + T), abs);
                int b = n + o;
                close("heads dq h=" + h + at, dq1, java.util.Arrays.copyOfRange(runs[0], b + ho, b + ho + T * d), abs * T);
                close("heads dk h=" + h + at, dk1, java.util.Arrays.copyOfRange(runs[0], 2 * b + ho, 2 * b + ho + T * d), abs * T);
                close("heads dv h=" + h + at, dv1, java.util.Arrays.copyOfRange(runs[0], 3 * b + ho, 3 * b + ho + T * d), abs * T);
            }
        }
    }
}
