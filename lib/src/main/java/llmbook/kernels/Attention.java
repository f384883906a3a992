package llmbook.kernels;

/**
 * Fused causal scaled-dot-product attention for one head, never storing the T×T score matrix. Q2, Q33, Q41.
 *
 * <p>q, k, v, out (and dq, dk, dv, dout) are T×d row-major at their offsets. For each query row i:
 * <pre>
 *   s_ij  = scale · q_i·k_j              for j ≤ i  (causal: a token sees itself and the past)
 *   lse_i = log Σ_{j≤i} exp(s_ij)        (saved by forward: T floats at lseOff)
 *   p_ij  = exp(s_ij − lse_i)            out_i = Σ_{j≤i} p_ij · v_j
 * </pre>
 * Backward (accumulating), with {@code D_i = dout_i·out_i} (= Σ_j p_ij·(dout_i·v_j)):
 * <pre>
 *   dv_j += Σ_{i≥j} p_ij · dout_i       ds_ij = p_ij · (dout_i·v_j − D_i)
 *   dq_i += scale · Σ_{j≤i} ds_ij · k_j   dk_j += scale · Σ_{i≥j} ds_ij · q_i
 * </pre>
 * The fused version streams over keys with an online softmax (running max and sum), so memory is O(T·d),
 * not O(T²). The scalar twins materialise the T×T scores and are the reference.
 *
 * <p>Exact signatures:
 * <pre>
 * causalForward(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
 *               float[] v, int vOff, int T, int d, float scale)
 * causalBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
 *                float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
 *                float[] lse, int lseOff, int T, int d, float scale)
 * </pre>
 * plus overloads without {@code lseOff} (meaning 0). Usually {@code scale = 1/√d}.
 */
public final class Attention {
    private Attention() {}

    /** Forward with {@code lseOff = 0}. */
    public static void causalForward(float[] out, int outOff, float[] lse, float[] q, int qOff, float[] k, int kOff,
                                     float[] v, int vOff, int T, int d, float scale) {
        causalForward(out, outOff, lse, 0, q, qOff, k, kOff, v, vOff, T, d, scale);
    }

    /** {@code out = softmax(scale·q·kᵀ + causal mask)·v}; writes {@code lse[lseOff .. lseOff+T)}. */
    public static void causalForward(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                                     float[] v, int vOff, int T, int d, float scale) {
        checkF("Attention.causalForward", out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d);
        if (Kernels.usingVector()) AttentionVector.causalForward(out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d, scale);
        else forwardUnchecked(out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d, scale);
    }

