package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The scalar twins against values worked out by hand (each comment shows the arithmetic). */
class ScalarTwinTest {

    @Test
    void matmulTwoByTwoAllTransposes() {
        // A = [[1,2],[3,4]], B = [[5,6],[7,8]]: A·B = [[19,22],[43,50]]
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, at = {1, 3, 2, 4}, bt = {5, 7, 6, 8};
        float[] want = {19, 22, 43, 50};
        float[] c = new float[4];
        MatMul.matmulScalar(c, 0, a, 0, b, 0, 2, 2, 2, false, false, false);
        assertArrayEquals(want, c);
        MatMul.matmulScalar(c, 0, at, 0, b, 0, 2, 2, 2, true, false, false);
        assertArrayEquals(want, c);
        MatMul.matmulScalar(c, 0, a, 0, bt, 0, 2, 2, 2, false, true, false);
        assertArrayEquals(want, c);
        MatMul.matmulScalar(c, 0, at, 0, bt, 0, 2, 2, 2, true, true, false);
        assertArrayEquals(want, c);
        MatMul.matmulScalar(c, 0, a, 0, b, 0, 2, 2, 2, false, false, true); // accumulate: twice the product
        assertArrayEquals(new float[]{38, 44, 86, 100}, c);
    }

    @Test
    void matmulRectangularWithOffsets() {
        // (1×3)·(3×2): [1,2,3]·[[1,0],[0,1],[1,1]] = [4,5]; arrays start at offset 1
        float[] a = {9, 1, 2, 3}, b = {9, 1, 0, 0, 1, 1, 1}, c = {7, 0, 0};
        MatMul.matmulScalar(c, 1, a, 1, b, 1, 1, 3, 2, false, false, false);
        assertArrayEquals(new float[]{7, 4, 5}, c);
    }

    @Test
    void softmaxOfOneTwoThree() {
        // e^0, e^1, e^2 over their sum 1 + 2.718282 + 7.389056 = 11.107338
        float[] y = new float[3];
        Softmax.softmaxForwardScalar(y, 0, new float[]{1, 2, 3}, 0, 1, 3);
        assertArrayEquals(new float[]{0.09003057f, 0.24472847f, 0.66524096f}, y, 1e-7f);
        Softmax.logSoftmaxForwardScalar(y, 0, new float[]{1, 2, 3}, 0, 1, 3);
        // log(11.107338) = 2.407606: [1,2,3] − 3 − 2.407606
        assertArrayEquals(new float[]{-2.4076059f, -1.4076059f, -0.40760596f}, y, 1e-6f);
    }

    @Test
    void softmaxBackwardHandWorked() {
        // y = [0.5, 0.5], dy = [1, 0]: Σ dy⊙y = 0.5, dx = y ⊙ (dy − 0.5) = [0.25, −0.25], added to dx = [1, 1]
        float[] dx = {1, 1};
        Softmax.softmaxBackwardScalar(dx, 0, new float[]{0.5f, 0.5f}, 0, new float[]{1, 0}, 0, 1, 2);
        assertArrayEquals(new float[]{1.25f, 0.75f}, dx, 1e-7f);
        // log-softmax: y = log[0.5, 0.5], dy = [1, 0]: dx = dy − exp(y)·Σdy = [0.5, −0.5]
        float[] dx2 = new float[2];
        float l = (float) Math.log(0.5);
        Softmax.logSoftmaxBackwardScalar(dx2, 0, new float[]{l, l}, 0, new float[]{1, 0}, 0, 1, 2);
        assertArrayEquals(new float[]{0.5f, -0.5f}, dx2, 1e-7f);
    }

    @Test
    void layerNormOfOneTwoThree() {
        // μ = 2, σ² = (1+0+1)/3 = 2/3, rstd = 1/√(2/3) = 1.2247449; y = [−1.2247, 0, 1.2247]·w + b with w=2, b=1
        float[] y = new float[3], mean = new float[1], rstd = new float[1];
        Norms.layerNormForwardScalar(y, 0, mean, rstd, new float[]{1, 2, 3}, 0, new float[]{2, 2, 2}, new float[]{1, 1, 1}, 1, 3, 0f);
        assertEquals(2f, mean[0], 1e-7f);
        assertEquals(1.2247449f, rstd[0], 1e-6f);
        assertArrayEquals(new float[]{1 - 2.4494898f, 1f, 1 + 2.4494898f}, y, 1e-6f);
    }

