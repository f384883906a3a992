package llmbook.kernels;

/**
 * The linear layer on a 4-bit block-quantised weight (QLoRA's frozen base), decoding the weight as it goes so the
 * fp32 matrix is never built. Q17.
 * <pre>
 *   Ŵ[o, i] = table[code(o·in + i)] · scale[(o·in + i) / block]         code: 4 bits, element 2j low nibble of byte j
 *   forward:  y[r, o]  = Σ_i x[r, i] · Ŵ[o, i]                          y (rows, out) overwritten
 *   backward: dx[r, i] += Σ_o dy[r, o] · Ŵ[o, i]                        dx (rows, in) accumulated; Ŵ is frozen
 * </pre>
 The scalar twin is the readable definition: it decodes one row of Ŵ at a time and uses plain loops. The fast
 * version ({@link QuantMatMulVector}) decodes {@link #TILE} rows at a time into a tile buffer and multiplies the tile
 * with the packed Vector API matmul, so it runs at matmul speed plus the cost of decoding each weight once per call
 * (a 16-entry table lookup per nibble, the same scalar loop in both). Either way at most TILE·in floats of Ŵ exist
 * at once — for a 4096 × 4096 layer, 1/64 of it.
 */
public final class QuantMatMul {
    private QuantMatMul() {}

    /** Rows of Ŵ decoded at once by the fast version. */
    static final int TILE = 64;

    public static void linear4Forward(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check("QuantMatMul.linear4Forward", y, x, rows, in, out, codes, table, scales, block);
        if (Kernels.usingVector()) QuantMatMulVector.forward(y, x, rows, in, out, codes, table, scales, block);
        else forwardUnchecked(y, x, rows, in, out, codes, table, scales, block);
    }

    public static void linear4Backward(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check("QuantMatMul.linear4Backward", dx, dy, rows, out, in, codes, table, scales, block);   // dx (rows, in), dy (rows, out)
        if (Kernels.usingVector()) QuantMatMulVector.backward(dx, dy, rows, in, out, codes, table, scales, block);
        else backwardUnchecked(dx, dy, rows, in, out, codes, table, scales, block);
    }

    /**
     * The 8-bit twin of {@link #linear4Forward} (chapter 12's INT8 weights): one code per byte, a 256-entry table. Q50.
     * Same decode-a-tile-then-matmul path; only the decode differs.
     */
    public static void linear8Forward(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check8("QuantMatMul.linear8Forward", y, x, rows, in, out, codes, table, scales, block);
        if (Kernels.usingVector()) QuantMatMulVector.forward(y, x, rows, in, out, codes, table, scales, block, 8);
        else forwardUnchecked(y, x, rows, in, out, codes, table, scales, block, 8);
    }

    public static void linear8Backward(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check8("QuantMatMul.linear8Backward", dx, dy, rows, out, in, codes, table, scales, block);
        if (Kernels.usingVector()) QuantMatMulVector.backward(dx, dy, rows, in, out, codes, table, scales, block, 8);
        else backwardUnchecked(dx, dy, rows, in, out, codes, table, scales, block, 8);
    }

    public static void linear8ForwardScalar(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check8("QuantMatMul.linear8ForwardScalar", y, x, rows, in, out, codes, table, scales, block);
        forwardUnchecked(y, x, rows, in, out, codes, table, scales, block, 8);
    }

    public static void linear8BackwardScalar(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check8("QuantMatMul.linear8BackwardScalar", dx, dy, rows, out, in, codes, table, scales, block);
        backwardUnchecked(dx, dy, rows, in, out, codes, table, scales, block, 8);
    }

    // ---- scalar twins ----

    public static void linear4ForwardScalar(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check("QuantMatMul.linear4ForwardScalar", y, x, rows, in, out, codes, table, scales, block);
        forwardUnchecked(y, x, rows, in, out, codes, table, scales, block);
    }

    public static void linear4BackwardScalar(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        check("QuantMatMul.linear4BackwardScalar", dx, dy, rows, out, in, codes, table, scales, block);
        backwardUnchecked(dx, dy, rows, in, out, codes, table, scales, block);
    }

    private static void forwardUnchecked(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        forwardUnchecked(y, x, rows, in, out, codes, table, scales, block, 4);
    }

    private static void forwardUnchecked(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block, int bits) {
        float[] w = new float[in];
        for (int o = 0; o < out; o++) {
            decode(w, 0, (long) o * in, in, codes, table, scales, block, bits);
            for (int r = 0; r < rows; r++) {
                float s = 0;
                for (int i = 0; i < in; i++) s += x[r * in + i] * w[i];
                y[r * out + o] = s;
            }
        }
    }

