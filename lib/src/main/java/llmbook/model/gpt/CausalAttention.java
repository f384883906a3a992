package llmbook.model.gpt;

import llmbook.kernels.Attention;
import llmbook.kernels.Kernels;
import llmbook.tensor.Buffers;
import llmbook.tensor.Tensor;

/**
 * Multi-head causal self-attention as one autograd op on the fused kernel. Q2, Q9, Q33.
 *
 * <p>Input: the packed projections {@code qkv (B, T, 3C)} — queries, keys and values side by side, each
 * {@code C = H·d} wide, head h owning columns {@code h·d .. h·d + d} of each. Output {@code (B, T, C)}:
 * <pre>
 *   out[b, t, h·d + j] = Σ_{s ≤ t} softmax_s(q_{b,h,t}·k_{b,h,s} / √d) · v_{b,h,s,j}
 * </pre>
 * Each (batch, head) pair runs the fused kernel ({@link Attention#causalForwardHeads} spreads the B·H pairs over the
 * threads), which never builds the T×T score matrix, so memory stays O(T·d) instead of O(T²); the backward runs {@link Attention#causalBackward}
 * from the saved output and log-sum-exp. Composed from primitives (reshape, matmul, mask, softmax) the
 * same function is several times slower and stores the T×T scores of every head.
 */
public final class CausalAttention {
    private CausalAttention() {}

    /** {@code qkv (B, T, 3C)} → {@code (B, T, C)} with {@code heads} heads of size {@code C / heads}. */
    public static Tensor apply(Tensor qkv, int heads) {
        int[] s = qkv.shape();
        if (s.length != 3 || s[2] % 3 != 0)
            throw new IllegalArgumentException("causal attention: qkv must be (B, T, 3C), got " + java.util.Arrays.toString(s));
        int B = s[0], T = s[1], C = s[2] / 3;
        if (heads < 1 || C % heads != 0)
            throw new IllegalArgumentException("causal attention: " + heads + " heads do not divide the width " + C);
        int d = C / heads, BH = B * heads;
        float scale = (float) (1.0 / Math.sqrt(d));
        Tensor x = qkv.contiguous();
        float[] xd = x.data();
        int xo = x.offset();
        // (recycled storage: every element of q, k, v, o, lse and out is written before it is read)
        float[] q = Buffers.dirty(BH * T * d), k = Buffers.dirty(BH * T * d), v = Buffers.dirty(BH * T * d);
        split(xd, xo, q, k, v, B, T, heads, d);                          // (B, T, 3C) -> 3 × (B·H, T, d)
        float[] o = Buffers.dirty(BH * T * d), lse = Buffers.dirty(BH * T);
        Attention.causalForwardHeads(BH, o, 0, lse, 0, q, 0, k, 0, v, 0, T, d, scale);     // heads spread over the threads
        float[] out = Buffers.dirty(B * T * C);
        merge(o, out, B, T, heads, d);                                   // (B·H, T, d) -> (B, T, C)
        Tensor y = Tensor.fromOp("causal_attention", out, new int[] {B, T, C}, x).alsoOwns(q, k, v, o, lse);
        return y.onBackward(g -> {
            float[] dOut = Buffers.dirty(BH * T * d);
            unmerge(g, dOut, B, T, heads, d);
            float[] dq = Buffers.zeroed(BH * T * d), dk = Buffers.zeroed(BH * T * d), dv = Buffers.zeroed(BH * T * d);
            Attention.causalBackwardHeads(BH, dq, 0, dk, 0, dv, 0, dOut, 0, q, 0, k, 0, v, 0, o, 0, lse, 0, T, d, scale);
            boolean first = !x.hasGrad();                                // write the first contribution, add later ones
            float[] gx = first ? x.gradBufferForWrite() : x.gradBuffer();
            Kernels.parallelRange(B * T, 64, (r0, r1) -> {                 // rows (b, t) of gx: (B, T, 3C)
                for (int bt = r0; bt < r1; bt++) {
                    int b = bt / T, t = bt % T, row = bt * 3 * C;
                    for (int h = 0; h < heads; h++) {
                        int src = ((b * heads + h) * T + t) * d, col = row + h * d;
                        if (first) {
                            System.arraycopy(dq, src, gx, col, d);
                            System.arraycopy(dk, src, gx, col + C, d);
                            System.arraycopy(dv, src, gx, col + 2 * C, d);
                        } else {
                            for (int j = 0; j < d; j++) {
                                gx[col + j] += dq[src + j];
                                gx[col + C + j] += dk[src + j];
                                gx[col + 2 * C + j] += dv[src + j];
                            }
                        }
                    }
                }
            });
            for (float[] scratch : new float[][] {dOut, dq, dk, dv}) Buffers.recycle(scratch);   // read by no one now
        });
    }

    private static void split(float[] x, int xo, float[] q, float[] k, float[] v, int B, int T, int H, int d) {
        int C = H * d;
        Kernels.parallelRange(B, 1, (b0, b1) -> {
        for (int b = b0; b < b1; b++)
            for (int t = 0; t < T; t++) {
                int row = xo + (b * T + t) * 3 * C;
                for (int h = 0; h < H; h++) {
                    int dst = ((b * H + h) * T + t) * d;
                    System.arraycopy(x, row + h * d, q, dst, d);
                    System.arraycopy(x, row + C + h * d, k, dst, d);
                    System.arraycopy(x, row + 2 * C + h * d, v, dst, d);
                }
            }
        });
    }

    private static void merge(float[] o, float[] out, int B, int T, int H, int d) {
        Kernels.parallelRange(B, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++)
                for (int h = 0; h < H; h++)
                    for (int t = 0; t < T; t++)
                        System.arraycopy(o, ((b * H + h) * T + t) * d, out, (b * T + t) * H * d + h * d, d);
        });
    }

    private static void unmerge(float[] g, float[] dOut, int B, int T, int H, int d) {
        Kernels.parallelRange(B, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++)
                for (int h = 0; h < H; h++)
                    for (int t = 0; t < T; t++)
                        System.arraycopy(g, (b * T + t) * H * d + h * d, dOut, ((b * H + h) * T + t) * d, d);
        });
    }
}
