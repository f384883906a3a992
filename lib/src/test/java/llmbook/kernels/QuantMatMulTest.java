package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 4-bit dequantise-and-multiply kernel: the fast version (tiles of Ŵ through the packed vector matmul) against
 * the scalar twin, forward and backward, at awkward sizes (several tiles and a partial one) and with 1 and 2
 * threads. Both decode the same Ŵ and differ only in summation order, so the bound is {@code 2γ_N·Σ|terms|} with
 * N = in (forward) or out (backward), as in {@link VectorTwinTest}; |terms| ≤ 4 (|x| ≲ 4σ, |Ŵ| ≤ 1.5).
 */
class QuantMatMulTest {
    @AfterEach
    void restore() { Kernels.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test
    void vectorEqualsScalarTwin() {
        Random r = new Random(1);
        float[] table = new float[16];
        for (int i = 0; i < 16; i++) table[i] = (i - 7.5f) / 7.5f;
        int[][] shapes = {{1, 2, 1}, {1, 7 * 2, 3}, {3, 18, 17}, {7, 66, 33}, {2, 130, 257}, {64, 256, 96}, {33, 1032, 130}, {300, 128, 200}};
        for (int threads : new int[] {1, 2}) {
            Kernels.setThreads(threads);
            for (int[] s : shapes)
                for (int block : new int[] {2, 64}) {
                    int rows = s[0], in = s[1], out = s[2], n = in * out;
                    byte[] codes = new byte[(n + 1) / 2];
                    r.nextBytes(codes);
                    float[] scales = new float[(n + block - 1) / block];
                    for (int i = 0; i < scales.length; i++) scales[i] = 0.5f + r.nextFloat();
                    float[] x = VectorTwinTest.rand(r, rows * in, 1f), dy = VectorTwinTest.rand(r, rows * out, 1f);
                    String what = "rows " + rows + ", in " + in + ", out " + out + ", block " + block + ", threads " + threads;
                    float[] ys = new float[rows * out], yv = new float[rows * out];
                    QuantMatMul.linear4ForwardScalar(ys, x, rows, in, out, codes, table, scales, block);
                    Kernels.useVector(true);
                    QuantMatMul.linear4Forward(yv, x, rows, in, out, codes, table, scales, block);
                    VectorTwinTest.close("linear4Forward " + what, ys, yv, 2 * VectorTwinTest.gamma(in) * 1.5 * in * 4);
                    float[] dxs = VectorTwinTest.rand(new Random(2), rows * in, 1f), dxv = dxs.clone();
                    QuantMatMul.linear4BackwardScalar(dxs, dy, rows, in, out, codes, table, scales, block);
                    QuantMatMul.linear4Backward(dxv, dy, rows, in, out, codes, table, scales, block);
                    VectorTwinTest.close("linear4Backward " + what, dxs, dxv, 2 * VectorTwinTest.gamma(out) * 1.5 * out * 4);
                }
        }
    }

    @Test
    void scalarTwinIsTheDefinition() {
        // 2 × 2 weight, block 2: codes [3, 0 | 1, 2] (low nibble first), table[k] = k, scales [1, 10]
        byte[] codes = {(byte) 0x03, (byte) 0x21};
        float[] table = new float[16];
        for (int i = 0; i < 16; i++) table[i] = i;
        float[] scales = {1, 10};                 // Ŵ = [[3, 0], [10, 20]]
        float[] y = new float[2];
        QuantMatMul.linear4ForwardScalar(y, new float[] {1, 2}, 1, 2, 2, codes, table, scales, 2);
        assertArrayEquals(new float[] {3, 50}, y);
        float[] dx = {1, 1};
        QuantMatMul.linear4BackwardScalar(dx, new float[] {1, 0.5f}, 1, 2, 2, codes, table, scales, 2);
        assertArrayEquals(new float[] {1 + 3 + 5, 1 + 0 + 10}, dx);
        var e = assertThrows(IllegalArgumentException.class, () -> QuantMatMul.linear4Forward(new float[2], new float[2], 1, 2, 2, new byte[1], table, scales, 2));
        assertTrue(e.getMessage().contains("codes too short"), e.getMessage());
    }
}