    private static void backwardUnchecked(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        backwardUnchecked(dx, dy, rows, in, out, codes, table, scales, block, 4);
    }

    private static void backwardUnchecked(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block, int bits) {
        float[] w = new float[in];
        for (int o = 0; o < out; o++) {
            decode(w, 0, (long) o * in, in, codes, table, scales, block, bits);
            for (int r = 0; r < rows; r++) {
                float g = dy[r * out + o];
                for (int i = 0; i < in; i++) dx[r * in + i] += g * w[i];
            }
        }
    }

    /** dst[dOff … dOff+len) = Ŵ at flat indices start … start+len: one table lookup and one multiply per weight. */
    static void decode(float[] dst, int dOff, long start, int len, byte[] codes, float[] table, float[] scales, int block) {
        long i = start, end = start + len;
        int d = dOff;
        while (i < end) {
            long blockEnd = Math.min(end, (i / block + 1) * block);
            float s = scales[(int) (i / block)];
            for (; i < blockEnd; i++) {
                int b = codes[(int) (i >> 1)];
                dst[d++] = table[(b >> ((int) (i & 1) * 4)) & 0xF] * s;
            }
        }
    }

    /** {@link #decode} for 4-bit ({@code bits} = 4) or 8-bit codes (one per byte, {@code table[code & 0xFF]}). */
    static void decode(float[] dst, int dOff, long start, int len, byte[] codes, float[] table, float[] scales, int block, int bits) {
        if (bits == 4) { decode(dst, dOff, start, len, codes, table, scales, block); return; }
        long i = start, end = start + len;
        int d = dOff;
        while (i < end) {
            long blockEnd = Math.min(end, (i / block + 1) * block);
            float s = scales[(int) (i / block)];
            for (; i < blockEnd; i++) dst[d++] = table[codes[(int) i] & 0xFF] * s;
        }
    }

    private static void check8(String k, float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        Kernels.checkDim(k, "rows", rows);
        Kernels.checkDim(k, "in", in);
        Kernels.checkDim(k, "out", out);
        long n = (long) in * out;
        Kernels.checkArray(k, "x (rows×in = " + rows + "×" + in + ")", x, 0, (long) rows * in);
        Kernels.checkArray(k, "y (rows×out = " + rows + "×" + out + ")", y, 0, (long) rows * out);
        if (block < 1) throw new IllegalArgumentException(k + ": block must be >= 1, got " + block);
        if (table == null || table.length != 256) throw new IllegalArgumentException(k + ": table must have 256 entries, got " + (table == null ? "null" : table.length));
        if (codes == null || codes.length < n) throw new IllegalArgumentException(k + ": codes too short: " + (codes == null ? 0 : codes.length) + " bytes for " + n + " 8-bit weights");
        if (scales == null || scales.length < (n + block - 1) / block)
            throw new IllegalArgumentException(k + ": scales too short: " + (scales == null ? 0 : scales.length) + " for " + n + " weights in blocks of " + block);
        if (x == y) throw new IllegalArgumentException(k + ": the output aliases the input");
    }

    private static void check(String k, float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        Kernels.checkDim(k, "rows", rows);
        Kernels.checkDim(k, "in", in);
        Kernels.checkDim(k, "out", out);
        long n = (long) in * out;
        if (Kernels.outside(x, 0, (long) rows * in)) Kernels.checkArray(k, "x (rows×in = " + rows + "×" + in + ")", x, 0, (long) rows * in);
        if (Kernels.outside(y, 0, (long) rows * out)) Kernels.checkArray(k, "y (rows×out = " + rows + "×" + out + ")", y, 0, (long) rows * out);
        if (block < 2 || block % 2 != 0) throw new IllegalArgumentException(k + ": block must be even and >= 2, got " + block);
        if (table == null || table.length != 16) throw new IllegalArgumentException(k + ": table must have 16 entries, got " + (table == null ? "null" : table.length));
        if (codes == null || codes.length < (n + 1) / 2)
            throw new IllegalArgumentException(k + ": codes too short: " + (codes == null ? 0 : codes.length) + " bytes for " + n + " 4-bit weights");
        if (scales == null || scales.length < (n + block - 1) / block)
            throw new IllegalArgumentException(k + ": scales too short: " + (scales == null ? 0 : scales.length) + " for " + n + " weights in blocks of " + block);
        if (x == y) throw new IllegalArgumentException(k + ": the output aliases the input");
    }
}
