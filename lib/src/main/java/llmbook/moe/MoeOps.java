package llmbook.moe;

import llmbook.tensor.Tensor;

/** The one op a mixture of experts needs beyond the library's: adding gated expert outputs back to their tokens. Q46. */
public final class MoeOps {
    private MoeOps() {}

    /**
     * {@code out[token[r]] += gate[r] · y[r]} for every computed row r: y (R, C) the experts' outputs concatenated,
     * gate (R), token (R) the row each came from; out (N, C), zero for a token all of whose choices were dropped.
     * Backward: {@code dy[r] = gate[r] · dout[token[r]]}, {@code dgate[r] = y[r] · dout[token[r]]}.
     */
    public static Tensor combine(Tensor y, Tensor gate, int[] token, int n) {
        Tensor yc = y.contiguous(), gc = gate.contiguous();
        int[] s = yc.shape();
        if (s.length != 2 || gc.numel() != s[0] || token.length != s[0])
            throw new IllegalArgumentException("MoeOps.combine: y " + java.util.Arrays.toString(s) + ", gate " + java.util.Arrays.toString(gc.shape())
                    + " and " + token.length + " token indices must agree on the rows");
        int r = s[0], c = s[1];
        float[] yd = yc.data(), gd = gc.data(), out = new float[n * c];
        int yo = yc.offset(), go = gc.offset();
        for (int i = 0; i < r; i++) {
            int t = token[i];
            if (t < 0 || t >= n) throw new IndexOutOfBoundsException("MoeOps.combine: token " + t + " outside [0, " + n + ")");
            float g = gd[go + i];
            for (int j = 0; j < c; j++) out[t * c + j] += g * yd[yo + i * c + j];
        }
        int[] tok = token.clone();
        return Tensor.fromOp("moe_combine", out, new int[] {n, c}, yc, gc).onBackward(dout -> {
            float[] dy = yc.requiresGrad() ? yc.gradBuffer() : null, dg = gc.requiresGrad() ? gc.gradBuffer() : null;
            for (int i = 0; i < r; i++) {
                int t = tok[i];
                float g = gd[go + i], dot = 0f;
                for (int j = 0; j < c; j++) {
                    float d = dout[t * c + j];
                    if (dy != null) dy[i * c + j] += g * d;
                    dot += yd[yo + i * c + j] * d;
                }
                if (dg != null) dg[i] += dot;
            }
        });
    }
}
