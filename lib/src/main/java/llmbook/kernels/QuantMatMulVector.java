package llmbook.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API {@link QuantMatMul}: decode {@link QuantMatMul#TILE} rows of Ŵ into a scratch tile, then one
 * four-accumulator dot ({@link Vec#dot}) per (input row, output unit) in the forward, and one vector axpy per
 * (input row, output unit) in the backward.
 */
final class QuantMatMulVector {
    private QuantMatMulVector() {}

    private static final int TILE = QuantMatMul.TILE;
    /** Below this many multiply-adds one thread is faster. */
    private static final long PARALLEL_MIN = 1L << 18;

    static void forward(float[] y, float[] x, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        int sl = (long) rows * in * out < PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), (out + TILE - 1) / TILE);
        Kernels.parallel(sl, s -> {
            int o0 = (int) ((long) out * s / sl), o1 = (int) ((long) out * (s + 1) / sl);
            float[] w = new float[TILE * in];
            for (int t0 = o0; t0 < o1; t0 += TILE) {
                int nt = Math.min(TILE, o1 - t0);
                QuantMatMul.decode(w, 0, (long) t0 * in, nt * in, codes, table, scales, block);   // rows t0 … t0+nt of Ŵ
                for (int r = 0; r < rows; r++)
                    for (int t = 0; t < nt; t++) y[r * out + t0 + t] = Vec.dot(x, r * in, w, t * in, in);
            }
        });
    }

    static void backward(float[] dx, float[] dy, int rows, int in, int out, byte[] codes, float[] table, float[] scales, int block) {
        int sl = (long) rows * in * out < PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), Math.max(1, in / 64));
        Kernels.parallel(sl, s -> {
            int i0 = (int) ((long) in * s / sl), i1 = (int) ((long) in * (s + 1) / sl), len = i1 - i0;
            float[] w = new float[TILE * len];
            for (int t0 = 0; t0 < out; t0 += TILE) {
                int nt = Math.min(TILE, out - t0);
                for (int t = 0; t < nt; t++) QuantMatMul.decode(w, t * len, (long) (t0 + t) * in + i0, len, codes, table, scales, block);
                for (int r = 0; r < rows; r++)
                    for (int t = 0; t < nt; t++) axpy(dx, r * in + i0, dy[r * out + t0 + t], w, t * len, len);
            }
        });
    }

    /** y[yo … yo+n) += a · x[xo … xo+n). */
    private static void axpy(float[] y, int yo, float a, float[] x, int xo, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(Vec.S, a);
        for (; i <= n - Vec.L; i += Vec.L)
            FloatVector.fromArray(Vec.S, x, xo + i).fma(va, FloatVector.fromArray(Vec.S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += a * x[xo + i];
    }
}
