package llmbook.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused causal attention with the Vector API: one query row at a time, O(T) scratch per thread, no T×T matrix.
 *
 * <p>K (and V for backward) are first transposed into d×T scratch so that the scores of query i against keys
 * 0..i are a register-blocked loop over keys (4 vectors of keys per step, one broadcast of q_i[c]). The softmax of
 * that row reuses {@link Vec}; the weighted sum over value rows keeps four accumulators per L columns of d.
 * Rows are split across threads with equal causal work (row i costs ∝ i), so bounds sit at T·√(s/slices).
 * Backward adds into dk/dv from every row: with several threads each slice adds into its own zeroed scratch and
 * the slices are then summed in slice order (deterministic for a given thread count).
 */
final class AttentionVector {
    private AttentionVector() {}

    private static final VectorSpecies<Float> S = Vec.S;
    private static final int L = Vec.L;
    /** Query rows processed together, sharing every load of k and v. */
    static final int R = 4;
    /**
     * Whether a whole head's backward keeps all its rows' probabilities and score gradients and sums dK, dV key block by
     * key block afterwards ({@code addOuterRows}); off, it adds them row block by row block ({@code addOuter4}). The
     * same bits either way: tests switch it off to compare.
     */
    static boolean keepRows = true;
    /** Longest head kept whole: two T×ld scratch arrays per thread (8 MB at 1024). */
    static final int KEEP_MAX_T = 1024;
    /** Below this many score entries (T²/2·d multiply-adds), one thread. */
    static final long PARALLEL_MIN = 1L << 19;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[6][0]);

    private static float[] scratch(int which, int size) {
        float[][] s = SCRATCH.get();
        if (s[which].length < size) s[which] = new float[size];
        return s[which];
    }

    private static int slices(int T, int d) {
        return (long) T * T * d / 2 < PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), T);
    }

    /** First row of slice s when rows are split into equal causal work. */
    private static int rowBound(int T, int s, int slices) {
        return s >= slices ? T : (int) Math.round(T * Math.sqrt((double) s / slices)) / R * R;
    }

    /**
     * Row stride of the transposed d×T scratch: T rounded up to whole vectors, plus one more vector, so that
     * consecutive rows are not a multiple of 4 KiB apart (which would map them all to the same L1 cache sets).
     * Score rows use the same stride, so a row of scores can be computed to a whole number of vectors.
     */
    static int ldT(int T) { return (T + L - 1) / L * L + L; }

    private static int roundUpL(int n) { return (n + L - 1) / L * L; }

    /**
     * dst[c·ld + j] = src[so + j·lds + c]: a T×d matrix (rows lds apart) transposed, 8×8 blocks in registers ({@link
     * MatMulVector#transpose8}), the ragged edges one float at a time; columns T..ld are zeroed (score rows are
     * computed to a whole number of vectors and read them).
     */
    private static void transpose(float[] dst, int ld, float[] src, int so, int lds, int T, int d) {
        int T8 = T / 8 * 8, d8 = d / 8 * 8;
        for (int j0 = 0; j0 < T8; j0 += 8)
            for (int c0 = 0; c0 < d8; c0 += 8) MatMulVector.transpose8(src, so + j0 * lds + c0, lds, dst, c0 * ld + j0, ld);
        for (int c = d8; c < d; c++)
            for (int j = 0; j < T8; j++) dst[c * ld + j] = src[so + j * lds + c];
        for (int c = 0; c < d; c++)
            for (int j = T8; j < T; j++) dst[c * ld + j] = src[so + j * lds + c];
        for (int c = 0; c < d; c++) java.util.Arrays.fill(dst, c * ld + T, c * ld + ld, 0f);
    }

    static void causalForward(float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                              float[] v, int vOff, int T, int d, float scale) {
        if (T == 0) return;
        int ld = ldT(T);
        float[] kT = scratch(4, d * ld);               // (d, T) with row stride ld, shared read-only by all slices
        transpose(kT, ld, k, kOff, d, T, d);
        int sl = slices(T, d);
        Kernels.parallel(sl, s -> forwardRows(out, outOff, d, lse, lseOff, q, qOff, d, kT, ld, v, vOff, d, T, d, d, scale,
                rowBound(T, s, sl), rowBound(T, s + 1, sl)));
    }

    /**
     * {@code heads} independent heads, head h at offsets {@code h·T·d} (and {@code h·T} in lse): the heads are split
     * across threads, each head computed by one thread in one fixed order, so the result does not depend on the
     * thread count.
     */
    static void causalForwardHeads(int heads, float[] out, int outOff, float[] lse, int lseOff, float[] q, int qOff, float[] k, int kOff,
                                   float[] v, int vOff, int T, int d, float scale) {
        if (T == 0 || heads == 0) return;
        int sl = Math.min(Kernels.threads(), heads), ld = ldT(T), td = T * d;
        Kernels.parallel(sl, s -> {
            float[] kT = scratch(4, d * ld);
            for (int h = heads * s / sl, h1 = heads * (s + 1) / sl; h < h1; h++) {
                transpose(kT, ld, k, kOff + h * td, d, T, d);
                forwardRows(out, outOff + h * td, d, lse, lseOff + h * T, q, qOff + h * td, d, kT, ld, v, vOff + h * td, d, T, d, d, scale, 0, T);
            }
        });
    }

    /**
     * Forward for query rows i0 ≤ i < i1 of one head, from the transposed keys kT (dk×T, stride ld); rows of out, q and v
     * are ldo, ldq, ldv floats apart (dv, dk, dv when contiguous).
     */
    private static void forwardRows(float[] out, int outOff, int ldo, float[] lse, int lseOff, float[] q, int qOff, int ldq, float[] kT, int ld,
                                    float[] v, int vOff, int ldv, int T, int dk, int dv, float scale, int i0, int i1) {
        float[] row = scratch(0, ld), rows4 = scratch(2, R * ld), lanes = new float[R * L], maxs = new float[R], sums = new float[R];
        int i = i0;
        for (; i + R <= i1; i += R) {                        // R query rows share every load of k and v
            int n = i + R, nv = roundUpL(n);                 // scores to a whole number of vectors (no scalar tail)
            scores4(rows4, 0, ld, kT, ld, q, qOff + i * ldq, ldq, dk, nv, scale);
            for (int r = 0; r < R; r++)                      // row i+r sees keys 0..i+r; mask the rest
                for (int j = i + r + 1; j < nv; j++) rows4[r * ld + j] = Float.NEGATIVE_INFINITY;
            Vec.max4(rows4, 0, ld, nv, maxs);                // the masked −∞ change no maximum
            for (int r = 0; r < R; r++)                      // masked entries become exactly 0
                Vec.expShiftLanes(rows4, r * ld, rows4, r * ld, nv, maxs[r], lanes, r * L);
            Vec.sumLanes4(lanes, sums);                      // the four rows' sums, each in lane order
            for (int r = 0; r < R; r++) {
                lse[lseOff + i + r] = maxs[r] + (float) Math.log(sums[r]);
                Vec.scaleShift(rows4, r * ld, rows4, r * ld, nv, 1f / sums[r], 0f);   // masked zeros stay zero
            }
            weightedSum4(out, outOff + i * ldo, ldo, false, rows4, 0, ld, n, v, vOff, ldv, dv);
        }
        for (; i < i1; i++) {
            int n = i + 1;
            scores(row, kT, ld, q, qOff + i * ldq, dk, n, scale);
            float max = Vec.max(row, 0, n);
            float sum = Vec.expShift(row, 0, row, 0, n, max);
            lse[lseOff + i] = max + (float) Math.log(sum);
            weightedSum(out, outOff + i * ldo, false, row, n, 1f / sum, v, vOff, dv, ldv);
        }
    }

    static void causalBackward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                               float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                               float[] lse, int lseOff, int T, int d, float scale) {
        if (T == 0) return;
        int ld = ldT(T);
        float[] kT = scratch(4, d * ld), vT = scratch(5, d * ld);   // (d, T) with row stride ld
        transpose(kT, ld, k, kOff, d, T, d);
        transpose(vT, ld, v, vOff, d, T, d);
        int sl = slices(T, d);
        float[][] partial = new float[sl][];              // per-slice dk|dv, summed in slice order below
        Kernels.parallel(sl, s -> {
            if (sl > 1) {
                float[] buf = new float[2 * T * d];
                partial[s] = buf;
                backwardRows(dq, dqOff, d, buf, 0, d, buf, T * d, d, dout, doutOff, d, q, qOff, d, k, kOff, d, kT, vT, ld, out, outOff, d, lse, lseOff,
                        T, d, d, scale, rowBound(T, s, sl), rowBound(T, s + 1, sl), false, false);
            } else {
                backwardRows(dq, dqOff, d, dk, dkOff, d, dv, dvOff, d, dout, doutOff, d, q, qOff, d, k, kOff, d, kT, vT, ld, out, outOff, d, lse, lseOff,
                        T, d, d, scale, 0, T, false, false);
            }
        });
        if (sl > 1) {
            for (float[] buf : partial) {
                Vec.addTo(dk, dkOff, buf, 0, T * d);
                Vec.addTo(dv, dvOff, buf, T * d, T * d);
            }
        }
    }

    /** {@code heads} independent heads at offsets {@code h·T·d} (lse {@code h·T}), split across threads by head. */
    static void causalBackwardHeads(int heads, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff, float[] dout, int doutOff,
                                    float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] out, int outOff,
                                    float[] lse, int lseOff, int T, int d, float scale) {
        if (T == 0 || heads == 0) return;
        int sl = Math.min(Kernels.threads(), heads), ld = ldT(T), td = T * d;
        Kernels.parallel(sl, s -> {
            float[] kT = scratch(4, d * ld), vT = scratch(5, d * ld);
            for (int h = heads * s / sl, h1 = heads * (s + 1) / sl; h < h1; h++) {
                int o = h * td;
                transpose(kT, ld, k, kOff + o, d, T, d);
                transpose(vT, ld, v, vOff + o, d, T, d);
                backwardRows(dq, dqOff + o, d, dk, dkOff + o, d, dv, dvOff + o, d, dout, doutOff + o, d, q, qOff + o, d, k, kOff + o, d,
                        kT, vT, ld, out, outOff + o, d, lse, lseOff + h * T, T, d, d, scale, 0, T, false, false);
            }
        });
    }

    /**
     * Backward for query rows i0 ≤ i < i1 of one head: adds into dq rows i0..i1 and into dk, dv rows 0..i1. Each array's
     * rows are its ld… floats apart (the row widths when contiguous).
     */
    private static void backwardRows(float[] dq, int dqOff, int lddq, float[] dkS, int dkO, int lddk, float[] dvS, int dvO, int lddv,
                                     float[] dout, int doutOff, int ldg, float[] q, int qOff, int ldq, float[] k, int kOff, int ldk,
                                     float[] kT, float[] vT, int ld, float[] out, int outOff, int ldo,
                                     float[] lse, int lseOff, int T, int dk, int dv, float scale, int i0, int i1,
                                     boolean writeQ, boolean writeKV) {
        float[] p = scratch(0, ld), ds = scratch(1, ld);
        // Whole heads of whole row blocks keep every row's probabilities and score gradients (T rows, stride ld), and
        // dK, dV are summed afterwards key block by key block in registers (addOuterRows); otherwise each row block
        // adds into them at once (addOuter4). Both add the rows into each key in the same order: the same bits.
        boolean keep = keepRows && i0 == 0 && i1 == T && T % R == 0 && T <= KEEP_MAX_T && dk % L == 0 && dv % L == 0;
        float[] pAll = scratch(2, (keep ? T : R) * ld), dsAll = scratch(3, (keep ? T : R) * ld);
        float[] rowDots = rowDots(dout, doutOff, ldg, out, outOff, ldo, dv, i0, i1);          // D_i = dout_i·out_i
        if (writeKV && !keep)                                // row blocks add into dK, dV: start them at zero
            for (int j = 0; j < i1; j++) {
                java.util.Arrays.fill(dkS, dkO + j * lddk, dkO + j * lddk + dk, 0f);
                java.util.Arrays.fill(dvS, dvO + j * lddv, dvO + j * lddv + dv, 0f);
            }
        int i = i0;
        for (; i + R <= i1; i += R) {
            int n = i + R, nv = roundUpL(n), qi = qOff + i * ldq, gi = doutOff + i * ldg, o = keep ? i * ld : 0;
            scores4(pAll, o, ld, kT, ld, q, qi, ldq, dk, nv, scale);
            scores4(dsAll, o, ld, vT, ld, dout, gi, ldg, dv, nv, 1f);                       // dp_ij = dout_i·v_j
            for (int r = 0; r < R; r++) {
                int ro = o + r * ld;
                for (int j = i + r + 1; j < nv; j++) pAll[ro + j] = Float.NEGATIVE_INFINITY;  // causal mask
                Vec.expShiftStore(pAll, ro, pAll, ro, nv, lse[lseOff + i + r]);   // p_ij = exp(s_ij − lse_i), 0 if masked
                softmaxGrad(dsAll, ro, pAll, ro, nv, rowDots[i - i0 + r], scale);
            }
            weightedSum4(dq, dqOff + i * lddq, lddq, !writeQ, dsAll, o, ld, n, k, kOff, ldk, dk);  // dq_i (+)= Σ_j ds_ij k_j
            if (!keep) {
                addOuter4(dkS, dkO, lddk, dsAll, ld, n, q, qi, ldq, dk);                      // dk_j += Σ_i ds_ij q_i
                addOuter4(dvS, dvO, lddv, pAll, ld, n, dout, gi, ldg, dv);                    // dv_j += Σ_i p_ij dout_i
            }
        }
        if (keep) {
            addOuterRows(dkS, dkO, lddk, writeKV, dsAll, ld, T, q, qOff, ldq, dk);            // dk_j (+)= Σ_i ds_ij q_i
            addOuterRows(dvS, dvO, lddv, writeKV, pAll, ld, T, dout, doutOff, ldg, dv);       // dv_j (+)= Σ_i p_ij dout_i
        }
        for (; i < i1; i++) {
            int n = i + 1, qi = qOff + i * ldq, gi = doutOff + i * ldg;
            scores(p, kT, ld, q, qi, dk, n, scale);
            Vec.expShiftStore(p, 0, p, 0, n, lse[lseOff + i]);            // p_ij = exp(s_ij − lse_i)
            scores(ds, vT, ld, dout, gi, dv, n, 1f);                        // dp_ij = dout_i·v_j
            softmaxGrad(ds, 0, p, 0, n, rowDots[i - i0], scale);          // ds_ij = scale·p_ij·(dp_ij − D_i)
            weightedSum(dq, dqOff + i * lddq, !writeQ, ds, n, 1f, k, kOff, dk, ldk);   // dq_i (+)= Σ_j ds_ij k_j
            addOuter(dkS, dkO, lddk, ds, n, q, qi, dk);                            // dk_j += ds_ij q_i
            addOuter(dvS, dvO, lddv, p, n, dout, gi, dv);                          // dv_j += p_ij dout_i
        }
    }

    /**
     * D_i = dout_i·out_i for rows i0 ≤ i < i1, in one pass before the rows' other work (the loads stream instead of
     * stalling each row block); four rows' lane sums side by side when dv is whole vectors. Each is {@link Vec#dot}'s value.
     */
    private static float[] rowDots(float[] dout, int go, int ldg, float[] out, int oo, int ldo, int dv, int i0, int i1) {
        float[] d = new float[i1 - i0], lanes = new float[R * L], four = new float[R];
        int i = i0;
        if (dv % L == 0) {
            for (; i + R <= i1; i += R) {
                for (int r = 0; r < R; r++) Vec.dotLanes(dout, go + (i + r) * ldg, out, oo + (i + r) * ldo, dv, lanes, r * L);
                Vec.sumLanes4(lanes, four);
                System.arraycopy(four, 0, d, i - i0, R);
            }
        }
        for (; i < i1; i++) d[i - i0] = Vec.dot(dout, go + i * ldg, out, oo + i * ldo, dv);
        return d;
    }

    /**
     * g[go + j·ldg + c] += Σ_i a[i·lda + j]·x[xo + i·ldx + c] for every key j < T and c < d (d whole vectors), the rows
     * i taken in order from the first of j's block of R keys: the sums {@link #addOuter4} makes row block by row block
     * (the block's earlier rows add the masked zeros), here with each block of R keys held in registers over all
     * rows, so g is loaded and stored once instead of once per row block.
     */
    private static void addOuterRows(float[] g, int go, int ldg, boolean write, float[] a, int lda, int T, float[] x, int xo, int ldx, int d) {
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < T; j += R) {
            int c = 0;
            for (; c <= d - 2 * L; c += 2 * L) {
                int g0 = go + j * ldg + c, g1 = g0 + ldg, g2 = g1 + ldg, g3 = g2 + ldg;
                FloatVector a0 = (write ? zero : FloatVector.fromArray(S, g, g0)), b0 = (write ? zero : FloatVector.fromArray(S, g, g0 + L));
                FloatVector a1 = (write ? zero : FloatVector.fromArray(S, g, g1)), b1 = (write ? zero : FloatVector.fromArray(S, g, g1 + L));
                FloatVector a2 = (write ? zero : FloatVector.fromArray(S, g, g2)), b2 = (write ? zero : FloatVector.fromArray(S, g, g2 + L));
                FloatVector a3 = (write ? zero : FloatVector.fromArray(S, g, g3)), b3 = (write ? zero : FloatVector.fromArray(S, g, g3 + L));
                for (int i = j, ai = j * lda + j, xi = xo + j * ldx + c; i < T; i++, ai += lda, xi += ldx) {
                    FloatVector x0 = FloatVector.fromArray(S, x, xi), x1 = FloatVector.fromArray(S, x, xi + L);
                    FloatVector w = FloatVector.broadcast(S, a[ai]);
                    a0 = w.fma(x0, a0); b0 = w.fma(x1, b0);
                    w = FloatVector.broadcast(S, a[ai + 1]);
                    a1 = w.fma(x0, a1); b1 = w.fma(x1, b1);
                    w = FloatVector.broadcast(S, a[ai + 2]);
                    a2 = w.fma(x0, a2); b2 = w.fma(x1, b2);
                    w = FloatVector.broadcast(S, a[ai + 3]);
                    a3 = w.fma(x0, a3); b3 = w.fma(x1, b3);
                }
                a0.intoArray(g, g0); b0.intoArray(g, g0 + L);
                a1.intoArray(g, g1); b1.intoArray(g, g1 + L);
                a2.intoArray(g, g2); b2.intoArray(g, g2 + L);
                a3.intoArray(g, g3); b3.intoArray(g, g3 + L);
            }
            for (; c < d; c += L) {
                int g0 = go + j * ldg + c, g1 = g0 + ldg, g2 = g1 + ldg, g3 = g2 + ldg;
                FloatVector a0 = (write ? zero : FloatVector.fromArray(S, g, g0)), a1 = (write ? zero : FloatVector.fromArray(S, g, g1));
                FloatVector a2 = (write ? zero : FloatVector.fromArray(S, g, g2)), a3 = (write ? zero : FloatVector.fromArray(S, g, g3));
                for (int i = j, ai = j * lda + j, xi = xo + j * ldx + c; i < T; i++, ai += lda, xi += ldx) {
                    FloatVector x0 = FloatVector.fromArray(S, x, xi);
                    a0 = FloatVector.broadcast(S, a[ai]).fma(x0, a0);
                    a1 = FloatVector.broadcast(S, a[ai + 1]).fma(x0, a1);
                    a2 = FloatVector.broadcast(S, a[ai + 2]).fma(x0, a2);
                    a3 = FloatVector.broadcast(S, a[ai + 3]).fma(x0, a3);
                }
                a0.intoArray(g, g0); a1.intoArray(g, g1); a2.intoArray(g, g2); a3.intoArray(g, g3);
            }
        }
    }

    /** s[j] = scale·Σ_c q[qo+c]·kT[c·ld + j] for j < n: four vectors of keys per step, q broadcast. */
    private static void scores(float[] s, float[] kT, int ld, float[] q, int qo, int d, int n, float scale) {
        scores(s, kT, 0, ld, q, qo, d, n, scale);
    }

    /** As above with kT starting at kOff. */
    private static void scores(float[] s, float[] kT, int kOff, int ld, float[] q, int qo, int d, int n, float scale) {
        int j = 0;
        for (; j <= n - 4 * L; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            for (int c = 0, ko = kOff + j; c < d; c++, ko += ld) {
                FloatVector x = FloatVector.broadcast(S, q[qo + c]);
                a0 = x.fma(FloatVector.fromArray(S, kT, ko), a0);
                a1 = x.fma(FloatVector.fromArray(S, kT, ko + L), a1);
                a2 = x.fma(FloatVector.fromArray(S, kT, ko + 2 * L), a2);
                a3 = x.fma(FloatVector.fromArray(S, kT, ko + 3 * L), a3);
            }
            a0.mul(scale).intoArray(s, j);
            a1.mul(scale).intoArray(s, j + L);
            a2.mul(scale).intoArray(s, j + 2 * L);
            a3.mul(scale).intoArray(s, j + 3 * L);
        }
        for (; j <= n - L; j += L) {
            FloatVector a0 = FloatVector.zero(S);
            for (int c = 0, ko = kOff + j; c < d; c++, ko += ld) a0 = FloatVector.broadcast(S, q[qo + c]).fma(FloatVector.fromArray(S, kT, ko), a0);
            a0.mul(scale).intoArray(s, j);
        }
        for (; j < n; j++) {
            float a = 0f;
            for (int c = 0; c < d; c++) a += q[qo + c] * kT[kOff + c * ld + j];
            s[j] = a * scale;
        }
    }

    /** {@link #scores} for the last positions j0 … n − 1 (fewer than L) as one masked vector: decoding's ragged end. */
    private static void scoresTail(float[] s, float[] kT, int kOff, int ld, float[] q, int qo, int d, int j0, int n, float scale) {
        VectorMask<Float> m = S.indexInRange(j0, n);
        FloatVector a = FloatVector.zero(S);
        for (int c = 0, ko = kOff + j0; c < d; c++, ko += ld) a = FloatVector.broadcast(S, q[qo + c]).fma(FloatVector.fromArray(S, kT, ko, m), a);
        a.mul(scale).intoArray(s, j0, m);
    }

    /** p[j] = exp(p[j] − shift) for j < n, returning their sum; the last n % L as one masked vector (no scalar exp). */
    private static float expShiftInPlace(float[] p, int n, float shift) {
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < n; j += L) {              // one inlined exp, without blends: past C2's inlining budget a blend
            VectorMask<Float> m = S.indexInRange(j, n);  // runs the Vector API's Java fallback (arguments are ≤ 0 here)
            FloatVector e = Vec.expClamped(FloatVector.fromArray(S, p, j, m).sub(shift));
            e.intoArray(p, j, m);
            sum = sum.add(e, m);
        }
        return Vec.sumLanes(sum);
    }

    /** ds[j] = scale·p[j]·(ds[j] − rowDot) for j < n, where ds holds dp on entry. */
    private static void softmaxGrad(float[] ds, int dso, float[] p, int po, int n, float rowDot, float scale) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector dp = FloatVector.fromArray(S, ds, dso + j).sub(rowDot);
            FloatVector.fromArray(S, p, po + j).mul(scale).mul(dp).intoArray(ds, dso + j);
        }
        for (; j < n; j++) ds[dso + j] = scale * p[po + j] * (ds[dso + j] - rowDot);
    }

    /**
     * R = 4 rows of scores at once: s[r·T + j] = scale·Σ_c q[qo + r·ldq + c]·kT[c·ld + j] for j < n.
     * Per step c: two vectors of keys loaded once, four query values broadcast, eight multiply-adds.
     */
    private static void scores4(float[] s, int so, int T, float[] kT, int ld, float[] q, int qo, int ldq, int d, int n, float scale) {
        int j = 0;
        for (; j <= n - 4 * L; j += 4 * L) {                 // four vectors of keys: sixteen accumulators
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
            for (int c = 0, ko = j; c < d; c++, ko += ld) {
                FloatVector k0 = FloatVector.fromArray(S, kT, ko), k1 = FloatVector.fromArray(S, kT, ko + L);
                FloatVector k2 = FloatVector.fromArray(S, kT, ko + 2 * L), k3 = FloatVector.fromArray(S, kT, ko + 3 * L);
                FloatVector x = FloatVector.broadcast(S, q[qo + c]);
                a00 = x.fma(k0, a00); a01 = x.fma(k1, a01); a02 = x.fma(k2, a02); a03 = x.fma(k3, a03);
                x = FloatVector.broadcast(S, q[qo + ldq + c]);
                a10 = x.fma(k0, a10); a11 = x.fma(k1, a11); a12 = x.fma(k2, a12); a13 = x.fma(k3, a13);
                x = FloatVector.broadcast(S, q[qo + 2 * ldq + c]);
                a20 = x.fma(k0, a20); a21 = x.fma(k1, a21); a22 = x.fma(k2, a22); a23 = x.fma(k3, a23);
                x = FloatVector.broadcast(S, q[qo + 3 * ldq + c]);
                a30 = x.fma(k0, a30); a31 = x.fma(k1, a31); a32 = x.fma(k2, a32); a33 = x.fma(k3, a33);
            }
            a00.mul(scale).intoArray(s, so + j); a01.mul(scale).intoArray(s, so + j + L); a02.mul(scale).intoArray(s, so + j + 2 * L); a03.mul(scale).intoArray(s, so + j + 3 * L);
            a10.mul(scale).intoArray(s, so + T + j); a11.mul(scale).intoArray(s, so + T + j + L); a12.mul(scale).intoArray(s, so + T + j + 2 * L); a13.mul(scale).intoArray(s, so + T + j + 3 * L);
            a20.mul(scale).intoArray(s, so + 2 * T + j); a21.mul(scale).intoArray(s, so + 2 * T + j + L); a22.mul(scale).intoArray(s, so + 2 * T + j + 2 * L); a23.mul(scale).intoArray(s, so + 2 * T + j + 3 * L);
            a30.mul(scale).intoArray(s, so + 3 * T + j); a31.mul(scale).intoArray(s, so + 3 * T + j + L); a32.mul(scale).intoArray(s, so + 3 * T + j + 2 * L); a33.mul(scale).intoArray(s, so + 3 * T + j + 3 * L);
        }
        for (; j <= n - 2 * L; j += 2 * L) {
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            for (int c = 0, ko = j; c < d; c++, ko += ld) {
                FloatVector k0 = FloatVector.fromArray(S, kT, ko), k1 = FloatVector.fromArray(S, kT, ko + L);
                FloatVector x = FloatVector.broadcast(S, q[qo + c]);
                a00 = x.fma(k0, a00); a01 = x.fma(k1, a01);
                x = FloatVector.broadcast(S, q[qo + ldq + c]);
                a10 = x.fma(k0, a10); a11 = x.fma(k1, a11);
                x = FloatVector.broadcast(S, q[qo + 2 * ldq + c]);
                a20 = x.fma(k0, a20); a21 = x.fma(k1, a21);
                x = FloatVector.broadcast(S, q[qo + 3 * ldq + c]);
                a30 = x.fma(k0, a30); a31 = x.fma(k1, a31);
            }
            a00.mul(scale).intoArray(s, so + j); a01.mul(scale).intoArray(s, so + j + L);
            a10.mul(scale).intoArray(s, so + T + j); a11.mul(scale).intoArray(s, so + T + j + L);
            a20.mul(scale).intoArray(s, so + 2 * T + j); a21.mul(scale).intoArray(s, so + 2 * T + j + L);
            a30.mul(scale).intoArray(s, so + 3 * T + j); a31.mul(scale).intoArray(s, so + 3 * T + j + L);
        }
        for (; j <= n - L; j += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            for (int c = 0, ko = j; c < d; c++, ko += ld) {
                FloatVector k0 = FloatVector.fromArray(S, kT, ko);
                a0 = FloatVector.broadcast(S, q[qo + c]).fma(k0, a0);
                a1 = FloatVector.broadcast(S, q[qo + ldq + c]).fma(k0, a1);
                a2 = FloatVector.broadcast(S, q[qo + 2 * ldq + c]).fma(k0, a2);
                a3 = FloatVector.broadcast(S, q[qo + 3 * ldq + c]).fma(k0, a3);
            }
            a0.mul(scale).intoArray(s, so + j);
            a1.mul(scale).intoArray(s, so + T + j);
            a2.mul(scale).intoArray(s, so + 2 * T + j);
            a3.mul(scale).intoArray(s, so + 3 * T + j);
        }
        for (; j < n; j++) {
            for (int r = 0; r < R; r++) {
                float a = 0f;
                for (int c = 0; c < d; c++) a += q[qo + r * ldq + c] * kT[c * ld + j];
                s[so + r * T + j] = a * scale;
            }
        }
    }

    /** R = 4 rows: o[oo + r·ldo + c] (+)= Σ_{j<n} p[r·T + j]·x[xo + j·ldx + c]; each x row is loaded once for all four. */
    private static void weightedSum4(float[] o, int oo, int ldo, boolean add, float[] p, int po, int T, int n, float[] x, int xo, int ldx, int d) {
        int c = 0;
        for (; c <= d - 2 * L; c += 2 * L) {                 // two vectors of columns share every broadcast of p
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S), b1 = FloatVector.zero(S), b2 = FloatVector.zero(S), b3 = FloatVector.zero(S);
            FloatVector e0 = FloatVector.zero(S), e1 = FloatVector.zero(S), e2 = FloatVector.zero(S), e3 = FloatVector.zero(S);
            FloatVector f0 = FloatVector.zero(S), f1 = FloatVector.zero(S), f2 = FloatVector.zero(S), f3 = FloatVector.zero(S);
            int j = 0;
            for (; j <= n - 2; j += 2) {                      // a, e: even j; b, f: odd j (the one-vector loop's order)
                int r0 = xo + j * ldx + c, r1 = r0 + ldx;
                FloatVector v0 = FloatVector.fromArray(S, x, r0), v1 = FloatVector.fromArray(S, x, r1);
                FloatVector w0 = FloatVector.fromArray(S, x, r0 + L), w1 = FloatVector.fromArray(S, x, r1 + L);
                FloatVector p0 = FloatVector.broadcast(S, p[po + j]), p1 = FloatVector.broadcast(S, p[po + T + j]);
                FloatVector p2 = FloatVector.broadcast(S, p[po + 2 * T + j]), p3 = FloatVector.broadcast(S, p[po + 3 * T + j]);
                a0 = p0.fma(v0, a0); a1 = p1.fma(v0, a1); a2 = p2.fma(v0, a2); a3 = p3.fma(v0, a3);
                e0 = p0.fma(w0, e0); e1 = p1.fma(w0, e1); e2 = p2.fma(w0, e2); e3 = p3.fma(w0, e3);
                p0 = FloatVector.broadcast(S, p[po + j + 1]); p1 = FloatVector.broadcast(S, p[po + T + j + 1]);
                p2 = FloatVector.broadcast(S, p[po + 2 * T + j + 1]); p3 = FloatVector.broadcast(S, p[po + 3 * T + j + 1]);
                b0 = p0.fma(v1, b0); b1 = p1.fma(v1, b1); b2 = p2.fma(v1, b2); b3 = p3.fma(v1, b3);
                f0 = p0.fma(w1, f0); f1 = p1.fma(w1, f1); f2 = p2.fma(w1, f2); f3 = p3.fma(w1, f3);
            }
            if (j < n) {
                int r0 = xo + j * ldx + c;
                FloatVector v0 = FloatVector.fromArray(S, x, r0), w0 = FloatVector.fromArray(S, x, r0 + L);
                FloatVector p0 = FloatVector.broadcast(S, p[po + j]), p1 = FloatVector.broadcast(S, p[po + T + j]);
                FloatVector p2 = FloatVector.broadcast(S, p[po + 2 * T + j]), p3 = FloatVector.broadcast(S, p[po + 3 * T + j]);
                a0 = p0.fma(v0, a0); a1 = p1.fma(v0, a1); a2 = p2.fma(v0, a2); a3 = p3.fma(v0, a3);
                e0 = p0.fma(w0, e0); e1 = p1.fma(w0, e1); e2 = p2.fma(w0, e2); e3 = p3.fma(w0, e3);
            }
            int o0 = oo + c;
            if (add) {
                a0.add(b0).add(FloatVector.fromArray(S, o, o0)).intoArray(o, o0);
                a1.add(b1).add(FloatVector.fromArray(S, o, o0 + ldo)).intoArray(o, o0 + ldo);
                a2.add(b2).add(FloatVector.fromArray(S, o, o0 + 2 * ldo)).intoArray(o, o0 + 2 * ldo);
                a3.add(b3).add(FloatVector.fromArray(S, o, o0 + 3 * ldo)).intoArray(o, o0 + 3 * ldo);
                e0.add(f0).add(FloatVector.fromArray(S, o, o0 + L)).intoArray(o, o0 + L);
                e1.add(f1).add(FloatVector.fromArray(S, o, o0 + ldo + L)).intoArray(o, o0 + ldo + L);
                e2.add(f2).add(FloatVector.fromArray(S, o, o0 + 2 * ldo + L)).intoArray(o, o0 + 2 * ldo + L);
                e3.add(f3).add(FloatVector.fromArray(S, o, o0 + 3 * ldo + L)).intoArray(o, o0 + 3 * ldo + L);
            } else {
                a0.add(b0).intoArray(o, o0); a1.add(b1).intoArray(o, o0 + ldo);
                a2.add(b2).intoArray(o, o0 + 2 * ldo); a3.add(b3).intoArray(o, o0 + 3 * ldo);
                e0.add(f0).intoArray(o, o0 + L); e1.add(f1).intoArray(o, o0 + ldo + L);
                e2.add(f2).intoArray(o, o0 + 2 * ldo + L); e3.add(f3).intoArray(o, o0 + 3 * ldo + L);
            }
        }
        for (; c <= d - L; c += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S), b1 = FloatVector.zero(S), b2 = FloatVector.zero(S), b3 = FloatVector.zero(S);
            int j = 0;
            for (; j <= n - 2; j += 2) {
                FloatVector v0 = FloatVector.fromArray(S, x, xo + j * ldx + c), v1 = FloatVector.fromArray(S, x, xo + (j + 1) * ldx + c);
                a0 = FloatVector.broadcast(S, p[po + j]).fma(v0, a0);
                a1 = FloatVector.broadcast(S, p[po + T + j]).fma(v0, a1);
                a2 = FloatVector.broadcast(S, p[po + 2 * T + j]).fma(v0, a2);
                a3 = FloatVector.broadcast(S, p[po + 3 * T + j]).fma(v0, a3);
                b0 = FloatVector.broadcast(S, p[po + j + 1]).fma(v1, b0);
                b1 = FloatVector.broadcast(S, p[po + T + j + 1]).fma(v1, b1);
                b2 = FloatVector.broadcast(S, p[po + 2 * T + j + 1]).fma(v1, b2);
                b3 = FloatVector.broadcast(S, p[po + 3 * T + j + 1]).fma(v1, b3);
            }
            if (j < n) {
                FloatVector v0 = FloatVector.fromArray(S, x, xo + j * ldx + c);
                a0 = FloatVector.broadcast(S, p[po + j]).fma(v0, a0);
                a1 = FloatVector.broadcast(S, p[po + T + j]).fma(v0, a1);
                a2 = FloatVector.broadcast(S, p[po + 2 * T + j]).fma(v0, a2);
                a3 = FloatVector.broadcast(S, p[po + 3 * T + j]).fma(v0, a3);
            }
            int o0 = oo + c;
            if (add) {
                a0.add(b0).add(FloatVector.fromArray(S, o, o0)).intoArray(o, o0);
                a1.add(b1).add(FloatVector.fromArray(S, o, o0 + ldo)).intoArray(o, o0 + ldo);
                a2.add(b2).add(FloatVector.fromArray(S, o, o0 + 2 * ldo)).intoArray(o, o0 + 2 * ldo);
                a3.add(b3).add(FloatVector.fromArray(S, o, o0 + 3 * ldo)).intoArray(o, o0 + 3 * ldo);
            } else {
                a0.add(b0).intoArray(o, o0);
                a1.add(b1).intoArray(o, o0 + ldo);
                a2.add(b2).intoArray(o, o0 + 2 * ldo);
                a3.add(b3).intoArray(o, o0 + 3 * ldo);
            }
        }
        for (; c < d; c++)
            for (int r = 0; r < R; r++) {
                float a = 0f;
                for (int j = 0; j < n; j++) a += p[po + r * T + j] * x[xo + j * ldx + c];
                if (add) o[oo + r * ldo + c] += a;
                else o[oo + r * ldo + c] = a;
            }
    }

    /** R = 4 rows: g[go + j·ldg + c] += Σ_r a[r·T + j]·x[xo + r·ldx + c] for j < n: one load/store of g per four updates. */
    private static void addOuter4(float[] g, int go, int ldg, float[] a, int T, int n, float[] x, int xo, int ldx, int d) {
        int c = 0;
        for (; c <= d - 2 * L; c += 2 * L) {                 // two vectors of columns share every broadcast of a
            FloatVector x0 = FloatVector.fromArray(S, x, xo + c), x1 = FloatVector.fromArray(S, x, xo + ldx + c);
            FloatVector x2 = FloatVector.fromArray(S, x, xo + 2 * ldx + c), x3 = FloatVector.fromArray(S, x, xo + 3 * ldx + c);
            FloatVector y0 = FloatVector.fromArray(S, x, xo + c + L), y1 = FloatVector.fromArray(S, x, xo + ldx + c + L);
            FloatVector y2 = FloatVector.fromArray(S, x, xo + 2 * ldx + c + L), y3 = FloatVector.fromArray(S, x, xo + 3 * ldx + c + L);
            for (int j = 0, r = go + c; j < n; j++, r += ldg) {
                FloatVector a0 = FloatVector.broadcast(S, a[j]), a1 = FloatVector.broadcast(S, a[T + j]);
                FloatVector a2 = FloatVector.broadcast(S, a[2 * T + j]), a3 = FloatVector.broadcast(S, a[3 * T + j]);
                FloatVector acc = FloatVector.fromArray(S, g, r), acd = FloatVector.fromArray(S, g, r + L);
                acc = a0.fma(x0, acc); acd = a0.fma(y0, acd);
                acc = a1.fma(x1, acc); acd = a1.fma(y1, acd);
                acc = a2.fma(x2, acc); acd = a2.fma(y2, acd);
                acc = a3.fma(x3, acc); acd = a3.fma(y3, acd);
                acc.intoArray(g, r);
                acd.intoArray(g, r + L);
            }
        }
        for (; c <= d - L; c += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xo + c), x1 = FloatVector.fromArray(S, x, xo + ldx + c);
            FloatVector x2 = FloatVector.fromArray(S, x, xo + 2 * ldx + c), x3 = FloatVector.fromArray(S, x, xo + 3 * ldx + c);
            for (int j = 0, r = go + c; j < n; j++, r += ldg) {
                FloatVector acc = FloatVector.fromArray(S, g, r);
                acc = FloatVector.broadcast(S, a[j]).fma(x0, acc);
                acc = FloatVector.broadcast(S, a[T + j]).fma(x1, acc);
                acc = FloatVector.broadcast(S, a[2 * T + j]).fma(x2, acc);
                acc = FloatVector.broadcast(S, a[3 * T + j]).fma(x3, acc);
                acc.intoArray(g, r);
            }
        }
        for (; c < d; c++)
            for (int j = 0; j < n; j++)
                g[go + j * ldg + c] += a[j] * x[xo + c] + a[T + j] * x[xo + ldx + c] + a[2 * T + j] * x[xo + 2 * ldx + c] + a[3 * T + j] * x[xo + 3 * ldx + c];
    }

    /** o[c] (+)= w·Σ_{j<n} p[j]·x[xo + j·ldx + c] for c < d: rows of x weighted by p, four accumulators per L columns. */
    private static void weightedSum(float[] o, int oo, boolean add, float[] p, int n, float w, float[] x, int xo, int d, int ldx) {
        int c = 0;
        for (; c <= d - L; c += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            int j = 0;
            for (; j <= n - 4; j += 4) {
                int r = xo + j * ldx + c;
                a0 = FloatVector.broadcast(S, p[j]).fma(FloatVector.fromArray(S, x, r), a0);
                a1 = FloatVector.broadcast(S, p[j + 1]).fma(FloatVector.fromArray(S, x, r + ldx), a1);
                a2 = FloatVector.broadcast(S, p[j + 2]).fma(FloatVector.fromArray(S, x, r + 2 * ldx), a2);
                a3 = FloatVector.broadcast(S, p[j + 3]).fma(FloatVector.fromArray(S, x, r + 3 * ldx), a3);
            }
            for (; j < n; j++) a0 = FloatVector.broadcast(S, p[j]).fma(FloatVector.fromArray(S, x, xo + j * ldx + c), a0);
            FloatVector sum = a0.add(a1).add(a2.add(a3)).mul(w);
            if (add) sum.add(FloatVector.fromArray(S, o, oo + c)).intoArray(o, oo + c);
            else sum.intoArray(o, oo + c);
        }
        for (; c < d; c++) {
            float a = 0f;
            for (int j = 0; j < n; j++) a += p[j] * x[xo + j * ldx + c];
            if (add) o[oo + c] += a * w;
            else o[oo + c] = a * w;
        }
    }

    /** g[go + j·ldg + c] += a[j]·x[xo + c] for j < n, c < d (a rank-1 update of the first n rows, ldg apart). */
    private static void addOuter(float[] g, int go, int ldg, float[] a, int n, float[] x, int xo, int d) {
        int c = 0;
        for (; c <= d - L; c += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + c);
            for (int j = 0, r = go + c; j < n; j++, r += ldg)
                FloatVector.broadcast(S, a[j]).fma(xv, FloatVector.fromArray(S, g, r)).intoArray(g, r);
        }
        for (; c < d; c++) {
            float xc = x[xo + c];
            for (int j = 0; j < n; j++) g[go + j * ldg + c] += a[j] * xc;
        }
    }

    // ---- grouped heads (MHA, GQA, MQA, MLA): q (B, H, T, dk), k (B, G, T, dk), v (B, G, T, dv) ----

    /**
     * Work unit u = b·G + g is one K/V head with its H/G query heads (heads g·H/G … of sequence b): its keys are
     * transposed once and shared by those heads. Units are shared out over the threads with stealing
     * ({@link Kernels#parallelChunks}), each computed by one thread in one order. Every operand is addressed through its {@link Attention.Layout}; lse is (B, H, T) at 0.
     */
    static void groupedForward(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, Attention.Layout lo, float[] lse,
                               float[] q, Attention.Layout lq, float[] k, Attention.Layout lk, float[] v, Attention.Layout lv) {
        if (T == 0 || B == 0) return;
        int units = B * G, per = H / G, ld = ldT(T);
        Kernels.parallelChunks(units, Kernels.threads(), (s, u) -> {
            float[] kT = scratch(4, dk * ld);
            int b = u / G, g = u % G;
            transpose(kT, ld, k, lk.at(b, g), lk.row(), T, dk);
            for (int h = g * per; h < (g + 1) * per; h++)
                forwardRows(out, lo.at(b, h), lo.row(), lse, (b * H + h) * T, q, lq.at(b, h), lq.row(), kT, ld,
                        v, lv.at(b, g), lv.row(), T, dk, dv, scale, 0, T);
        });
    }

    /**
     * Backward, units as in {@link #groupedForward}: the H/G query heads of a unit add their dK, dV into the unit's
     * rows one after another on the same thread, so no two threads ever write the same gradient row (when the
     * gradients' layouts do not overlap one another).
     */
    static void groupedBackward(int B, int H, int G, int T, int dk, int dv, float scale, float[] dq, Attention.Layout ldq, float[] dK,
                                Attention.Layout ldK, float[] dV, Attention.Layout ldV, float[] dout, Attention.Layout lg,
                                float[] q, Attention.Layout lq, float[] k, Attention.Layout lk, float[] v, Attention.Layout lv,
                                float[] out, Attention.Layout lo, float[] lse, boolean accumulate) {
        if (T == 0 || B == 0) return;
        int units = B * G, per = H / G, ld = ldT(T);
        Kernels.parallelChunks(units, Kernels.threads(), (s, u) -> {
            float[] kT = scratch(4, dk * ld), vT = scratch(5, dv * ld);
            int b = u / G, g = u % G;
            transpose(kT, ld, k, lk.at(b, g), lk.row(), T, dk);
            transpose(vT, ld, v, lv.at(b, g), lv.row(), T, dv);
            for (int h = g * per; h < (g + 1) * per; h++)      // writing: each head its dq, the group's first head dK, dV
                backwardRows(dq, ldq.at(b, h), ldq.row(), dK, ldK.at(b, g), ldK.row(), dV, ldV.at(b, g), ldV.row(),
                        dout, lg.at(b, h), lg.row(), q, lq.at(b, h), lq.row(), k, lk.at(b, g), lk.row(), kT, vT, ld,
                        out, lo.at(b, h), lo.row(), lse, (b * H + h) * T, T, dk, dv, scale, 0, T, !accumulate, !accumulate && h == g * per);
        });
    }

    // ---- cached (decoding): Tq new queries at positions start … against the cached keys 0 … start+Tq−1 ----

    /** Below this many multiply-adds (all heads) decoding attention stays on one thread. */
    static final long CACHED_PARALLEL_MIN = 1L << 16;

    /**
     * One (b, h) pair per task. The cache is stored transposed (feature-major, one row of {@code cap} positions per
     * feature), so the scores of all cached keys are vectors across positions ({@code q[c]} broadcast, no horizontal
     * sums), and each output feature is one long dot product of the weights with a row of values.
     */
    static void cachedForward(int B, int H, int G, int Tq, int start, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                              float[] k, int kOff, int kRows, float[] v, int vOff, int vRows, int cap) {
        int pairs = B * H, per = H / G, tk = start + Tq;
        long work = (long) pairs * Tq * tk * (dk + dv);
        int sl = work < CACHED_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), pairs);
        Kernels.parallel(sl, s -> {
            float[] p = scratch(0, tk + L);
            for (int bh = pairs * s / sl, e = pairs * (s + 1) / sl; bh < e; bh++) {
                int u = (bh / H) * G + (bh % H) / per;
                int ko = kOff + u * kRows * cap, vo = vOff + u * vRows * cap;
                for (int i = 0; i < Tq; i++)
                    attendRow(out, (bh * Tq + i) * dv, q, qOff + (bh * Tq + i) * dk, k, ko, v, vo, cap, start + i + 1, dk, dv, scale, p);
            }
        });
    }

    /**
     * One query against the first n keys and values of a feature-major store (row c of keys at {@code ko + c·ld}, of
     * values at {@code vo + c·ld}, ld ≥ n): out[oo + c] = Σ_j softmax_j(scale·q·k_j)·v[c, j]. {@code p}: scratch of
     * at least n + L floats. The ragged end is one masked vector; the value product runs over whole vectors, with the
     * weights past n set to 0 (the store's entries there are read, so they must be finite).
     */
    private static void attendRow(float[] out, int oo, float[] q, int qo, float[] k, int ko, float[] v, int vo, int ld, int n, int dk, int dv,
                                  float scale, float[] p) {
        int full = n - n % L;
        scores(p, k, ko, ld, q, qo, dk, full, scale);
        if (full < n) scoresTail(p, k, ko, ld, q, qo, dk, full, n, scale);
        float max = Vec.max(p, 0, n);
        float inv = 1f / expShiftInPlace(p, n, max);
        int w = full < n && full + L <= ld ? full + L : n;
        java.util.Arrays.fill(p, n, w, 0f);
        Vec.matvec(out, oo, v, vo, ld, p, 0, dv, w, inv);    // out_c = Σ_j p_j·v[c, j] / Σ_j p_j, eight rows of V per load of p
    }

    /**
     * A ragged row (batch 1): sequences of {@code lengths} stored one after another, T = their sum, each attending to
     * itself only; layouts as {@link #paddedForward} with B = 1. One task per (sequence, K/V head), split over the
     * threads by contiguous ranges of about equal Σ length².
     */
    static void segmentedForward(int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                                 float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        int n = lengths.length, tasks = n * G, per = H / G;
        int[] starts = new int[n];
        long[] prefix = new long[tasks + 1];
        for (int s = 1; s < n; s++) starts[s] = starts[s - 1] + lengths[s - 1];
        for (int t = 0; t < tasks; t++) prefix[t + 1] = prefix[t] + (long) lengths[t / G] * lengths[t / G] + 1;
        long work = prefix[tasks] * per * (dk + dv);
        int sl = work < CACHED_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), tasks);
        Kernels.parallel(sl, part -> {
            int from = firstAtLeast(prefix, prefix[tasks] * part / sl), to = firstAtLeast(prefix, prefix[tasks] * (part + 1) / sl);
            for (int t = from; t < to; t++) {
                int s = t / G, g = t % G, len = lengths[s], r0 = starts[s], ld = ldT(len);
                float[] kT = scratch(4, dk * ld), vT = scratch(5, dv * ld), p = scratch(0, ld + L);
                transpose(kT, ld, k, kOff + (g * T + r0) * dk, dk, len, dk);
                transpose(vT, ld, v, vOff + (g * T + r0) * dv, dv, len, dv);
                for (int h = g * per; h < (g + 1) * per; h++)
                    for (int i = r0; i < r0 + len; i++)
                        attendRow(out, (h * T + i) * dv, q, qOff + (h * T + i) * dk, kT, 0, vT, 0, ld, len, dk, dv, scale, p);
            }
        });
    }

    /** The first index i with prefix[i] ≥ target (at most prefix.length − 1). */
    private static int firstAtLeast(long[] prefix, long target) {
        int lo = 0, hi = prefix.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (prefix[mid] < target) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    // ---- padded (an encoder's inference): every query sees keys 0 … lengths[b]−1 of its own sequence ----

    /**
     * Bidirectional attention with a padding mask, forward only: layouts as {@link #groupedForward} (q (B, H, T, d_k),
     * k (B, G, T, d_k), v (B, G, T, d_v), out (B, H, T, d_v)); every query of sequence b, padding rows included, attends
     * to that sequence's first {@code lengths[b]} keys. Per K/V unit the keys and values are transposed once into
     * feature-major scratch (as a decoding cache stores them), then each row is {@link #attendRow}.
     */
    static void paddedForward(int B, int H, int G, int T, int dk, int dv, float scale, float[] out, float[] q, int qOff,
                              float[] k, int kOff, float[] v, int vOff, int[] lengths) {
        if (T == 0 || B == 0) return;
        int units = B * G, per = H / G, ld = ldT(T);
        long work = (long) B * H * T * T * (dk + dv);
        int sl = work < CACHED_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), units);
        Kernels.parallel(sl, s -> {
            float[] kT = scratch(4, dk * ld), vT = scratch(5, dv * ld), p = scratch(0, ld + L);
            for (int u = units * s / sl, u1 = units * (s + 1) / sl; u < u1; u++) {
                int n = lengths == null ? T : lengths[u / G];
                transpose(kT, ld, k, kOff + u * T * dk, dk, n, dk);
                transpose(vT, ld, v, vOff + u * T * dv, dv, n, dv);
                for (int h = u * per; h < (u + 1) * per; h++)
                    for (int i = 0; i < T; i++)
                        attendRow(out, (h * T + i) * dv, q, qOff + (h * T + i) * dk, kT, 0, vT, 0, ld, n, dk, dv, scale, p);
            }
        });
    }
}