    /** Backward with {@code lseOff = 0}. */
    public static void causalBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                      float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                                      float[] lse, int T, int d, float scale) {
        causalBackward(dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, out, outOff, lse, 0, T, d, scale);
    }

    /** Accumulates the gradients of the forward into dq, dk, dv (see the class comment for the formulas). */
    public static void causalBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                      float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                                      float[] lse, int lseOff, int T, int d, float scale) {
        checkB("Attention.causalBackward", dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, out, outOff, lse, lseOff, T, d);
        if (Kernels.usingVector())
            AttentionVector.causalBackward(dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, out, outOff, lse, lseOff, T, d, scale);
        else backwardUnchecked(dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, lse, lseOff, T, d, scale);
    }

    /**
     * {@link #causalForward} for {@code heads} independent heads stored one after another: head h reads q, k, v and
     * writes out at offset {@code h·T·d} past the given offsets, and writes {@code lse} at {@code lseOff + h·T}.
     * Heads are spread over {@link Kernels#threads()} threads; each head is computed by one thread in a fixed
     * order, so the result is the same for every thread count.
     */
    public static void causalForwardHeads(int heads, float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff,
                                          float[] k, int kOff, float[] v, int vOff, int T, int d, float scale) {
        String kn = "Attention.causalForwardHeads";
        checkHeads(kn, heads, T, d, lse, lseOff);
        checkHTd(kn, "out", out, outOff, heads, T, d);
        checkHTd(kn, "q", q, qOff, heads, T, d);
        checkHTd(kn, "k", k, kOff, heads, T, d);
        checkHTd(kn, "v", v, vOff, heads, T, d);
        if (Kernels.usingVector()) AttentionVector.causalForwardHeads(heads, out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d, scale);
        else for (int h = 0, td = T * d; h < heads; h++)
            forwardUnchecked(out, outOff + h * td, lse, lseOff + h * T, q, qOff + h * td, k, kOff + h * td, v, vOff + h * td, T, d, scale);
    }

    /** {@link #causalBackward} for {@code heads} heads laid out as in {@link #causalForwardHeads} (accumulating). */
    public static void causalBackwardHeads(int heads, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout,
                                           int doutOff, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out,
                                           int outOff, float[] lse, int lseOff, int T, int d, float scale) {
        String kn = "Attention.causalBackwardHeads";
        checkHeads(kn, heads, T, d, lse, lseOff);
        checkHTd(kn, "dq", dq, dqOff, heads, T, d);
        checkHTd(kn, "dk", dk, dkOff, heads, T, d);
        checkHTd(kn, "dv", dv, dvOff, heads, T, d);
        checkHTd(kn, "dout", dout, doutOff, heads, T, d);
        checkHTd(kn, "q", q, qOff, heads, T, d);
        checkHTd(kn, "k", k, kOff, heads, T, d);
        checkHTd(kn, "v", v, vOff, heads, T, d);
        checkHTd(kn, "out", out, outOff, heads, T, d);
        if (Kernels.usingVector())
            AttentionVector.causalBackwardHeads(heads, dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff,
                    out, outOff, lse, lseOff, T, d, scale);
        else for (int h = 0, td = T * d; h < heads; h++) {
            int o = h * td;
            backwardUnchecked(dq, dqOff + o, dk, dkOff + o, dv, dvOff + o, dout, doutOff + o, q, qOff + o, k, kOff + o, v, vOff + o,
                    lse, lseOff + h * T, T, d, scale);
        }
    }

    private static void checkHeads(String kn, int heads, int T, int d, float[] lse, int lseOff) {
        Kernels.checkDim(kn, "heads", heads);
        Kernels.checkDim(kn, "T", T);
        Kernels.checkDim(kn, "d", d);
        Kernels.checkArray(kn, "lse (heads×T=" + heads + "×" + T + ")", lse, lseOff, (long) heads * T);
    }

    /** Throws unless {@code arr} holds heads×T×d floats from {@code off}; names the array and the sizes. */
    private static void checkHTd(String kn, String name, float[] arr, int off, int heads, int T, int d) {
        Kernels.checkArray(kn, name + " (heads×T×d=" + heads + "×" + T + "×" + d + ")", arr, off, (long) heads * T * d);
    }

    // ---- scalar twins: materialise the T×T matrices ----

    public static void causalForwardScalar(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                                           float[] v, int vOff, int T, int d, float scale) {
        checkF("Attention.causalForwardScalar", out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d);
        forwardUnchecked(out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d, scale);
    }

    public static void causalBackwardScalar(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                            float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                                            float[] lse, int lseOff, int T, int d, float scale) {
        checkB("Attention.causalBackwardScalar", dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, out, outOff, lse, lseOff, T, d);
        backwardUnchecked(dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, lse, lseOff, T, d, scale);
    }

    /** P[i][j] = exp(s_ij − lse_i) for j ≤ i, 0 above the diagonal; fills lse when {@code computeLse}. */
    private static float[] probs(float[] lse, int lseOff, boolean computeLse, float[] q, int qOff, float[] k, int kOff, int T, int d, float scale) {
        float[] p = new float[T * T]; // (T, T)
        for (int i = 0; i < T; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                float s = 0f;
                for (int c = 0; c < d; c++) s += q[qOff + i * d + c] * k[kOff + j * d + c];
                s *= scale;
                p[i * T + j] = s;
                max = Math.max(max, s);
            }
            if (computeLse) {
                float sum = 0f;
                for (int j = 0; j <= i; j++) sum += (float) Math.exp(p[i * T + j] - max);
                lse[lseOff + i] = max + (float) Math.log(sum);
            }
            float l = lse[lseOff + i];
            for (int j = 0; j <= i; j++) p[i * T + j] = (float) Math.exp(p[i * T + j] - l);
        }
        return p;
    }

    private static void forwardUnchecked(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                                         float[] v, int vOff, int T, int d, float scale) {
        float[] p = probs(lse, lseOff, true, q, qOff, k, kOff, T, d, scale);
        for (int i = 0; i < T; i++) {
            for (int c = 0; c < d; c++) out[outOff + i * d + c] = 0f;
            for (int j = 0; j <= i; j++) {
                float pij = p[i * T + j];
                for (int c = 0; c < d; c++) out[outOff + i * d + c] += pij * v[vOff + j * d + c];
            }
        }
    }

    private static void backwardUnchecked(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                          float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                                          float[] lse, int lseOff, int T, int d, float scale) {
        float[] p = probs(lse, lseOff, false, q, qOff, k, kOff, T, d, scale);
        float[] dp = new float[T * T]; // (T, T) dL/dp_ij = dout_i·v_j
        for (int i = 0; i < T; i++)
            for (int j = 0; j <= i; j++) {
                float s = 0f;
                for (int c = 0; c < d; c++) s += dout[doutOff + i * d + c] * v[vOff + j * d + c];
                dp[i * T + j] = s;
            }
        for (int i = 0; i < T; i++) {
            float rowDot = 0f; // D_i = Σ_j p_ij dp_ij
            for (int j = 0; j <= i; j++) rowDot += p[i * T + j] * dp[i * T + j];
            for (int j = 0; j <= i; j++) {
                float pij = p[i * T + j];
                float ds = pij * (dp[i * T + j] - rowDot) * scale;
                for (int c = 0; c < d; c++) {
                    dv[dvOff + j * d + c] += pij * dout[doutOff + i * d + c];
                    dq[dqOff + i * d + c] += ds * k[kOff + j * d + c];
                    dk[dkOff + j * d + c] += ds * q[qOff + i * d + c];
                }
            }
        }
    }

    private static void checkF(String kn, float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                               float[] v, int vOff, int T, int d) {
        Kernels.checkDim(kn, "T", T);
        Kernels.checkDim(kn, "d", d);
        String td = " (T×d=" + T + "×" + d + ")";
        long size = (long) T * d;
        Kernels.checkArray(kn, "out" + td, out, outOff, size);
        Kernels.checkArray(kn, "lse (T=" + T + ")", lse, lseOff, T);
        Kernels.checkArray(kn, "q" + td, q, qOff, size);
        Kernels.checkArray(kn, "k" + td, k, kOff, size);
        Kernels.checkArray(kn, "v" + td, v, vOff, size);
    }

    private static void checkB(String kn, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                               float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                               float[] lse, int lseOff, int T, int d) {
        checkF(kn, out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d);
        String td = " (T×d=" + T + "×" + d + ")";
        long size = (long) T * d;
        Kernels.checkArray(kn, "dq" + td, dq, dqOff, size);
        Kernels.checkArray(kn, "dk" + td, dk, dkOff, size);
        Kernels.checkArray(kn, "dv" + td, dv, dvOff, size);
        Kernels.checkArray(kn, "dout" + td, dout, doutOff, size);
    }
}
