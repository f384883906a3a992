package llmbook.quant;

import java.util.Arrays;
import llmbook.kernels.QuantMatMul;
import llmbook.tensor.Shape;
import llmbook.tensor.Tensor;

/**
 * A weight tensor stored block-wise in 4 or 8 bits ({@link QuantType}), as QLoRA stores its frozen base model. Q17.
 * <pre>
 *   blocks of B consecutive weights (row-major; B = 64 for QLoRA):  m_b = max |w| over block b
 *   code_i = nearest table entry to w_i / m_b                       ŵ_i = table[code_i] · m_b
 * </pre>
 * Codes of 4-bit types are packed two to a byte (element 2j in the low nibble of byte j, 2j+1 in the high one).
 *
 * <p><b>Double quantisation</b> (QLoRA §3): the absmax of every block is itself a number to store — 32 bits per 64
 * weights, 0.5 bit per weight. Quantising those scales to 8 bits in blocks of 256 ({@link ScaleQuant}) costs
 * {@code 8/64 + 32/(64·256) ≈ 0.127} bit per weight instead: 4.127 bits per weight for NF4 in all. The weights are
 * coded against the exact fp32 absmax (as bitsandbytes does) and read back with the 8-bit one.
 *
 * <p>{@link #linear} multiplies by Ŵᵀ without ever building the fp32 Ŵ: {@link QuantMatMul} decodes one row (or one
 * column range) at a time into a small buffer.
 */
public final class QuantizedTensor {
    public final QuantType type;
    public final int blockSize;
    private final int[] shape;
    private final int n;
    private final byte[] codes;          // n/2 bytes (4-bit) or n bytes (8-bit)
    private final float[] absmax;        // (blocks,) fp32, or null when double-quantised
    private final ScaleQuant scales8;    // the 8-bit absmax, or null
    private final float[] table;

    private QuantizedTensor(QuantType type, int blockSize, int[] shape, byte[] codes, float[] absmax, ScaleQuant scales8) {
        this.type = type;
        this.blockSize = blockSize;
        this.shape = shape.clone();
        this.n = Shape.numel(shape);
        this.codes = codes;
        this.absmax = absmax;
        this.scales8 = scales8;
        this.table = type.table();
    }

    /** Quantises {@code w} (its contiguous values) in blocks of {@code blockSize}; {@code doubleQuant} stores the absmax in 8 bits. */
    public static QuantizedTensor quantize(Tensor w, QuantType type, int blockSize, boolean doubleQuant) {
        return quantize(w.contiguous().toArray(), w.shape(), type, blockSize, doubleQuant);
    }

    /** QLoRA's storage: NF4, blocks of 64, double-quantised scales. */
    public static QuantizedTensor nf4(Tensor w) { return quantize(w, QuantType.NF4, 64, true); }

    public static QuantizedTensor quantize(float[] w, int[] shape, QuantType type, int blockSize, boolean doubleQuant) {
        if (w.length != Shape.numel(shape))
            throw new IllegalArgumentException("QuantizedTensor: " + w.length + " values for shape " + Shape.str(shape));
        if (blockSize < 1) throw new IllegalArgumentException("QuantizedTensor: block size must be >= 1, got " + blockSize);
        if (type.bits == 4 && blockSize % 2 != 0)
            throw new IllegalArgumentException("QuantizedTensor: a 4-bit block must hold an even number of weights, got " + blockSize);
        int blocks = (w.length + blockSize - 1) / blockSize;
        float[] max = new float[blocks];
        float[] table = type.table();
        byte[] codes = new byte[type.bits == 4 ? (w.length + 1) / 2 : w.length];
        for (int b = 0; b < blocks; b++) {
            int from = b * blockSize, to = Math.min(w.length, from + blockSize);
            float m = 0;
            for (int i = from; i < to; i++) m = Math.max(m, Math.abs(w[i]));
            max[b] = m;
            float inv = m == 0 ? 0 : 1 / m;
            for (int i = from; i < to; i++) {
                int c = type.encode(table, w[i] * inv);
                if (type.bits == 8) codes[i] = (byte) c;
                else codes[i >> 1] |= (byte) ((i & 1) == 0 ? c : c << 4);
            }
        }
        return doubleQuant ? new QuantizedTensor(type, blockSize, shape, codes, null, ScaleQuant.quantize(max, ScaleQuant.BLOCK))
                : new QuantizedTensor(type, blockSize, shape, codes, max, null);
    }

