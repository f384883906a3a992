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
 * The vector version never stores the T×T matrix: it takes one query row (or four rows sharing every load of k
 * and v) at a time, computes that row's scores against keys 0..i into an O(T) scratch row, takes the max, the
 * exponentials and their sum (an exact two-pass softmax over the row, not an online/streaming one), then the
 * weighted sum of value rows; the backward recomputes each row's p from the saved lse. Memory is O(T·d) plus
 * O(T) per thread. The scalar twins materialise the T×T matrices and are the reference.
 *
 * <p>{@link #groupedForward}/{@link #groupedBackward} run a whole batch of heads where H query heads share G ≤ H key/value
 * heads (multi-head G = H, grouped-query, multi-query G = 1) and the value width dv may differ from the key width
 * dk (latent attention); {@link #cachedForward} is decoding: new queries against a preallocated KV cache.
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
        if (Kernels.outside(lse, lseOff, (long) heads * T)) Kernels.checkArray(kn, "lse (heads×T=" + heads + "×" + T + ")", lse, lseOff, (long) heads * T);
    }

    /** Throws unless {@code arr} holds heads×T×d floats from {@code off}; names the array and the sizes. */
    private static void checkHTd(String kn, String name, float[] arr, int off, int heads, int T, int d) {
        if (Kernels.outside(arr, off, (long) heads * T * d)) Kernels.checkArray(kn, name + " (heads×T×d=" + heads + "×" + T + "×" + d + ")", arr, off, (long) heads * T * d);
    }

    // ---- a batch of grouped heads (MHA, GQA, MQA; MLA with dv ≠ dk) ----

    /**
     * Causal attention for B sequences with H query heads sharing G key/value heads (G divides H; query head h uses
     * K/V head ⌊h/(H/G)⌋), all row-major and contiguous:
     * <pre>
     *   q (B, H, T, dk) at qOff   k (B, G, T, dk) at kOff   v (B, G, T, dv) at vOff   →   out (B, H, T, dv), lse (B, H, T) at 0
     * </pre>
     * Each (b, g) and its H/G query heads go to one thread, so the result does not depend on the thread count.
     */
    public static void groupedForward(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] lse,
                                      float[] q, int qOff, float[] k, int kOff, float[] v, int vOff) {
        checkGrouped("Attention.groupedForward", B, H, G, T, dk, dv, out, lse, q, qOff, k, kOff, v, vOff);
        if (Kernels.usingVector())
            AttentionVector.groupedForward(B, H, G, T, dk, dv, scale, out, Layout.headMajor(0, H, T, dv), lse, q, Layout.headMajor(qOff, H, T, dk),
                    k, Layout.headMajor(kOff, G, T, dk), v, Layout.headMajor(vOff, G, T, dv));
        else groupedForwardUnchecked(B, H, G, T, dk, dv, scale, out, lse, q, qOff, k, kOff, v, vOff);
    }

    /**
     * Gradients of {@link #groupedForward}, ADDED into dq (B, H, T, dk), dK (B, G, T, dk), dV (B, G, T, dv) (all at 0),
     * from dout (B, H, T, dv) at 0 and the saved out, lse. The H/G query heads of a K/V head add their dK, dV into
     * that head's rows on one thread, one after another (no two threads write the same row).
     */
    public static void groupedBackward(int B, int H, int G, int T, int dk, int dv, float scale, float[] dq, float[] dK, float[] dV,
                                       float[] dout, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, float[] lse) {
        String kn = "Attention.groupedBackward";
        checkGrouped(kn, B, H, G, T, dk, dv, out, lse, q, qOff, k, kOff, v, vOff);
        checkGradients(kn, B, H, G, T, dk, dv, dq, dK, dV, dout);
        if (Kernels.usingVector())
            AttentionVector.groupedBackward(B, H, G, T, dk, dv, scale, dq, Layout.headMajor(0, H, T, dk), dK, Layout.headMajor(0, G, T, dk),
                    dV, Layout.headMajor(0, G, T, dv), dout, Layout.headMajor(0, H, T, dv), q, Layout.headMajor(qOff, H, T, dk),
                    k, Layout.headMajor(kOff, G, T, dk), v, Layout.headMajor(vOff, G, T, dv), out, Layout.headMajor(0, H, T, dv), lse, true);
        else groupedBackwardUnchecked(B, H, G, T, dk, dv, scale, dq, dK, dV, dout, q, qOff, k, kOff, v, vOff, lse);
    }

    /**
     * Where the rows of one operand of the grouped kernels live: feature c of position t of head h of sequence b is at
     * {@code off + b·batch + h·head + t·row + c}. {@link #headMajor} is the contiguous (B, heads, T, d) the kernels
     * were written for; {@link #columns} reads head h from columns {@code h·d …} of the rows of a (B, T, width) array,
     * the layout a projection writes (and, at a column offset, the packed {@code qkv}), so no head is ever copied.
     */
    public record Layout(int off, int batch, int head, int row) {
        /** (B, heads, T, d) contiguous from {@code off}. */
        public static Layout headMajor(int off, int heads, int T, int d) { return new Layout(off, heads * T * d, T * d, d); }

        /** Heads of width d side by side in rows {@code row} floats apart, sequences {@code batch} floats apart. */
        public static Layout columns(int off, int batch, int row, int d) { return new Layout(off, batch, d, row); }

        /** Offset of row 0 of head h of sequence b. */
        int at(int b, int h) { return off + b * batch + h * head; }

        /** Throws unless every (b &lt; B, h &lt; heads, t &lt; T, c &lt; d) lands inside {@code arr}; names the operand. */
        void check(String kn, String name, float[] arr, int B, int heads, int T, int d) {
            if (off < 0 || batch < 0 || head < 0 || row < 0)
                throw new IllegalArgumentException(kn + ": " + name + " layout needs offset and strides >= 0, got " + this);
            long last = off + (long) (B - 1) * batch + (long) (heads - 1) * head + (long) (T - 1) * row + d;
            if (B > 0 && heads > 0 && T > 0 && d > 0 && last > arr.length)
                throw new IllegalArgumentException(kn + ": " + name + " (B×heads×T×d=" + B + "×" + heads + "×" + T + "×" + d + ") with " + this
                        + " reaches index " + (last - 1) + " of an array of " + arr.length);
        }
    }

    /**
     * {@link #groupedForward} with every operand placed by a {@link Layout} (out's layout may differ from q's); lse
     * (B, H, T) at 0. The same arithmetic, so the same bits, as on contiguous copies.
     */
    public static void groupedForward(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, Layout lo, float[] lse,
                                      float[] q, Layout lq, float[] k, Layout lk, float[] v, Layout lv) {
        checkLaidOut("Attention.groupedForward", B, H, G, T, dk, dv, out, lo, lse, q, lq, k, lk, v, lv);
        if (Kernels.usingVector()) { AttentionVector.groupedForward(B, H, G, T, dk, dv, scale, out, lo, lse, q, lq, k, lk, v, lv); return; }
        float[] qh = gather(q, lq, B, H, T, dk), kh = gather(k, lk, B, G, T, dk), vh = gather(v, lv, B, G, T, dv), oh = new float[B * H * T * dv];
        groupedForwardUnchecked(B, H, G, T, dk, dv, scale, oh, lse, qh, 0, kh, 0, vh, 0);
        scatterHeads(oh, out, lo, B, H, T, dv, false);
    }

    /**
     * {@link #groupedBackward} with every operand placed by a {@link Layout}: gradients ADDED into dq, dK, dV at their
     * layouts, which must not overlap one another (threads write them concurrently); lse (B, H, T) at 0.
     */
    public static void groupedBackward(int B, int H, int G, int T, int dk, int dv, float scale, float[] dq, Layout ldq, float[] dK, Layout ldK,
                                       float[] dV, Layout ldV, float[] dout, Layout lg, float[] q, Layout lq, float[] k, Layout lk,
                                       float[] v, Layout lv, float[] out, Layout lo, float[] lse) {
        groupedBackward(B, H, G, T, dk, dv, scale, dq, ldq, dK, ldK, dV, ldV, dout, lg, q, lq, k, lk, v, lv, out, lo, lse, true);
    }

    /**
     * As above; with {@code accumulate} false the gradients' laid-out parts are written, whatever they held (a new
     * gradient needs no clearing first). The same bits as adding into zeros.
     */
    public static void groupedBackward(int B, int H, int G, int T, int dk, int dv, float scale, float[] dq, Layout ldq, float[] dK, Layout ldK,
                                       float[] dV, Layout ldV, float[] dout, Layout lg, float[] q, Layout lq, float[] k, Layout lk,
                                       float[] v, Layout lv, float[] out, Layout lo, float[] lse, boolean accumulate) {
        String kn = "Attention.groupedBackward";
        checkLaidOut(kn, B, H, G, T, dk, dv, out, lo, lse, q, lq, k, lk, v, lv);
        lg.check(kn, "dout", dout, B, H, T, dv);
        ldq.check(kn, "dq", dq, B, H, T, dk);
        ldK.check(kn, "dK", dK, B, G, T, dk);
        ldV.check(kn, "dV", dV, B, G, T, dv);
        if (Kernels.usingVector()) {
            AttentionVector.groupedBackward(B, H, G, T, dk, dv, scale, dq, ldq, dK, ldK, dV, ldV, dout, lg, q, lq, k, lk, v, lv, out, lo, lse,
                    accumulate);
            return;
        }
        float[] dqh = new float[B * H * T * dk], dKh = new float[B * G * T * dk], dVh = new float[B * G * T * dv];
        groupedBackwardUnchecked(B, H, G, T, dk, dv, scale, dqh, dKh, dVh, gather(dout, lg, B, H, T, dv), gather(q, lq, B, H, T, dk), 0,
                gather(k, lk, B, G, T, dk), 0, gather(v, lv, B, G, T, dv), 0, lse);
        scatterHeads(dqh, dq, ldq, B, H, T, dk, accumulate);
        scatterHeads(dKh, dK, ldK, B, G, T, dk, accumulate);
        scatterHeads(dVh, dV, ldV, B, G, T, dv, accumulate);
    }

    /** The checks the laid-out forward and backward share: sizes, q, k, v, out at their layouts, lse (B, H, T) at 0. */
    private static void checkLaidOut(String kn, int B, int H, int G, int T, int dk, int dv, float[] out, Layout lo, float[] lse,
                                     float[] q, Layout lq, float[] k, Layout lk, float[] v, Layout lv) {
        checkGroups(kn, B, H, G, T, dk, dv);
        lq.check(kn, "q", q, B, H, T, dk);
        lk.check(kn, "k", k, B, G, T, dk);
        lv.check(kn, "v", v, B, G, T, dv);
        lo.check(kn, "out", out, B, H, T, dv);
        if (Kernels.outside(lse, 0, (long) B * H * T)) Kernels.checkArray(kn, "lse (B×H×T=" + B + "×" + H + "×" + T + ")", lse, 0, (long) B * H * T);
    }

    /**
     * The heads of a laid-out operand copied to contiguous (B, heads, T, d) in {@code dst}, sequences shared between
     * the threads: for kernels that need head-major rows (the padded and segmented ones, the scalar twins).
     */
    public static void gatherHeads(float[] a, Layout l, float[] dst, int B, int heads, int T, int d) {
        checkHeads("Attention.gatherHeads", a, l, "dst", dst, B, heads, T, d);
        Kernels.parallelRange(B, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++)
                for (int n = 0; n < heads; n++)
                    for (int t = 0; t < T; t++) System.arraycopy(a, l.at(b, n) + t * l.row(), dst, ((b * heads + n) * T + t) * d, d);
        });
    }

    /** Contiguous (B, heads, T, d) written (or added) to the heads of a laid-out operand; the inverse of {@link #gatherHeads}. */
    public static void scatterHeads(float[] h, float[] a, Layout l, int B, int heads, int T, int d, boolean add) {
        checkHeads("Attention.scatterHeads", a, l, "h", h, B, heads, T, d);
        Kernels.parallelRange(B, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++)
                for (int n = 0; n < heads; n++)
                    for (int t = 0; t < T; t++) {
                        int from = ((b * heads + n) * T + t) * d, to = l.at(b, n) + t * l.row();
                        if (add) for (int c = 0; c < d; c++) a[to + c] += h[from + c];
                        else System.arraycopy(h, from, a, to, d);
                    }
        });
    }

    /** The laid-out operand a at l and the contiguous (B, heads, T, d) one, each inside its array. */
    private static void checkHeads(String kn, float[] a, Layout l, String name, float[] h, int B, int heads, int T, int d) {
        l.check(kn, "a", a, B, heads, T, d);
        long n = (long) B * heads * T * d;
        if (Kernels.outside(h, 0, n)) Kernels.checkArray(kn, name + " (B×heads×T×d=" + B + "×" + heads + "×" + T + "×" + d + ")", h, 0, n);
    }

    /** {@link #gatherHeads} into a new array. */
    private static float[] gather(float[] a, Layout l, int B, int heads, int T, int d) {
        float[] h = new float[B * heads * T * d];
        gatherHeads(a, l, h, B, heads, T, d);
        return h;
    }

    /** The scalar twin of {@link #groupedForward} (materialises each head's T×T probabilities). */
    public static void groupedForwardScalar(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] lse,
                                            float[] q, int qOff, float[] k, int kOff, float[] v, int vOff) {
        checkGrouped("Attention.groupedForwardScalar", B, H, G, T, dk, dv, out, lse, q, qOff, k, kOff, v, vOff);
        groupedForwardUnchecked(B, H, G, T, dk, dv, scale, out, lse, q, qOff, k, kOff, v, vOff);
    }

    /** The scalar twin of {@link #groupedBackward}. */
    public static void groupedBackwardScalar(int B, int H, int G, int T, int dk, int dv, float scale, float[] dq, float[] dK, float[] dV,
                                             float[] dout, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, float[] lse) {
        String kn = "Attention.groupedBackwardScalar";
        checkGrouped(kn, B, H, G, T, dk, dv, out, lse, q, qOff, k, kOff, v, vOff);
        checkGradients(kn, B, H, G, T, dk, dv, dq, dK, dV, dout);
        groupedBackwardUnchecked(B, H, G, T, dk, dv, scale, dq, dK, dV, dout, q, qOff, k, kOff, v, vOff, lse);
    }

    private static void groupedForwardUnchecked(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] lse,
                                                float[] q, int qOff, float[] k, int kOff, float[] v, int vOff) {
        int per = H / G;
        for (int bh = 0; bh < B * H; bh++) {
            int u = bh / per;                                           // = b·G + ⌊h/per⌋
            forwardUnchecked(out, bh * T * dv, lse, bh * T, q, qOff + bh * T * dk, k, kOff + u * T * dk, dk,
                    v, vOff + u * T * dv, dv, T, 0, T, dk, dv, scale);
        }
    }

    private static void groupedBackwardUnchecked(int B, int H, int G, int T, int dk, int dv, float scale, float[] dq, float[] dK, float[] dV,
                                                 float[] dout, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] lse) {
        int per = H / G;
        for (int bh = 0; bh < B * H; bh++) {
            int u = bh / per;
            backwardUnchecked(dq, bh * T * dk, dK, u * T * dk, dV, u * T * dv, dout, bh * T * dv, q, qOff + bh * T * dk,
                    k, kOff + u * T * dk, v, vOff + u * T * dv, lse, bh * T, T, dk, dv, scale);
        }
    }

    // ---- decoding against a KV cache ----

    /**
     * Attention of Tq new queries at positions {@code start … start+Tq−1} against the keys and values of positions
     * {@code 0 … start+Tq−1} held in a preallocated cache (query i sees keys j ≤ start + i). The cache is stored
     * TRANSPOSED, one row of {@code cap} positions per feature, so a new token's scores are vector operations across
     * positions and each output feature is one long dot product:
     * <pre>
     *   q (B, H, Tq, dk) contiguous at qOff                                          out (B, H, Tq, dv) at 0
     *   feature c of key   j of K/V head (b, g): k[kOff + ((b·G + g)·kRows + c)·cap + j]     (cache (B, G, kRows, cap))
     *   feature c of value j of K/V head (b, g): v[vOff + ((b·G + g)·vRows + c)·cap + j]     (cache (B, G, vRows, cap))
     * </pre>
     * Keys use features 0 … dk−1 of their kRows ≥ dk, values 0 … dv−1 of their vRows ≥ dv: one cache can hold several
     * things (MLA: the rows of a head are [c_KV ; k^R], the keys are all d_c + d_R of them and the values the first d_c,
     * with v = k). No T×T matrix: one scratch row of scores per thread.
     */
    public static void cachedForward(int B, int H, int G, int Tq, int start, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                     float[] k, int kOff, int kRows, float[] v, int vOff, int vRows, int cap) {
        checkCached("Attention.cachedForward", B, H, G, Tq, start, dk, dv, out, q, qOff, k, kOff, kRows, v, vOff, vRows, cap);
        if (Kernels.usingVector()) AttentionVector.cachedForward(B, H, G, Tq, start, dk, dv, scale, out, q, qOff, k, kOff, kRows, v, vOff, vRows, cap);
        else cachedForwardUnchecked(B, H, G, Tq, start, dk, dv, scale, out, q, qOff, k, kOff, kRows, v, vOff, vRows, cap);
    }

    /** The scalar twin of {@link #cachedForward}. */
    public static void cachedForwardScalar(int B, int H, int G, int Tq, int start, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                           float[] k, int kOff, int kRows, float[] v, int vOff, int vRows, int cap) {
        checkCached("Attention.cachedForwardScalar", B, H, G, Tq, start, dk, dv, out, q, qOff, k, kOff, kRows, v, vOff, vRows, cap);
        cachedForwardUnchecked(B, H, G, Tq, start, dk, dv, scale, out, q, qOff, k, kOff, kRows, v, vOff, vRows, cap);
    }

    private static void cachedForwardUnchecked(int B, int H, int G, int Tq, int start, int dk, int dv, float scale, float[] out, float[] q,
                                               int qOff, float[] k, int kOff, int kRows, float[] v, int vOff, int vRows, int cap) {
        int per = H / G;
        float[] p = new float[start + Tq];
        for (int bh = 0; bh < B * H; bh++) {
            int u = (bh / H) * G + (bh % H) / per, ko = kOff + u * kRows * cap, vo = vOff + u * vRows * cap;
            for (int i = 0; i < Tq; i++)
                attendRowScalar(out, (bh * Tq + i) * dv, q, qOff + (bh * Tq + i) * dk, k, ko, 1, cap, v, vo, 1, cap, start + i + 1, dk, dv, scale, p);
        }
    }

    /**
     * An encoder's attention with a padding mask, forward only (inference): every query of sequence b — padding rows
     * included, as the composed path computes them — attends to keys {@code 0 … lengths[b]−1} of its sequence, in both
     * directions. Layouts as {@link #groupedForward}: q (B, H, T, dk), k (B, G, T, dk), v (B, G, T, dv), out
     * (B, H, T, dv), all contiguous; {@code lengths} null means every key is real. No T×T matrix and no log-sum-exp
     * (nothing to go backward through): the training path keeps the composed ops.
     */
    public static void paddedForward(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                     float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        checkPadded("Attention.paddedForward", B, H, G, T, dk, dv, out, q, qOff, k, kOff, v, vOff, lengths);
        if (Kernels.usingVector()) AttentionVector.paddedForward(B, H, G, T, dk, dv, scale, out, q, qOff, k, kOff, v, vOff, lengths);
        else paddedForwardUnchecked(B, H, G, T, dk, dv, scale, out, q, qOff, k, kOff, v, vOff, lengths);
    }

    /** The scalar twin of {@link #paddedForward}. */
    public static void paddedForwardScalar(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                           float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        checkPadded("Attention.paddedForwardScalar", B, H, G, T, dk, dv, out, q, qOff, k, kOff, v, vOff, lengths);
        paddedForwardUnchecked(B, H, G, T, dk, dv, scale, out, q, qOff, k, kOff, v, vOff, lengths);
    }

    private static void paddedForwardUnchecked(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                               float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        int per = H / G;
        float[] p = new float[T];
        for (int bh = 0; bh < B * H; bh++) {
            int u = (bh / H) * G + (bh % H) / per, ko = kOff + u * T * dk, vo = vOff + u * T * dv, n = lengths == null ? T : lengths[bh / H];
            for (int i = 0; i < T; i++)
                attendRowScalar(out, (bh * T + i) * dv, q, qOff + (bh * T + i) * dk, k, ko, dk, 1, v, vo, dv, 1, n, dk, dv, scale, p);
        }
    }

    /**
     * {@link #paddedForward} for a ragged row: ONE batch row of T = Σ lengths positions holding the sequences one after
     * another with no padding, each attending (both ways) to its own positions only. q (1, H, T, dk), k (1, G, T, dk),
     * v (1, G, T, dv), out (1, H, T, dv). A padded batch pays for its longest sequence in every row, and for its square
     * in attention; here each sequence pays for itself.
     */
    public static void segmentedForward(int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                        float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        checkSegmented("Attention.segmentedForward", H, G, T, dk, dv, out, q, qOff, k, kOff, v, vOff, lengths);
        if (Kernels.usingVector()) AttentionVector.segmentedForward(H, G, T, dk, dv, scale, out, q, qOff, k, kOff, v, vOff, lengths);
        else segmentedForwardUnchecked(H, G, T, dk, dv, scale, out, q, qOff, k, kOff, v, vOff, lengths);
    }

    /** The scalar twin of {@link #segmentedForward}. */
    public static void segmentedForwardScalar(int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                              float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        checkSegmented("Attention.segmentedForwardScalar", H, G, T, dk, dv, out, q, qOff, k, kOff, v, vOff, lengths);
        segmentedForwardUnchecked(H, G, T, dk, dv, scale, out, q, qOff, k, kOff, v, vOff, lengths);
    }

    private static void segmentedForwardUnchecked(int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                                  float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        int per = H / G;
        for (int h = 0; h < H; h++) {
            int g = h / per;
            for (int s = 0, r0 = 0; s < lengths.length; r0 += lengths[s++]) {
                int n = lengths[s];
                float[] p = new float[n];
                for (int i = r0; i < r0 + n; i++)
                    attendRowScalar(out, (h * T + i) * dv, q, qOff + (h * T + i) * dk, k, kOff + (g * T + r0) * dk, dk, 1,
                            v, vOff + (g * T + r0) * dv, dv, 1, n, dk, dv, scale, p);
            }
        }
    }

    /**
     * The scalar twins' row: one query (dk floats at qo) against n keys and values, key j's feature c at
     * {@code ko + j·kj + c·kc} and value j's at {@code vo + j·vj + c·vc}; scores and sums in float in order.
     */
    private static void attendRowScalar(float[] out, int oo, float[] q, int qo, float[] k, int ko, int kj, int kc, float[] v, int vo,
                                        int vj, int vc, int n, int dk, int dv, float scale, float[] p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float s = 0f;
            for (int c = 0; c < dk; c++) s += q[qo + c] * k[ko + j * kj + c * kc];
            p[j] = s * scale;
            max = Math.max(max, p[j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) sum += p[j] = (float) Math.exp(p[j] - max);
        for (int c = 0; c < dv; c++) {
            float a = 0f;
            for (int j = 0; j < n; j++) a += p[j] * v[vo + j * vj + c * vc];
            out[oo + c] = a / sum;
        }
    }

    private static void checkSegmented(String kn, int H, int G, int T, int dk, int dv, float[] out, float[] q, int qOff,
                                       float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        if (lengths == null || lengths.length == 0) throw new IllegalArgumentException(kn + ": need the lengths of the sequences, got none");
        long sum = 0;
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] < 1) throw new IllegalArgumentException(kn + ": sequence " + s + " has length " + lengths[s] + ", it must be >= 1");
            sum += lengths[s];
        }
        if (sum != T) throw new IllegalArgumentException(kn + ": the lengths add up to " + sum + ", the row holds T=" + T);
        checkPadded(kn, 1, H, G, T, dk, dv, out, q, qOff, k, kOff, v, vOff, null);
    }

    private static void checkPadded(String kn, int B, int H, int G, int T, int dk, int dv, float[] out, float[] q, int qOff,
                                    float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        checkGroups(kn, B, H, G, T, dk, dv);
        if (lengths != null) {
            if (lengths.length != B) throw new IllegalArgumentException(kn + ": " + lengths.length + " lengths for a batch of " + B);
            for (int b = 0; b < B; b++)
                if (lengths[b] < 1 || lengths[b] > T)
                    throw new IllegalArgumentException(kn + ": sequence " + b + " has length " + lengths[b] + ", outside 1 … T=" + T);
        }
        if (Kernels.outside(q, qOff, (long) B * H * T * dk)) Kernels.checkArray(kn, "q (B×H×T×dk=" + B + "×" + H + "×" + T + "×" + dk + ")", q, qOff, (long) B * H * T * dk);
        if (Kernels.outside(k, kOff, (long) B * G * T * dk)) Kernels.checkArray(kn, "k (B×G×T×dk=" + B + "×" + G + "×" + T + "×" + dk + ")", k, kOff, (long) B * G * T * dk);
        if (Kernels.outside(v, vOff, (long) B * G * T * dv)) Kernels.checkArray(kn, "v (B×G×T×dv=" + B + "×" + G + "×" + T + "×" + dv + ")", v, vOff, (long) B * G * T * dv);
        if (Kernels.outside(out, 0, (long) B * H * T * dv)) Kernels.checkArray(kn, "out (B×H×T×dv=" + B + "×" + H + "×" + T + "×" + dv + ")", out, 0, (long) B * H * T * dv);
    }

    private static void checkGroups(String kn, int B, int H, int G, int T, int dk, int dv) {
        Kernels.checkDim(kn, "B", B);
        Kernels.checkDim(kn, "T", T);
        Kernels.checkDim(kn, "dk", dk);
        Kernels.checkDim(kn, "dv", dv);
        if (H < 1 || G < 1 || H % G != 0)
            throw new IllegalArgumentException(kn + ": K/V heads G=" + G + " must divide query heads H=" + H + " (both >= 1)");
    }

    private static void checkGrouped(String kn, int B, int H, int G, int T, int dk, int dv, float[] out, float[] lse,
                                     float[] q, int qOff, float[] k, int kOff, float[] v, int vOff) {
        checkGroups(kn, B, H, G, T, dk, dv);
        String bh = " (B×H×T×", bg = " (B×G×T×";
        if (Kernels.outside(q, qOff, (long) B * H * T * dk)) Kernels.checkArray(kn, "q" + bh + "dk=" + B + "×" + H + "×" + T + "×" + dk + ")", q, qOff, (long) B * H * T * dk);
        if (Kernels.outside(k, kOff, (long) B * G * T * dk)) Kernels.checkArray(kn, "k" + bg + "dk=" + B + "×" + G + "×" + T + "×" + dk + ")", k, kOff, (long) B * G * T * dk);
        if (Kernels.outside(v, vOff, (long) B * G * T * dv)) Kernels.checkArray(kn, "v" + bg + "dv=" + B + "×" + G + "×" + T + "×" + dv + ")", v, vOff, (long) B * G * T * dv);
        if (Kernels.outside(out, 0, (long) B * H * T * dv)) Kernels.checkArray(kn, "out" + bh + "dv=" + B + "×" + H + "×" + T + "×" + dv + ")", out, 0, (long) B * H * T * dv);
        if (Kernels.outside(lse, 0, (long) B * H * T)) Kernels.checkArray(kn, "lse (B×H×T=" + B + "×" + H + "×" + T + ")", lse, 0, (long) B * H * T);
    }

    private static void checkGradients(String kn, int B, int H, int G, int T, int dk, int dv, float[] dq, float[] dK, float[] dV, float[] dout) {
        String bh = " (B×H×T×", bg = " (B×G×T×";
        if (Kernels.outside(dq, 0, (long) B * H * T * dk)) Kernels.checkArray(kn, "dq" + bh + "dk=" + B + "×" + H + "×" + T + "×" + dk + ")", dq, 0, (long) B * H * T * dk);
        if (Kernels.outside(dK, 0, (long) B * G * T * dk)) Kernels.checkArray(kn, "dK" + bg + "dk=" + B + "×" + G + "×" + T + "×" + dk + ")", dK, 0, (long) B * G * T * dk);
        if (Kernels.outside(dV, 0, (long) B * G * T * dv)) Kernels.checkArray(kn, "dV" + bg + "dv=" + B + "×" + G + "×" + T + "×" + dv + ")", dV, 0, (long) B * G * T * dv);
        if (Kernels.outside(dout, 0, (long) B * H * T * dv)) Kernels.checkArray(kn, "dout" + bh + "dv=" + B + "×" + H + "×" + T + "×" + dv + ")", dout, 0, (long) B * H * T * dv);
    }

    private static void checkCached(String kn, int B, int H, int G, int Tq, int start, int dk, int dv, float[] out, float[] q, int qOff,
                                    float[] k, int kOff, int kRows, float[] v, int vOff, int vRows, int cap) {
        checkGroups(kn, B, H, G, Tq, dk, dv);
        Kernels.checkDim(kn, "start", start);
        if (start + Tq > cap)
            throw new IllegalArgumentException(kn + ": start " + start + " + Tq " + Tq + " new positions exceed the cache capacity " + cap);
        if (kRows < dk || vRows < dv)
            throw new IllegalArgumentException(kn + ": feature rows must cover the widths: kRows=" + kRows + " < dk=" + dk + " or vRows=" + vRows + " < dv=" + dv);
        if (Kernels.outside(q, qOff, (long) B * H * Tq * dk)) Kernels.checkArray(kn, "q (B×H×Tq×dk=" + B + "×" + H + "×" + Tq + "×" + dk + ")", q, qOff, (long) B * H * Tq * dk);
        if (Kernels.outside(out, 0, (long) B * H * Tq * dv)) Kernels.checkArray(kn, "out (B×H×Tq×dv=" + B + "×" + H + "×" + Tq + "×" + dv + ")", out, 0, (long) B * H * Tq * dv);
        if (Kernels.outside(k, kOff, (long) B * G * kRows * cap)) Kernels.checkArray(kn, "k cache (B×G×kRows×cap=" + B + "×" + G + "×" + kRows + "×" + cap + ")", k, kOff, (long) B * G * kRows * cap);
        if (Kernels.outside(v, vOff, (long) B * G * vRows * cap)) Kernels.checkArray(kn, "v cache (B×G×vRows×cap=" + B + "×" + G + "×" + vRows + "×" + cap + ")", v, vOff, (long) B * G * vRows * cap);
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

    /**
     * P (Tq×Tk): {@code P[i][j] = exp(s_ij − lse_i)} for keys j ≤ start + i, 0 beyond (query i is at position start + i;
     * key j at kOff + j·ldk); fills lse (if non-null) when {@code computeLse}, else reads it.
     */
    private static float[] probs(float[] lse, int lseOff, boolean computeLse, float[] q, int qOff, float[] k, int kOff, int ldk,
                                 int Tq, int start, int Tk, int d, float scale) {
        int T = Tk;
        float[] p = new float[Tq * Tk]; // (Tq, Tk)
        for (int i = 0; i < Tq; i++) {
            float max = Float.NEGATIVE_INFINITY;
            int last = start + i;
            for (int j = 0; j <= last; j++) {
                float s = 0f;
                for (int c = 0; c < d; c++) s += q[qOff + i * d + c] * k[kOff + j * ldk + c];
                s *= scale;
                p[i * T + j] = s;
                max = Math.max(max, s);
            }
            float l;
            if (computeLse) {
                float sum = 0f;
                for (int j = 0; j <= last; j++) sum += (float) Math.exp(p[i * T + j] - max);
                l = max + (float) Math.log(sum);
                if (lse != null) lse[lseOff + i] = l;
            } else l = lse[lseOff + i];
            for (int j = 0; j <= last; j++) p[i * T + j] = (float) Math.exp(p[i * T + j] - l);
        }
        return p;
    }

    private static void forwardUnchecked(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                                         float[] v, int vOff, int T, int d, float scale) {
        forwardUnchecked(out, outOff, lse, lseOff, q, qOff, k, kOff, d, v, vOff, d, T, 0, T, d, d, scale);
    }

    /** Scalar forward of one head: Tq queries at positions start…, keys and values rows at strides ldk, ldv. */
    private static void forwardUnchecked(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff, int ldk,
                                         float[] v, int vOff, int ldv, int Tq, int start, int Tk, int dk, int dv, float scale) {
        float[] p = probs(lse, lseOff, true, q, qOff, k, kOff, ldk, Tq, start, Tk, dk, scale);
        for (int i = 0; i < Tq; i++) {
            for (int c = 0; c < dv; c++) out[outOff + i * dv + c] = 0f;
            for (int j = 0; j <= start + i; j++) {
                float pij = p[i * Tk + j];
                for (int c = 0; c < dv; c++) out[outOff + i * dv + c] += pij * v[vOff + j * ldv + c];
            }
        }
    }

    private static void backwardUnchecked(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                          float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                                          float[] lse, int lseOff, int T, int d, float scale) {
        backwardUnchecked(dq, dqOff, dk, dkOff, dv, dvOff, dout, doutOff, q, qOff, k, kOff, v, vOff, lse, lseOff, T, d, d, scale);
    }

    /** Scalar backward of one causal head with key width dk and value width dv (accumulating). */
    private static void backwardUnchecked(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                          float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                                          float[] lse, int lseOff, int T, int dkw, int dvw, float scale) {
        float[] p = probs(lse, lseOff, false, q, qOff, k, kOff, dkw, T, 0, T, dkw, scale);
        float[] dp = new float[T * T]; // (T, T) dL/dp_ij = dout_i·v_j
        for (int i = 0; i < T; i++)
            for (int j = 0; j <= i; j++) {
                float s = 0f;
                for (int c = 0; c < dvw; c++) s += dout[doutOff + i * dvw + c] * v[vOff + j * dvw + c];
                dp[i * T + j] = s;
            }
        for (int i = 0; i < T; i++) {
            float rowDot = 0f; // D_i = Σ_j p_ij dp_ij
            for (int j = 0; j <= i; j++) rowDot += p[i * T + j] * dp[i * T + j];
            for (int j = 0; j <= i; j++) {
                float pij = p[i * T + j];
                float ds = pij * (dp[i * T + j] - rowDot) * scale;
                for (int c = 0; c < dvw; c++) dv[dvOff + j * dvw + c] += pij * dout[doutOff + i * dvw + c];
                for (int c = 0; c < dkw; c++) {
                    dq[dqOff + i * dkw + c] += ds * k[kOff + j * dkw + c];
                    dk[dkOff + j * dkw + c] += ds * q[qOff + i * dkw + c];
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
        if (Kernels.outside(out, outOff, size)) Kernels.checkArray(kn, "out" + td, out, outOff, size);
        if (Kernels.outside(lse, lseOff, T)) Kernels.checkArray(kn, "lse (T=" + T + ")", lse, lseOff, T);
        if (Kernels.outside(q, qOff, size)) Kernels.checkArray(kn, "q" + td, q, qOff, size);
        if (Kernels.outside(k, kOff, size)) Kernels.checkArray(kn, "k" + td, k, kOff, size);
        if (Kernels.outside(v, vOff, size)) Kernels.checkArray(kn, "v" + td, v, vOff, size);
    }

    private static void checkB(String kn, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                               float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                               float[] lse, int lseOff, int T, int d) {
        checkF(kn, out, outOff, lse, lseOff, q, qOff, k, kOff, v, vOff, T, d);
        String td = " (T×d=" + T + "×" + d + ")";
        long size = (long) T * d;
        if (Kernels.outside(dq, dqOff, size)) Kernels.checkArray(kn, "dq" + td, dq, dqOff, size);
        if (Kernels.outside(dk, dkOff, size)) Kernels.checkArray(kn, "dk" + td, dk, dkOff, size);
        if (Kernels.outside(dv, dvOff, size)) Kernels.checkArray(kn, "dv" + td, dv, dvOff, size);
        if (Kernels.outside(dout, doutOff, size)) Kernels.checkArray(kn, "dout" + td, dout, doutOff, size);
    }
}
