package llmbook.kernels;

/**
 * The fast {@link QuantMatMul}: decode {@link QuantMatMul#TILE} rows of Ŵ into a tile buffer and hand the tile to
 * the packed Vector API matmul ({@link MatMulVector}), which also splits the rows of x between threads. Only a tile
 * (at most TILE·in floats) of the fp32 weight exists at any time.
 * <pre>
 *   forward:  y[:, o0 … o0+t) = x · Ŵ[o0 … o0+t, :]ᵀ          (rows, t), written into y's columns
 *   backward: dx += dy[:, o0 … o0+t) · Ŵ[o0 … o0+t, :]         (rows, in), accumulated tile by tile
 * </pre>
 */
final class QuantMatMulVector {
    private QuantMatMulVector() {}

    private static final int TILE = QuantMatMul.TILE;

    static void forward(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        forward(y, x, rows, in, out, codes, table, scales, block, 4);
    }

    /** {@code bits} = 4 (packed nibbles) or 8 (one code per byte). */
    static void forward(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block, int bits) {
        if (rows == 0 || out == 0) return;
        int tile = Math.min(TILE, out);
        float[] w = new float[tile * in], yt = tile == out ? y : new float[rows * tile];
        for (int o0 = 0; o0 < out; o0 += tile) {
            int nt = Math.min(tile, out - o0);
            QuantMatMul.decode(w, 0, (long) o0 * in, nt * in, codes, table, scales, block, bits);       // rows o0 … o0+nt of Ŵ
            MatMulVector.matmul(yt, 0, x, 0, w, 0, rows, in, nt, false, true, false);             // (rows, nt)
            if (yt != y) for (int r = 0; r < rows; r++) System.arraycopy(yt, r * nt, y, r * out + o0, nt);
        }
    }

    static void backward(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        backward(dx, dy, rows, in, out, codes, table, scales, block, 4);
    }

    static void backward(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block, int bits) {
        if (rows == 0 || out == 0) return;
        int tile = Math.min(TILE, out);
        float[] w = new float[tile * in], g = tile == out ? dy : new float[rows * tile];
        for (int o0 = 0; o0 < out; o0 += tile) {
            int nt = Math.min(tile, out - o0);
            QuantMatMul.decode(w, 0, (long) o0 * in, nt * in, codes, table, scales, block, bits);
            if (g != dy) for (int r = 0; r < rows; r++) System.arraycopy(dy, r * out + o0, g, r * nt, nt);   // dy's columns o0 … o0+nt
            MatMulVector.matmul(dx, 0, g, 0, w, 0, rows, nt, in, false, false, true);            // dx += (rows, nt)·(nt, in)
        }
    }
}