    public int[] shape() { return shape.clone(); }

    public int numel() { return n; }

    public boolean doubleQuantized() { return scales8 != null; }

    /** The code of element {@code i}. */
    public int code(int i) { return type.bits == 8 ? codes[i] & 0xFF : (codes[i >> 1] >> ((i & 1) * 4)) & 0xF; }

    /** The per-block absmax the weights are read back with (decoded from 8 bits when double-quantised). */
    public float[] scales() { return scales8 != null ? scales8.dequantize() : absmax.clone(); }

    /** Ŵ as fp32 values (for measuring the error; the forward pass never calls this). */
    public float[] dequantize() {
        float[] s = scales(), out = new float[n];
        for (int i = 0; i < n; i++) out[i] = table[code(i)] * s[i / blockSize];
        return out;
    }

    /** Ŵ as a tensor of the original shape. */
    public Tensor toTensor() { return Tensor.wrap(dequantize(), shape); }

    /** Bytes stored: codes, plus the scales (4 bytes each, or their 8-bit form). */
    public long bytes() {
        long codeBytes = codes.length;
        return codeBytes + (scales8 != null ? scales8.bytes() : 4L * absmax.length);
    }

    /** {@link #bytes} in bits per weight: 4.5 for 4-bit with fp32 scales per 64, ≈ 4.127 double-quantised. */
    public double bitsPerParameter() { return 8.0 * bytes() / n; }

    /**
     * {@code y = x·Ŵᵀ} for a 4- or 8-bit (out, in) weight, x (…, in) → (…, out), with its backward {@code dx += dy·Ŵ}; Ŵ is
     * decoded a row at a time inside {@link QuantMatMul}, never as a whole. Ŵ is frozen: it gets no gradient.
     */
    public Tensor linear(Tensor x) {
        if (shape.length != 2 || type.bits != 4 && type.bits != 8)
            throw new IllegalArgumentException("QuantizedTensor.linear: needs a 4- or 8-bit (out, in) weight, this is " + type + " " + Shape.str(shape));
        int out = shape[0], in = shape[1];
        int[] xs = x.shape();
        if (xs.length == 0 || xs[xs.length - 1] != in)
            throw new IllegalArgumentException("QuantizedTensor.linear: input " + Shape.str(xs) + " @ weight " + Shape.str(shape) + "ᵀ: last dim "
                    + (xs.length == 0 ? 0 : xs[xs.length - 1]) + " != in_features " + in);
        Tensor X = x.contiguous();
        int rows = X.numel() / in;
        int[] outShape = xs.clone();
        outShape[outShape.length - 1] = out;
        float[] s = scales(), y = new float[rows * out];
        float[] xd = X.offset() == 0 && X.data().length == X.numel() ? X.data() : X.toArray();
        if (type.bits == 8) QuantMatMul.linear8Forward(y, xd, rows, in, out, codes, table, s, blockSize);   // chapter 12's INT8
        else QuantMatMul.linear4Forward(y, xd, rows, in, out, codes, table, s, blockSize);
        Tensor t = Tensor.fromOp("linear_4bit", y, outShape, X);
        return t.onBackward(g -> {
            if (!X.requiresGrad()) return;
            if (type.bits == 8) QuantMatMul.linear8Backward(X.gradBuffer(), g, rows, in, out, codes, table, s, blockSize);
            else QuantMatMul.linear4Backward(X.gradBuffer(), g, rows, in, out, codes, table, s, blockSize);
        });
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "QuantizedTensor(%s %s, blocks of %d%s, %,d bytes = %.3f bits/weight)", type, Arrays.toString(shape),
                blockSize, scales8 != null ? ", double-quantised scales" : "", bytes(), bitsPerParameter());
    }
}