    @Test
    void rmsNormOfThreeFour() {
        // mean(x²) = (9+16)/2 = 12.5, rstd = 1/√12.5 = 0.28284271; y = [0.848528, 1.131371]
        float[] y = new float[2], rstd = new float[1];
        Norms.rmsNormForwardScalar(y, 0, rstd, new float[]{3, 4}, 0, new float[]{1, 1}, 1, 2, 0f);
        assertEquals(0.28284271f, rstd[0], 1e-7f);
        assertArrayEquals(new float[]{0.8485281f, 1.1313709f}, y, 1e-6f);
    }

    @Test
    void activationsAtKnownPoints() {
        // GELU(0) = 0; GELU(1) = ½(1 + tanh(0.7978846·1.044715)) = ½(1 + tanh(0.8335594)) = 0.8411920
        // SiLU(1) = 1/(1+e^−1) = 0.7310586; SiLU(−1) = −0.2689414
        float[] y = new float[3];
        Activations.geluTanhForwardScalar(y, 0, new float[]{0, 1, -1}, 0, 3);
        assertArrayEquals(new float[]{0f, 0.841192f, -0.158808f}, y, 1e-6f);
        Activations.siluForwardScalar(y, 0, new float[]{0, 1, -1}, 0, 3);
        assertArrayEquals(new float[]{0f, 0.7310586f, -0.26894143f}, y, 1e-6f);
        // exact GELU: Φ(1) = ½(1 + erf(1/√2)) = 0.8413447, so GELU(1) = 0.8413447, GELU(−1) = −(1 − 0.8413447) = −0.1586553
        Activations.geluErfForwardScalar(y, 0, new float[]{0, 1, -1}, 0, 3);
        assertArrayEquals(new float[]{0f, 0.8413447f, -0.1586553f}, y, 3e-7f);
        // d GELU/dx at 0 is ½; d SiLU/dx at 0 is σ(0) = ½
        float[] dx = new float[1];
        Activations.geluTanhBackwardScalar(dx, 0, new float[]{0}, 0, new float[]{2}, 0, 1);
        assertEquals(1f, dx[0], 1e-7f);
        Activations.siluBackwardScalar(dx, 0, new float[]{0}, 0, new float[]{2}, 0, 1);
        assertEquals(2f, dx[0], 1e-7f);
    }

    @Test
    void adamWFirstStepMovesByLearningRateTimesSign() {
        // t=1: m̂ = g, v̂ = g², so the step is lr·g/(|g|+ε) ≈ lr·sign(g); decay subtracts lr·wd·p
        float[] p = {1, 1}, g = {0.5f, -3f}, m = new float[2], v = new float[2];
        AdamW.stepScalar(p, g, m, v, 0, 2, 0.1f, 0.9f, 0.999f, 1e-8f, 0.01f, 1);
        assertArrayEquals(new float[]{1 - 0.1f - 0.001f, 1 + 0.1f - 0.001f}, p, 1e-6f);
        assertArrayEquals(new float[]{0.05f, -0.3f}, m, 1e-7f);
        assertArrayEquals(new float[]{0.00025f, 0.009f}, v, 1e-6f); // (1f − 0.999f) is 0.00099999 in float
    }

    @Test
    void attentionTwoTokensHandWorked() {
        // d=1, scale=1, q=k=[1,1], v=[2,4]. Row 0 sees only token 0: out=2, lse=1.
        // Row 1 sees scores [1,1]: p=[½,½], out=3, lse = 1+ln 2.
        float[] out = new float[2], lse = new float[2];
        Attention.causalForwardScalar(out, 0, lse, 0, new float[]{1, 1}, 0, new float[]{1, 1}, 0, new float[]{2, 4}, 0, 2, 1, 1f);
        assertArrayEquals(new float[]{2, 3}, out, 1e-6f);
        assertArrayEquals(new float[]{1, 1 + (float) Math.log(2)}, lse, 1e-6f);
    }
}
