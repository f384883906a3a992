package llmbook.quant;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import llmbook.kernels.Kernels;
import llmbook.kernels.QuantMatMul;
import llmbook.model.DecodeCache;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Linear;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

class QuantizeTest {
    static Decoder tiny(long seed) {
        return new Decoder(TransformerConfig.gpt2(11).toBuilder().context(24).layers(2).heads(2).width(32).hidden(64).dropout(0).build(), new Rng(seed));
    }

    @Test
    void int8KernelMatchesItsScalarTwinAndTheDequantisedWeight() {
        Rng rng = new Rng(3);
        int rows = 3, in = 70, out = 33;      // in not a multiple of the block: blocks straddle rows
        float[] w = new float[out * in], x = new float[rows * in];
        for (int i = 0; i < w.length; i++) w[i] = rng.uniform(-1, 1);
        for (int i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
        QuantizedTensor q = QuantizedTensor.quantize(w, new int[] {out, in}, QuantType.INT8, 32, false);
        float[] wd = q.dequantize(), ref = new float[rows * out];
        for (int r = 0; r < rows; r++) for (int o = 0; o < out; o++) { float s = 0; for (int i = 0; i < in; i++) s += x[r * in + i] * wd[o * in + i]; ref[r * out + o] = s; }
        float[] y = q.linear(Tensor.wrap(x, rows, in)).toArray();
        assertArrayEquals(ref, y, 1e-4f);
        for (int i = 0; i < w.length; i++) assertEquals(w[i], wd[i], 1f / 254 + 1e-6f, "int8 error beyond half a step at " + i);
        // the scalar twin, and forced use of it through Kernels
        float[] ys = new float[rows * out];
        byte[] codes = new byte[out * in];
        for (int i = 0; i < codes.length; i++) codes[i] = (byte) q.code(i);
        QuantMatMul.linear8ForwardScalar(ys, x, rows, in, out, codes, QuantType.INT8.table(), q.scales(), 32);
        assertArrayEquals(ref, ys, 1e-4f);
        var e = assertThrows(IllegalArgumentException.class, () -> QuantMatMul.linear8Forward(new float[rows * out], x, rows, in, out, codes, QuantType.INT4.table(), q.scales(), 32));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void quantisedDecoderStaysCloseAndShrinks() {
        Decoder fp = tiny(7), q8 = tiny(7), q4 = tiny(7);
        int[] ids = {1, 4, 2, 9, 3, 3, 0, 7};
        long before = Quantize.weightBytes(q8);
        int n = Quantize.linears(q8, QuantType.INT8, 32);
        Quantize.linears(q4, QuantType.INT4, 32);
        assertEquals(2 * 6, n, "q, k, v, o, w1, w2 in each of 2 layers");
        assertTrue(q8.namedModules().values().stream().noneMatch(m -> m instanceof Linear), "a Linear was left");
        assertTrue(Quantize.weightBytes(q8) < before && Quantize.weightBytes(q4) < Quantize.weightBytes(q8));
        float[] a, b, c;
        try (var g = Tensor.noGrad()) {
            a = fp.logits(ids, 1, ids.length).toArray();
            b = q8.logits(ids, 1, ids.length).toArray();
            c = q4.logits(ids, 1, ids.length).toArray();
        }
        double e8 = maxDiff(a, b), e4 = maxDiff(a, c);
        assertTrue(e8 > 0 && e8 < 0.02, "int8 logits differ by " + e8);
        assertTrue(e4 > e8 && e4 < 0.3, "int4 " + e4 + " vs int8 " + e8);
        // the KV cache still gives the full forward's logits
        try (var g = Tensor.noGrad()) {
            DecodeCache cache = q8.newCache(1);
            q8.logits(java.util.Arrays.copyOf(ids, 5), 1, 5, cache);
            float[] tail = q8.logits(java.util.Arrays.copyOfRange(ids, 5, 8), 1, 3, cache).toArray();
            float[] full = java.util.Arrays.copyOfRange(b, 5 * 11, 8 * 11);
            assertArrayEquals(full, tail, 1e-4f);
            cache.truncate(6);
            assertEquals(6, cache.length());
            float[] again = q8.logits(new int[] {ids[6], ids[7]}, 1, 2, cache).toArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(b, 6 * 11, 8 * 11), again, 1e-4f);
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
