package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import llmbook.tensor.Functional;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Blas#addRows} (a linear layer's bias gradient): the vector kernel, its scalar twin and the thread count agree to the bit. */
class BlasTest {
    @AfterEach
    void restore() {
        Kernels.setThreads(Runtime.getRuntime().availableProcessors());
        Kernels.useVector(true);
    }

    /** Row after row, in order, in float: the definition the kernel must reproduce bit for bit. */
    private static float[] reference(float[] x, int xo, int rows, int n, float[] y0) {
        float[] y = y0.clone();
        for (int r = 0; r < rows; r++) for (int j = 0; j < n; j++) y[j] += x[xo + r * n + j];
        return y;
    }

    @Test
    void addRowsHasTheBitsOfRowAfterRowForEveryWidthAndThreadCount() {
        Random rnd = new Random(3);
        int L = Vec.L;
        // widths around one vector, four vectors and the parallel cut; rows 0, 1 and enough to go parallel
        for (int n : new int[] {1, L - 1, L, L + 1, 4 * L - 1, 4 * L, 4 * L + 3, 9 * L + 5, 384, 513})
            for (int rows : new int[] {0, 1, 7, 2048}) {
                int xo = 5;
                float[] x = new float[xo + rows * n];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian() * (i % 7 == 0 ? 1e4f : 1f);  // mixed magnitudes: order matters
                float[] y0 = new float[n];
                for (int j = 0; j < n; j++) y0[j] = (float) rnd.nextGaussian();
                float[] want = reference(x, xo, rows, n, y0);
                for (int threads : new int[] {1, 2, 3}) {
                    Kernels.setThreads(threads);
                    float[] y = y0.clone();
                    Blas.addRows(x, xo, rows, n, y, 0);
                    assertArrayEquals(want, y, 0f, "vector, n=" + n + " rows=" + rows + " threads=" + threads);
                }
                float[] s = y0.clone();
                Blas.addRowsScalar(x, xo, rows, n, s, 0);
                assertArrayEquals(want, s, 0f, "scalar twin, n=" + n + " rows=" + rows);
            }
    }

    @Test
    void addRowsWritesOnlyItsColumnsAndRefusesBadSizes() {
        float[] x = new float[6 * 40], y = new float[50];
        java.util.Arrays.fill(x, 1f);
        java.util.Arrays.fill(y, -2f);
        Blas.addRows(x, 0, 6, 40, y, 3);
        for (int j = 0; j < 50; j++) assertTrue(y[j] == (j >= 3 && j < 43 ? 4f : -2f), "column " + j + ": " + y[j]);
        var e = assertThrows(IllegalArgumentException.class, () -> Blas.addRows(x, 0, 7, 40, y, 0));
        assertTrue(e.getMessage().contains("rows=7") && e.getMessage().contains("n=40"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Blas.addRows(x, 0, 6, 40, y, 20));
        assertThrows(IllegalArgumentException.class, () -> Blas.addRows(x, 0, -1, 40, y, 0));
    }

    @Test
    void useVectorOffRunsTheTwin() {
        float[] x = new float[3 * 17], y = new float[17], z = new float[17];
        for (int i = 0; i < x.length; i++) x[i] = i * 0.25f;
        Kernels.useVector(false);
        Blas.addRows(x, 0, 3, 17, y, 0);
        Kernels.useVector(true);
        Blas.addRows(x, 0, 3, 17, z, 0);
        assertArrayEquals(y, z, 0f);
    }

    /** Cross-entropy's backward splits its rows over the threads: each row is computed whole, so the gradient has the same bits. */
    @Test
    void crossEntropyGradientIgnoresTheThreadCount() {
        Random rnd = new Random(5);
        int rows = 2048, v = 65;
        float[] logits = new float[rows * v];
        int[] targets = new int[rows];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) rnd.nextGaussian() * 3f;
        for (int r = 0; r < rows; r++) targets[r] = r % 9 == 0 ? -1 : rnd.nextInt(v);
        float[][] grads = new float[2][];
        for (int t = 1; t <= 2; t++) {
            Kernels.setThreads(t);
            Tensor x = Tensor.of(logits.clone(), rows, v).requiresGrad(true);
            Tensor loss = Functional.crossEntropy(x, targets, -1);
            loss.backward();
            grads[t - 1] = x.grad().data().clone();
        }
        assertArrayEquals(grads[0], grads[1], 0f);
        assertTrue(grads[0][0] == 0f && grads[0][v - 1] == 0f, "row 0 is ignored: no gradient");
    }
    /**
     * sumOfSquares: the same double on 1, 2 and 3 threads (pieces summed in order), within 1e-12 of the one-chain sum
     * (gradient clipping's norm before), over arrays of ragged sizes, an empty one and one spanning many pieces.
     */
    @Test
    void sumOfSquaresIgnoresTheThreadCountAndMatchesOneChain() {
        Random r = new Random(8);
        int[] sizes = {0, 1, 7, Blas.SQUARES_CHUNK - 1, Blas.SQUARES_CHUNK + 5, 5 * Blas.SQUARES_CHUNK + 3, 129};
        float[][] a = new float[sizes.length][];
        double chain = 0;
        for (int i = 0; i < sizes.length; i++) {
            a[i] = new float[sizes[i]];
            for (int j = 0; j < sizes[i]; j++) { a[i][j] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian() * 3)); chain += (double) a[i][j] * a[i][j]; }
        }
        double[] got = new double[3];
        for (int t = 1; t <= 3; t++) { Kernels.setThreads(t); got[t - 1] = Blas.sumOfSquares(a); }
        assertTrue(got[0] == got[1] && got[1] == got[2], "thread counts differ: " + java.util.Arrays.toString(got));
        assertTrue(Math.abs(got[0] - chain) <= 1e-12 * chain, got[0] + " vs one chain " + chain);
        assertTrue(Blas.sumOfSquares(new float[0][]) == 0.0);
    }
}
