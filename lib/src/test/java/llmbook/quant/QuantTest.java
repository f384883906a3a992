package llmbook.quant;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.autograd.GradCheck;
import llmbook.nn.Linear;
import llmbook.peft.QLoraLinear;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

class QuantTest {
    /** The NF4 table as published with QLoRA (bitsandbytes' kernels, the paper's appendix). */
    static final double[] PUBLISHED = {
            -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
            -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
            0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0};

    @Test
    void nf4IsBuiltFromNormalQuantilesAndMatchesThePublishedTable() {
        float[] c = Nf4.code();
        for (int i = 0; i < 16; i++) assertEquals(PUBLISHED[i], c[i], 1e-6, "NF4 code " + i);
        assertEquals(0f, c[7]);
        assertEquals(1.959963984540054, Nf4.inverseNormalCdf(0.975), 1e-12);   // the 95 % two-sided z
        assertEquals(-Nf4.inverseNormalCdf(0.3), Nf4.inverseNormalCdf(0.7), 1e-14);
    }

    @Test
    void aHandWorkedBlock() {
        // one block of 4, absmax 2: INT4 codes round(w/2·7)+8; INT8 round(w/2·127)+128; NF4 the nearest table entry
        float[] w = {2f, -1f, 0.1f, 0f};
        QuantizedTensor i4 = QuantizedTensor.quantize(w, new int[] {4}, QuantType.INT4, 4, false);
        assertArrayEquals(new int[] {15, 5, 8, 8}, codes(i4));        // 7 + 8; round(−3.5) = −3 (Math.round: half up); round(0.35) = 0
        assertArrayEquals(new float[] {2f, -6f / 7, 0f, 0f}, i4.dequantize(), 1e-6f);
        QuantizedTensor nf = QuantizedTensor.quantize(w, new int[] {4}, QuantType.NF4, 4, false);
        assertArrayEquals(new int[] {15, 2, 8, 7}, codes(nf));       // −0.5 → −0.5251; 0.05 → 0.0796 (nearer than 0)
        assertEquals(2 * -0.5250730514526367, nf.dequantize()[1], 1e-6);
        QuantizedTensor i8 = QuantizedTensor.quantize(w, new int[] {4}, QuantType.INT8, 4, false);
        assertArrayEquals(new int[] {255, 65, 134, 128}, codes(i8));  // −63.5 rounds to −63; 6.35 to 6
        // an all-zero block decodes to zeros, not NaN
        assertArrayEquals(new float[4], QuantizedTensor.quantize(new float[4], new int[] {4}, QuantType.NF4, 4, false).dequantize());
    }

    static int[] codes(QuantizedTensor q) {
        int[] c = new int[q.numel()];
        for (int i = 0; i < c.length; i++) c[i] = q.code(i);
        return c;
    }

    @Test
    void nf4BeatsInt4OnNormalWeightsAndDoubleQuantSavesBits() {
        Rng rng = new Rng(7);
        float[] w = new float[256 * 64 * 4];
        for (int i = 0; i < w.length; i++) w[i] = 0.02f * rng.nextGaussian();
        double eNf4 = rmse(w, QuantizedTensor.quantize(w, new int[] {w.length}, QuantType.NF4, 64, false));
        double eInt4 = rmse(w, QuantizedTensor.quantize(w, new int[] {w.length}, QuantType.INT4, 64, false));
        double eInt8 = rmse(w, QuantizedTensor.quantize(w, new int[] {w.length}, QuantType.INT8, 64, false));
        assertTrue(eInt4 > 1.1 * eNf4, "INT4 " + eInt4 + " vs NF4 " + eNf4);
        assertTrue(eInt8 < eNf4 / 8, "INT8 " + eInt8 + " vs NF4 " + eNf4);
        QuantizedTensor plain = QuantizedTensor.quantize(w, new int[] {w.length}, QuantType.NF4, 64, false);
        QuantizedTensor dq = QuantizedTensor.quantize(w, new int[] {w.length}, QuantType.NF4, 64, true);
        assertEquals(4.5, plain.bitsPerParameter(), 1e-12);
        // 4 + 8/64 + (32/256 + 32/blocks)/64 … exactly: (n/2 + n/64 + 4·n/64/256 + 4) bytes
        int n = w.length, blocks = n / 64;
        assertEquals(n / 2 + blocks + 4L * (blocks / 256) + 4, dq.bytes());
        assertEquals(4.127, dq.bitsPerParameter(), 1e-3);
        // the 8-bit scales cost almost nothing in accuracy
        double eDq = rmse(w, dq);
        assertTrue(eDq < 1.01 * eNf4, "double-quantised " + eDq + " vs " + eNf4);
    }

    static double rmse(float[] w, QuantizedTensor q) {
        float[] d = q.dequantize();
        double s = 0;
        for (int i = 0; i < w.length; i++) s += (w[i] - d[i]) * (double) (w[i] - d[i]);
        return Math.sqrt(s / w.length);
    }

    @Test
    void theQuantisedLinearEqualsTheDequantisedOneWithGradient() {
        Rng rng = new Rng(3);
        for (int[] s : new int[][] {{1, 2, 1}, {3, 6, 7}, {5, 66, 31}, {17, 130, 40}}) {   // rows, in, out: blocks straddle rows
            int rows = s[0], in = s[1], out = s[2];
            Tensor w = Tensor.normal(rng, 0f, 0.1f, out, in);
            QuantizedTensor q = QuantizedTensor.quantize(w, QuantType.NF4, 64, true);
            Tensor x = Tensor.normal(rng, 0f, 1f, rows, in).requiresGrad(true);
            Tensor ref = LinAlg.linear(x, q.toTensor(), null);
            Tensor got = q.linear(x);
            assertArrayEquals(ref.toArray(), got.toArray(), 1e-4f * (float) Math.sqrt(in));
            var rep = GradCheck.check(a -> q.linear(a[0]), x);
            assertTrue(rep.ok(), rep.toString());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> QuantizedTensor.nf4(Tensor.zeros(4, 8)).linear(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("(2, 5)") && e.getMessage().contains("(4, 8)"), e.getMessage());
    }

    @Test
    void qloraIsGradientCheckedAndStartsAtTheQuantisedBase() {
        Linear lin = new Linear(64, 24, new Rng(1));
        QLoraLinear q = new QLoraLinear(lin, 4, 8f, new Rng(2));
        Tensor x = Tensor.normal(new Rng(4), 0f, 1f, 3, 64).requiresGrad(true);
        float[] base = LinAlg.linear(x, q.base.toTensor(), lin.bias).toArray();
        assertArrayEquals(base, q.forward(x).toArray(), 1e-5f, "B = 0: the quantised base model");
        float[] b = q.loraB.data();
        for (int i = 0; i < b.length; i++) b[i] = 0.2f * ((i % 5) - 2);
        var rep = GradCheck.check(in -> q.forward(in[0]), x, q.loraA, q.loraB);
        assertTrue(rep.ok(), rep.toString());
        assertEquals(2, q.trainableParameters().size());
        // 64·24 weights in NF4 with double-quantised scales: 768 code bytes + 24 scale bytes + 4 + 4; bias 96; adapter 4·4·88
        assertEquals(768 + 24 + 4 + 4 + 96 + 4 * 4 * 88, q.bytes());
    }
}
