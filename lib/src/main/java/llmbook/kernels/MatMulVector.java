package llmbook.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast matmul: packed panels, cache blocking and a register-blocked micro-kernel (the GotoBLAS/BLIS recipe).
 *
 * <p>Loop nest, outermost first: columns of C in blocks of {@link #NC}; the k dimension in blocks of {@link #KC}
 * (pack that kc×nc block of op(B) into panels NR columns wide, zero-padded); rows in blocks of {@link #MC}
 * (pack that mc×kc block of op(A) into panels of MR rows); then every MR×NR tile of C is computed by the
 * micro-kernel, which keeps the whole tile in 16 vector registers: per step p it loads two vectors of B,
 * broadcasts MR values of A, and issues 2·MR fused multiply-adds. Packing absorbs the transposes, so no
 * transposed copy of A or B is ever made, and makes every inner-loop load contiguous.
 *
 * <p>Threads split C into row (or column) slabs; each slab runs the same blocking, so every element sees the
 * same summation order whatever the thread count.
 */
final class MatMulVector {
    private MatMulVector() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;          // rows of C per micro-tile
    static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256; // exactly MR floats
    static final int NR = 2 * L;      // columns of C per micro-tile (32 with AVX-512)

    /** Floats per row of a packed op(B) panel holding nr ≤ NR columns: L when they fit one vector, else NR (zero-padded). */
    static int panelWidth(int nr) { return nr <= L ? L : NR; }
    static final int KC = Integer.getInteger("llmbook.matmul.kc", 512);  // depth of a packed block (A/B: 512/64 ≥ 256/128)
    static final int MC = Integer.getInteger("llmbook.matmul.mc", 64);   // rows of a packed A block (L2)
    static final int NC = Integer.getInteger("llmbook.matmul.nc", 1024); // columns of a packed B block
    /** Up to this many columns of C, a row-major A is read in place rather than packed. */
    static final int DIRECT_A_MAX_N = Integer.getInteger("llmbook.matmul.directn", 256);
    /** Below this many multiply-adds a second thread costs more than it saves. */
    static final long PARALLEL_MIN_FLOPS = 1L << 21;
    /** Up to this many columns past a multiple of NR are done as matrix-vector products. */
    static final int DOT_TAIL = 4;
    /** Rows of C per chunk when row slabs are shared out with stealing ({@link Kernels#parallelChunks}); a multiple of MC. */
    static final int BALANCE_ROWS = Integer.getInteger("llmbook.matmul.chunk", 128);
    /** The narrowest slab of C worth a thread of its own (it re-packs the whole other operand). */
    static final int MIN_SLAB = 128;
    /** Below this many multiply-adds packing costs more than it saves: use the plain loops. */
    static final long VECTOR_MIN_FLOPS = 1L << 12;

    // [0] packed A, [1] packed B, [2] a ragged tile, [3] op(B) packed once for a region's row chunks (lazily)
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][]{
            new float[KC * roundUp(MC, MR)], new float[KC * roundUp(NC, NR)], new float[MR * NR], new float[0]});

    private static float[] chunkB(float[][] buf) {
        if (buf[3].length == 0) buf[3] = new float[KC * roundUp(NC, NR)];
        return buf[3];
    }

    static void matmul(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                       int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        matmul(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate, null);
    }

    /**
     * As above; {@code pre}, when not null, holds op(B) already packed for all n columns ({@link #packForMatvec}): the
     * micro-kernel reads those panels instead of packing its own (the same floats, so the same bits). Used only when
     * k fits one packed block (k ≤ KC); otherwise ignored.
     */
    static void matmul(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                       int m, int k, int n, boolean transA, boolean transB, boolean accumulate, float[] pre) {
        matmul(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate, pre, null, 0);
    }

    /**
     * As above, then {@code bias[bo …]} added to every row of C ({@link Vec#axpy} with α = 1: the float C + b). Where
     * rows are shared out in chunks, each chunk's rows get it right after their product, while they are in cache.
     */
    static void matmul(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                       int m, int k, int n, boolean transA, boolean transB, boolean accumulate, float[] pre, float[] bias, int bo) {
        matmul(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate, pre, bias, bo, null);
    }

    /**
     * As above, then, when {@code geluSlope} is not null, GELU applied to C in place with its slope kept in
     * geluSlope[0 …] ({@link ActivationsVector#geluKeep}); where rows are shared out in chunks, to each chunk right
     * after its product and bias, while it is in cache. Chunks start at multiples of {@link #BALANCE_ROWS} rows, so at
     * whole vectors: each value takes the vector or scalar path it takes in one pass over the whole array.
     */
    static void matmul(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n, boolean transA,
                       boolean transB, boolean accumulate, float[] pre, float[] bias, int bo, float[] geluSlope) {
        if (matmulChunked(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate, pre, bias, bo, geluSlope)) return;
        if (geluSlope != null) {
            matmul(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate, pre, bias, bo, null);
            ActivationsVector.geluTanhForwardKeep(c, cOff, c, cOff, m * n, geluSlope);
            return;
        }
        if (bias != null) {
            matmul(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate, pre, null, 0);
            int sl = (long) m * n < 1 << 15 ? 1 : Math.min(Kernels.threads(), m);
            Kernels.parallel(sl, s -> addBias(c, cOff, n, bias, bo, m * s / sl, m * (s + 1) / sl));
            return;
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * n, cOff + i * n + n, 0f);
            return;
        }
        if (m == 1) {                           // one row (a token while decoding): no packing, W is read once
            rowTimes(c, cOff, a, aOff, b, bOff, k, n, transB, accumulate);
            return;
        }
        long flops = (long) m * n * k;
        if (flops < VECTOR_MIN_FLOPS) {
            MatMul.matmulScalar(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate);
            return;
        }
        int lda = transA ? m : k, ldb = transB ? k : n;
        // A last column or few past a multiple of 2L would cost a whole zero-padded panel of L columns in the
        // micro-kernel; computed as a matrix-vector product per column they cost m·k/L multiply-adds each.
        int tail = n % NR;
        if (n > NR && tail <= DOT_TAIL) {
            tailColumns(c, cOff, n, a, aOff, lda, transA, b, bOff, ldb, transB, m, k, n - tail, n, accumulate);
        } else tail = 0;
        int nm = n - tail;                      // columns left for the packed micro-kernel
        int threads = flops < PARALLEL_MIN_FLOPS ? 1 : Kernels.threads();
        // Each slab packs its own copy of the other operand, so a slab must be wide enough to amortise that:
        // split the longer of m and n, and only if every slab keeps at least MIN_SLAB rows (or columns).
        boolean byRows = m >= nm;
        int kBlocks = (k + KC - 1) / KC;
        if (threads > 1 && k > Math.max(m, nm) && kBlocks >= threads && (long) kBlocks * m * nm <= MAX_PARTIALS) {
            kSplit(c, cOff, n, a, aOff, lda, transA, b, bOff, ldb, transB, m, k, nm, accumulate, threads, kBlocks);
            return;
        }
        if (k > KC) pre = null;
        float[] packed = pre;
        if (threads > 1 && (byRows ? m : nm) / threads < MIN_SLAB) threads = 1;
        if (threads == 1) {
            gemm(c, cOff, n, a, aOff, lda, transA, b, bOff, ldb, transB, m, k, nm, accumulate, packed, 0);
            return;
        }
        if (byRows) { // row slabs, multiples of MR
            int per = roundUp((m + threads - 1) / threads, MR);
            int slabs = (m + per - 1) / per;
            Kernels.parallel(slabs, s -> {
                int i0 = s * per, rows = Math.min(per, m - i0);
                int aStart = transA ? aOff + i0 : aOff + i0 * lda;
                gemm(c, cOff + i0 * n, n, a, aStart, lda, transA, b, bOff, ldb, transB, rows, k, nm, accumulate, packed, 0);
            });
        } else {      // column slabs, multiples of NR
            int per = roundUp((nm + threads - 1) / threads, NR);
            int slabs = (nm + per - 1) / per;
            Kernels.parallel(slabs, s -> {
                int j0 = s * per, cols = Math.min(per, nm - j0);
                int bStart = transB ? bOff + j0 * ldb : bOff + j0;
                gemm(c, cOff + j0, n, a, aOff, lda, transA, b, bStart, ldb, transB, m, k, cols, accumulate, packed, j0);
            });
        }
    }

    /**
     * The row-chunked product, when it applies (several threads, rows the longer side, k in one block, op(B) packed
     * here, n ≤ NC, at least two chunks): rows in chunks of {@link #BALANCE_ROWS} shared out with stealing
     * ({@link Kernels#parallelChunks}), each participant packing op(B) once as a row slab would; the bias, when given,
     * added to each chunk's rows after its product. Returns false, having done nothing, when it does not apply.
     */
    private static boolean matmulChunked(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n,
                                         boolean transA, boolean transB, boolean accumulate, float[] pre, float[] bias, int bo,
                                         float[] geluSlope) {
        int tail = n % NR;
        boolean tailed = n > NR && tail <= DOT_TAIL;
        int nm = tailed ? n - tail : n, threads = (long) m * n * k < PARALLEL_MIN_FLOPS ? 1 : Kernels.threads();
        if (threads < 2 || m < nm || pre != null || k > KC || k == 0 || nm > NC || m < 2 * BALANCE_ROWS || (long) m * n * k < VECTOR_MIN_FLOPS)
            return false;
        if (k > Math.max(m, nm) && (k + KC - 1) / KC >= threads) return false;      // kSplit's case
        if (geluSlope != null && BALANCE_ROWS % L != 0) return false;                // chunks would not start at whole vectors
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (tailed) tailColumns(c, cOff, n, a, aOff, lda, transA, b, bOff, ldb, transB, m, k, nm, n, accumulate);
        int chunks = (m + BALANCE_ROWS - 1) / BALANCE_ROWS;
        boolean[] ready = new boolean[threads];
        Kernels.parallelChunks(chunks, threads, (s, q) -> {
            float[] bp = chunkB(BUFFERS.get());
            if (!ready[s]) { packB(bp, b, bOff, ldb, transB, 0, k, 0, nm); ready[s] = true; }
            int i0 = q * BALANCE_ROWS, rows = Math.min(BALANCE_ROWS, m - i0);
            int aStart = transA ? aOff + i0 : aOff + i0 * lda;
            gemm(c, cOff + i0 * n, n, a, aStart, lda, transA, b, bOff, ldb, transB, rows, k, nm, accumulate, bp, 0);
            if (bias != null) addBias(c, cOff, n, bias, bo, i0, i0 + rows);
            if (geluSlope != null) ActivationsVector.geluKeep(c, cOff + i0 * n, c, cOff + i0 * n, rows * n, geluSlope, i0 * n);
        });
        return true;
    }

    /** c[row r] += bias for rows r0 ≤ r < r1 of a C with n columns: {@link Vec#axpy} with α = 1, the float c + b. */
    private static void addBias(float[] c, int cOff, int n, float[] bias, int bo, int r0, int r1) {
        for (int r = r0; r < r1; r++) Vec.axpy(1f, bias, bo, c, cOff + r * n, n);
    }

    /** Below this many multiply-adds a matrix-vector product stays on one thread. */
    static final long MATVEC_PARALLEL_MIN = 1L << 18;

    /** y = W·x over rows (see {@link MatMul#matvec}); rows split over the threads in multiples of 4. */
    static void matvec(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols) {
        matvec(y, yo, w, wo, x, xo, rows, cols, null, 0);
    }

    /** As above, plus {@code bias[bo + r]} on row r (null: none). */
    static void matvec(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols, float[] bias, int bo) {
        int slices = (long) rows * cols < MATVEC_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), Math.max(1, rows / 64));
        if (slices == 1) { Vec.matvec(y, yo, w, wo, cols, x, xo, rows, cols, 1f, bias, bo); return; }
        Kernels.parallel(slices, s -> {
            int r0 = rows * s / slices / 8 * 8, r1 = s + 1 == slices ? rows : rows * (s + 1) / slices / 8 * 8;
            Vec.matvec(y, yo + r0, w, wo + r0 * cols, cols, x, xo, r1 - r0, cols, 1f, bias, bo + r0);
        });
    }

    /** Floats of a (rows, cols) weight packed for {@link #matvecPacked}: full NR-wide panels, the last L or NR wide. */
    static int packedSize(int rows, int cols) {
        int full = rows / NR * NR, rest = rows - full;
        return (full + (rest == 0 ? 0 : panelWidth(rest))) * cols;
    }

    /** W (rows, cols) into the panels {@link #packB} makes of op(B) = Wᵀ (k = cols, n = rows): the same layout, same copy. */
    static void packForMatvec(float[] bp, float[] w, int wo, int rows, int cols) {
        packB(bp, w, wo, cols, true, 0, cols, 0, rows);
    }

    /**
     * y = W·x (+ bias) from W packed by {@link #packForMatvec}: each output lane sums x[p]·W[r][p] in order p = 0, 1, …
     * (one fused multiply-add per term), so no horizontal sums; panels split over the threads.
     */
    static void matvecPacked(float[] y, int yo, float[] bp, float[] x, int xo, int rows, int cols, float[] bias, int bo) {
        int panels = (rows + NR - 1) / NR;
        int slices = (long) rows * cols < MATVEC_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), Math.max(1, panels / 4));
        if (slices == 1) { panels(y, yo, bp, x, xo, rows, cols, bias, bo, 0, panels); return; }
        Kernels.parallel(slices, s -> panels(y, yo, bp, x, xo, rows, cols, bias, bo, panels * s / slices, panels * (s + 1) / slices));
    }

    /** Panels q0 ≤ q < q1: four at a time (eight accumulators on four streams), then one by one. */
    private static void panels(float[] y, int yo, float[] bp, float[] x, int xo, int rows, int cols, float[] bias, int bo, int q0, int q1) {
        int full = Math.min(q1, rows / NR), q = q0;
        for (; q + 4 <= full; q += 4) panel4(y, yo + q * NR, bp, q * NR * cols, x, xo, cols, bias, bo + q * NR);
        for (; q < q1; q++) {
            int r0 = q * NR;
            panel1(y, yo + r0, bp, r0 * cols, Math.min(NR, rows - r0), x, xo, cols, bias, bo + r0);
        }
    }

    private static void panel4(float[] y, int yo, float[] bp, int o0, float[] x, int xo, int cols, float[] bias, int bo) {
        int step = NR * cols, o1 = o0 + step, o2 = o1 + step, o3 = o2 + step;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S),
                a4 = FloatVector.zero(S), a5 = FloatVector.zero(S), a6 = FloatVector.zero(S), a7 = FloatVector.zero(S);
        for (int p = 0; p < cols; p++, o0 += NR, o1 += NR, o2 += NR, o3 += NR) {
            FloatVector xv = FloatVector.broadcast(S, x[xo + p]);
            a0 = FloatVector.fromArray(S, bp, o0).fma(xv, a0);
            a1 = FloatVector.fromArray(S, bp, o0 + L).fma(xv, a1);
            a2 = FloatVector.fromArray(S, bp, o1).fma(xv, a2);
            a3 = FloatVector.fromArray(S, bp, o1 + L).fma(xv, a3);
            a4 = FloatVector.fromArray(S, bp, o2).fma(xv, a4);
            a5 = FloatVector.fromArray(S, bp, o2 + L).fma(xv, a5);
            a6 = FloatVector.fromArray(S, bp, o3).fma(xv, a6);
            a7 = FloatVector.fromArray(S, bp, o3 + L).fma(xv, a7);
        }
        if (bias != null) {
            a0 = a0.add(FloatVector.fromArray(S, bias, bo));         a1 = a1.add(FloatVector.fromArray(S, bias, bo + L));
            a2 = a2.add(FloatVector.fromArray(S, bias, bo + 2 * L)); a3 = a3.add(FloatVector.fromArray(S, bias, bo + 3 * L));
            a4 = a4.add(FloatVector.fromArray(S, bias, bo + 4 * L)); a5 = a5.add(FloatVector.fromArray(S, bias, bo + 5 * L));
            a6 = a6.add(FloatVector.fromArray(S, bias, bo + 6 * L)); a7 = a7.add(FloatVector.fromArray(S, bias, bo + 7 * L));
        }
        a0.intoArray(y, yo);         a1.intoArray(y, yo + L);     a2.intoArray(y, yo + 2 * L); a3.intoArray(y, yo + 3 * L);
        a4.intoArray(y, yo + 4 * L); a5.intoArray(y, yo + 5 * L); a6.intoArray(y, yo + 6 * L); a7.intoArray(y, yo + 7 * L);
    }

    /** One panel of nr ≤ NR outputs (L or NR wide); a narrower one is computed aside and its nr outputs copied. */
    private static void panel1(float[] y, int yo, float[] bp, int o, int nr, float[] x, int xo, int cols, float[] bias, int bo) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        if (nr <= L) for (int p = 0; p < cols; p++, o += L) a0 = FloatVector.fromArray(S, bp, o).fma(FloatVector.broadcast(S, x[xo + p]), a0);
        else
            for (int p = 0; p < cols; p++, o += NR) {
                FloatVector xv = FloatVector.broadcast(S, x[xo + p]);
                a0 = FloatVector.fromArray(S, bp, o).fma(xv, a0);
                a1 = FloatVector.fromArray(S, bp, o + L).fma(xv, a1);
            }
        if (nr == NR) {
            if (bias != null) { a0 = a0.add(FloatVector.fromArray(S, bias, bo)); a1 = a1.add(FloatVector.fromArray(S, bias, bo + L)); }
            a0.intoArray(y, yo);
            a1.intoArray(y, yo + L);
            return;
        }
        float[] t = new float[NR];
        a0.intoArray(t, 0);
        a1.intoArray(t, L);
        for (int j = 0; j < nr; j++) y[yo + j] = bias == null ? t[j] : t[j] + bias[bo + j];
    }

    /**
     * One row of C: {@code c (1×n) (+)= a (1×k) · op(B)}. With B stored n×k (a linear layer's weight) it is a
     * matrix-vector product; with B stored k×n it is a sum of k rows of B weighted by a (axpy), split by columns.
     * (A 1×k row is the same floats whether A is stored 1×k or k×1.)
     */
    private static void rowTimes(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int k, int n, boolean transB, boolean accumulate) {
        if (transB) {
            if (!accumulate) { matvec(c, cOff, b, bOff, a, aOff, n, k); return; }
            float[] tmp = new float[n];
            matvec(tmp, 0, b, bOff, a, aOff, n, k);
            Vec.addTo(c, cOff, tmp, 0, n);
            return;
        }
        int slices = (long) n * k < MATVEC_PARALLEL_MIN ? 1 : Math.min(Kernels.threads(), Math.max(1, n / 256));
        Kernels.parallel(slices, s -> {
            int j0 = n * s / slices / L * L, j1 = s + 1 == slices ? n : n * (s + 1) / slices / L * L;
            if (!accumulate) java.util.Arrays.fill(c, cOff + j0, cOff + j1, 0f);
            for (int p = 0; p < k; p++) Vec.axpy(a[aOff + p], b, bOff + p * n + j0, c, cOff + j0, j1 - j0);
        });
    }

    /**
     * The threads share out the KC-deep blocks of k when k is the longest dimension (the weight gradients
     * {@code dW = Xᵀ·dY} with k = B·T): row or column slabs would each re-pack most of the operands, while the k
     * blocks split the work without any duplicate packing. Block b's product P_b = op(A)[:, b]·op(B)[b, :] goes to
     * its own buffer; then, in block order, {@code C = P_b + C} — exactly the additions the one-thread loop makes
     * (its micro-kernel adds each block's register sums to C), so the bits do not depend on the thread count.
     */
    private static void kSplit(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA, float[] b, int bOff,
                               int ldb, boolean transB, int m, int k, int n, boolean accumulate, int threads, int kBlocks) {
        int mn = m * n;
        float[] part = partials(kBlocks * mn);
        Kernels.parallel(threads, s -> {
            for (int blk = kBlocks * s / threads, end = kBlocks * (s + 1) / threads; blk < end; blk++) {
                int pc = blk * KC, kc = Math.min(KC, k - pc);
                int aStart = transA ? aOff + pc * lda : aOff + pc, bStart = transB ? bOff + pc : bOff + pc * ldb;
                gemm(part, blk * mn, n, a, aStart, lda, transA, b, bStart, ldb, transB, m, kc, n, false, null, 0);
            }
        });
        sumPartials(c, cOff, ldc, part, m, n, kBlocks, accumulate, threads);
    }

    /** C (=|+=) P_0, then C = P_b + C for b = 1 … kBlocks − 1: the k blocks' products added in block order, rows split. */
    private static void sumPartials(float[] c, int cOff, int ldc, float[] part, int m, int n, int kBlocks, boolean accumulate, int threads) {
        int mn = m * n, slabs = Math.min(threads, Math.max(1, m / MR));
        Kernels.parallel(slabs, s -> {
            for (int i = m * s / slabs, end = m * (s + 1) / slabs; i < end; i++) {
                int ci = cOff + i * ldc;
                for (int blk = 0; blk < kBlocks; blk++) {
                    if (blk == 0 && !accumulate) System.arraycopy(part, i * n, c, ci, n);
                    else Vec.addTo(c, ci, part, blk * mn + i * n, n);
                }
            }
        });
    }

    /**
     * A linear layer's backward in one parallel region: {@code dx (=|+=) dy·W} (rows × in; written when not
     * {@code dxAdd}), {@code dw += dyᵀ·x} (out × in) and {@code db += Σ_rows dy} (out), any of them null. Their pieces —
     * dw's k blocks (as {@link #kSplit}), dx's row chunks (as the chunked product), db's column blocks (as
     * {@link Blas#addRows}) — are one list shared out with stealing, so the threads finish together; each piece is
     * computed as the separate calls compute it, so the bits are theirs. Returns false, having done nothing, unless
     * both products would take those paths (several threads, rows the long side, out ≤ KC, no tail columns).
     */
    static boolean linearBackward(float[] dx, boolean dxAdd, float[] dxSlope, float[] dw, float[] db, float[] dy, float[] x, int xo,
                                  float[] w, int wo, int rows, int in, int out) {
        int threads = Kernels.threads();
        if (threads < 2 || rows < 2 * BALANCE_ROWS || rows < in || out > KC || in > NC || out > NC || dx == null || dw == null) return false;
        if (in % NR != 0 && in > NR && in % NR <= DOT_TAIL) return false;             // tail columns: the separate calls
        if ((long) rows * in * out < PARALLEL_MIN_FLOPS || rows <= Math.max(out, in)) return false;
        int kBlocks = (rows + KC - 1) / KC, mn = out * in;
        if (kBlocks < threads || (long) kBlocks * mn > MAX_PARTIALS) return false;
        int chunks = (rows + BALANCE_ROWS - 1) / BALANCE_ROWS, cols = db == null ? 0 : (out + Vec.ADD_ROWS_BLOCK - 1) / Vec.ADD_ROWS_BLOCK;
        // participant s's pieces, in order: its share of dw's blocks (the largest first), of dx's chunks, of db's columns
        int[] bounds = new int[threads + 1], kind = new int[kBlocks + chunks + cols], idx = new int[kind.length];
        for (int s = 0, at = 0; s < threads; s++) {
            for (int i = kBlocks * s / threads; i < kBlocks * (s + 1) / threads; i++, at++) { kind[at] = 0; idx[at] = i; }
            for (int i = chunks * s / threads; i < chunks * (s + 1) / threads; i++, at++) { kind[at] = 1; idx[at] = i; }
            for (int i = cols * s / threads; i < cols * (s + 1) / threads; i++, at++) { kind[at] = 2; idx[at] = i; }
            bounds[s + 1] = at;
        }
        float[] part = partials(kBlocks * mn);
        boolean[] ready = new boolean[threads];
        Kernels.parallelChunks(bounds, (s, q) -> {
            int i = idx[q];
            if (kind[q] == 0) {                 // dw's block i: P_i = dy[rows of block]ᵀ · x[rows of block]
                int pc = i * KC, kc = Math.min(KC, rows - pc);
                gemm(part, i * mn, in, dy, pc * out, out, true, x, xo + pc * in, in, false, out, kc, in, false, null, 0);
            } else if (kind[q] == 1) {          // dx's rows i·BALANCE_ROWS …: dy · W, W packed once per participant
                float[] bp = chunkB(BUFFERS.get());
                if (!ready[s]) { packB(bp, w, wo, in, false, 0, out, 0, in); ready[s] = true; }
                int i0 = i * BALANCE_ROWS, r = Math.min(BALANCE_ROWS, rows - i0);
                gemm(dx, i0 * in, in, dy, i0 * out, out, false, w, wo, in, false, r, out, in, dxAdd, bp, 0);
                if (dxSlope != null) ActivationsVector.geluBackFromSlope(dx, i0 * in, dx, i0 * in, r * in, dxSlope, i0 * in, false);
            } else {                            // db's columns
                Vec.addRows(dy, 0, rows, out, db, 0, i * Vec.ADD_ROWS_BLOCK, Math.min(out, (i + 1) * Vec.ADD_ROWS_BLOCK));
            }
        });
        sumPartials(dw, 0, in, part, out, in, kBlocks, true, threads);
        return true;
    }

    /** Most floats of k-block partial products kept at once (16 MB). */
    static final long MAX_PARTIALS = 1L << 22;

    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] partials(int size) {
        float[][] p = PARTIALS.get();
        if (p[0].length < size) p[0] = new float[size];
        return p[0];
    }

    /**
     * C[:, j] (+)= op(A)·op(B)[:, j] for columns j0 ≤ j < j1: one matrix-vector product per column. When A is stored
     * m×k each element is a vector dot product of a row of A; when A is stored k×m (transA) the column is built as
     * Σ_p op(B)[p][j]·(row p of the stored A), four vectors of rows at a time.
     */
    static void tailColumns(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA, float[] b, int bOff,
                            int ldb, boolean transB, int m, int k, int j0, int j1, boolean accumulate) {
        float[] col = new float[k], out = transA ? new float[m] : null;
        for (int j = j0; j < j1; j++) {
            for (int p = 0; p < k; p++) col[p] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            if (!transA) {
                for (int i = 0; i < m; i++) {
                    float dot = Vec.dot(a, aOff + i * lda, col, 0, k);
                    if (accumulate) c[cOff + i * ldc + j] += dot;
                    else c[cOff + i * ldc + j] = dot;
                }
            } else {
                columnOfTransposed(out, a, aOff, lda, col, m, k);
                for (int i = 0; i < m; i++) {
                    if (accumulate) c[cOff + i * ldc + j] += out[i];
                    else c[cOff + i * ldc + j] = out[i];
                }
            }
        }
    }

    /** out[i] = Σ_p col[p]·a[aOff + p·lda + i] for i < m (a k×m matrix times a k-vector, transposed). */
    private static void columnOfTransposed(float[] out, float[] a, int aOff, int lda, float[] col, int m, int k) {
        int i = 0;
        for (; i <= m - 4 * L; i += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0, ao = aOff + i; p < k; p++, ao += lda) {
                FloatVector x = FloatVector.broadcast(S, col[p]);
                s0 = x.fma(FloatVector.fromArray(S, a, ao), s0);
                s1 = x.fma(FloatVector.fromArray(S, a, ao + L), s1);
                s2 = x.fma(FloatVector.fromArray(S, a, ao + 2 * L), s2);
                s3 = x.fma(FloatVector.fromArray(S, a, ao + 3 * L), s3);
            }
            s0.intoArray(out, i);
            s1.intoArray(out, i + L);
            s2.intoArray(out, i + 2 * L);
            s3.intoArray(out, i + 3 * L);
        }
        for (; i <= m - L; i += L) {
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0, ao = aOff + i; p < k; p++, ao += lda) s0 = FloatVector.broadcast(S, col[p]).fma(FloatVector.fromArray(S, a, ao), s0);
            s0.intoArray(out, i);
        }
        for (; i < m; i++) {
            float s = 0f;
            for (int p = 0; p < k; p++) s += col[p] * a[aOff + p * lda + i];
            out[i] = s;
        }
    }

    static int roundUp(int x, int to) { return (x + to - 1) / to * to; }

    /**
     * Serial blocked GEMM on a sub-matrix: C (ldc) = op(A) (lda) · op(B) (ldb). With {@code pre} (k ≤ KC), op(B)'s
     * panels are read from there, this sub-matrix's column 0 being column {@code preCol} of the packed one.
     */
    static void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                     float[] b, int bOff, int ldb, boolean transB, int m, int k, int n, boolean accumulate, float[] pre, int preCol) {
        float[][] buf = BUFFERS.get();
        float[] ap = buf[0], bp = buf[1], tile = buf[2];
        // Packing A costs about as much as a few B panels of compute: when C is narrow the micro-kernel reads a
        // row-major A in place instead (8 row streams). A transposed A (the weight gradients' dYᵀ) is always packed:
        // read in place it steps lda floats per multiply-add, a stride the loop cannot check once, and its packing
        // is a copy of 8 contiguous floats; packed, 512x2048x128 Aᵀ ran 1.22× and 128x2048x65 Aᵀ 1.08× faster.
        boolean directA = n <= DIRECT_A_MAX_N && !transA;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                float[] bsrc = bp;
                int bBase = 0;
                if (pre == null) packB(bp, b, bOff, ldb, transB, pc, kc, jc, nc);
                else { bsrc = pre; bBase = (preCol + jc) * kc; }   // k ≤ KC: one block, every earlier panel NR wide
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int fullRows = directA ? mc / MR * MR : 0;   // rows read in place; the rest are packed
                    if (fullRows < mc) packA(ap, a, aOff, lda, transA, ic + fullRows, mc - fullRows, pc, kc);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bPanel = bBase + jr * kc;       // panels before this one are all NR wide
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int ao, rs, ps;
                            if (ir >= fullRows) { ao = (ir - fullRows) * kc; rs = 1; ps = MR; }        // packed panel
                            else { ao = aOff + (ic + ir) * lda + pc; rs = lda; ps = 1; }             // A[i][p] = a[i*lda + p]
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                kernel8x2(a2(directA, ir < fullRows, a, ap), ao, rs, ps, bsrc, bPanel, kc, c, cIdx, ldc, add);
                            } else if (mr == MR && nr == L) {
                                kernel8x1(a2(directA, ir < fullRows, a, ap), ao, rs, ps, bsrc, bPanel, kc, c, cIdx, ldc, add);
                            } else {                        // ragged edge: compute a full tile aside, copy the valid part
                                float[] src = a2(directA, ir < fullRows, a, ap);
                                if (nr > L) kernel8x2(src, ao, rs, ps, bsrc, bPanel, kc, tile, 0, NR, false);
                                else kernel8x1(src, ao, rs, ps, bsrc, bPanel, kc, tile, 0, NR, false);
                                for (int r = 0; r < mr; r++) {
                                    int ci = cIdx + r * ldc;
                                    if (add) for (int j = 0; j < nr; j++) c[ci + j] += tile[r * NR + j];
                                    else System.arraycopy(tile, r * NR, c, ci, nr);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static float[] a2(boolean directA, boolean inPlace, float[] a, float[] ap) { return directA && inPlace ? a : ap; }

    /** Packs op(B)[pc..pc+kc)[jc..jc+nc) as panels: panel q holds columns jc+q·NR.., laid out [p][j], zero-padded. */
    static void packB(float[] bp, float[] b, int bOff, int ldb, boolean transB, int pc, int kc, int jc, int nc) {
        int full = nc / NR * NR;         // columns in full-width panels
        if (!transB) {                   // B[p][j] = b[p*ldb + j]: read each row once, sequentially, scatter to panels
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + jc;
                for (int jr = 0; jr < full; jr += NR) copy2(b, src + jr, bp, jr * kc + p * NR);
            }
            if (full < nc) {
                int nr = nc - full, w = panelWidth(nr), base = full * kc;
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * w;
                    System.arraycopy(b, bOff + (pc + p) * ldb + jc + full, bp, dst, nr);
                    for (int j = nr; j < w; j++) bp[dst + j] = 0f;
                }
            }
        } else {                         // B[p][j] = b[j*ldb + p]: a linear layer's weight (out, in), transposed
            int jr = 0, kt = kc / 8 * 8;
            if (NR % 8 == 0)             // full panels: 8×8 blocks transposed in registers, the last kc % 8 rows one by one
                for (; jr + NR <= nc; jr += NR)
                    for (int j = 0; j < NR; j += 8) {
                        int src = bOff + (jc + jr + j) * ldb + pc, dst = jr * kc + j;
                        for (int p = 0; p < kt; p += 8) transpose8(b, src + p, ldb, bp, dst + p * NR, NR);
                        for (int p = kt; p < kc; p++)
                            for (int i = 0; i < 8; i++) bp[dst + p * NR + i] = b[src + i * ldb + p];
                    }
            for (; jr < nc; jr += NR) {  // the last, narrower panel: one stored row at a time, written as a column
                int nr = Math.min(NR, nc - jr), w = panelWidth(nr), base = jr * kc;
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * w + j] = b[src + p];
                }
                for (int j = nr; j < w; j++) for (int p = 0; p < kc; p++) bp[base + p * w + j] = 0f;
            }
        }
    }

    // 8×8 transpose by three butterfly stages (h = 4, 2, 1): rows i and i + h (i without bit h) become
    // LO = (a[j] | b[j − h]) and HI = (a[j + h] | b[j]) by lane bit h, one two-source permute each.
    private static final FloatVector[] T_LO = new FloatVector[3], T_HI = new FloatVector[3];
    static {
        for (int st = 0; st < 3; st++) {
            int h = 4 >> st;
            float[] lo = new float[8], hi = new float[8];
            for (int j = 0; j < 8; j++) {
                boolean low = (j & h) == 0;
                lo[j] = low ? j : 8 + j - h;
                hi[j] = low ? j + h : 8 + j;
            }
            T_LO[st] = FloatVector.fromArray(S8, lo, 0);
            T_HI[st] = FloatVector.fromArray(S8, hi, 0);
        }
    }

    /** dst[d + q·ldd + i] = src[s + i·lds + q] for i, q < 8: an 8×8 block transposed in registers (a pure copy). */
    static void transpose8(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        FloatVector r0 = FloatVector.fromArray(S8, src, s), r1 = FloatVector.fromArray(S8, src, s + lds),
                r2 = FloatVector.fromArray(S8, src, s + 2 * lds), r3 = FloatVector.fromArray(S8, src, s + 3 * lds),
                r4 = FloatVector.fromArray(S8, src, s + 4 * lds), r5 = FloatVector.fromArray(S8, src, s + 5 * lds),
                r6 = FloatVector.fromArray(S8, src, s + 6 * lds), r7 = FloatVector.fromArray(S8, src, s + 7 * lds);
        FloatVector lo = T_LO[0], hi = T_HI[0];                                    // h = 4: pairs (0,4) (1,5) (2,6) (3,7)
        FloatVector t0 = lo.selectFrom(r0, r4), t4 = hi.selectFrom(r0, r4), t1 = lo.selectFrom(r1, r5), t5 = hi.selectFrom(r1, r5),
                t2 = lo.selectFrom(r2, r6), t6 = hi.selectFrom(r2, r6), t3 = lo.selectFrom(r3, r7), t7 = hi.selectFrom(r3, r7);
        lo = T_LO[1]; hi = T_HI[1];                                                 // h = 2: (0,2) (1,3) (4,6) (5,7)
        r0 = lo.selectFrom(t0, t2); r2 = hi.selectFrom(t0, t2); r1 = lo.selectFrom(t1, t3); r3 = hi.selectFrom(t1, t3);
        r4 = lo.selectFrom(t4, t6); r6 = hi.selectFrom(t4, t6); r5 = lo.selectFrom(t5, t7); r7 = hi.selectFrom(t5, t7);
        lo = T_LO[2]; hi = T_HI[2];                                                 // h = 1: (0,1) (2,3) (4,5) (6,7)
        lo.selectFrom(r0, r1).intoArray(dst, d);           hi.selectFrom(r0, r1).intoArray(dst, d + ldd);
        lo.selectFrom(r2, r3).intoArray(dst, d + 2 * ldd); hi.selectFrom(r2, r3).intoArray(dst, d + 3 * ldd);
        lo.selectFrom(r4, r5).intoArray(dst, d + 4 * ldd); hi.selectFrom(r4, r5).intoArray(dst, d + 5 * ldd);
        lo.selectFrom(r6, r7).intoArray(dst, d + 6 * ldd); hi.selectFrom(r6, r7).intoArray(dst, d + 7 * ldd);
    }

    /** Copies 2L floats (one panel row) with two vector moves. */
    private static void copy2(float[] src, int so, float[] dst, int d) {
        FloatVector.fromArray(S, src, so).intoArray(dst, d);
        FloatVector.fromArray(S, src, so + L).intoArray(dst, d + L);
    }

    /** Packs op(A)[ic..ic+mc)[pc..pc+kc) as panels of MR rows, laid out [p][r], zero-padded. */
    static void packA(float[] ap, float[] a, int aOff, int lda, boolean transA, int ic, int mc, int pc, int kc) {
        int full = mc / MR * MR;         // rows in full panels
        if (transA && MR == S8.length()) {
            // A[i][p] = a[p*lda + i]: read each stored row p once, sequentially, moving MR floats to each panel
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int ir = 0; ir < full; ir += MR) FloatVector.fromArray(S8, a, src + ir).intoArray(ap, ir * kc + p * MR);
            }
            if (full < mc) packPanel(ap, a, aOff, lda, true, ic, full, mc - full, pc, kc);
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) packPanel(ap, a, aOff, lda, transA, ic, ir, Math.min(MR, mc - ir), pc, kc);
    }

    /** Packs one panel of mr ≤ MR rows (starting at row ic+ir) as [p][r], zero-padded to MR. */
    private static void packPanel(float[] ap, float[] a, int aOff, int lda, boolean transA, int ic, int ir, int mr, int pc, int kc) {
        int base = ir * kc;
        if (!transA) {                   // A[i][p] = a[i*lda + p]
            for (int r = 0; r < mr; r++) {
                int src = aOff + (ic + ir + r) * lda + pc;
                for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
            }
        } else {                         // A[i][p] = a[p*lda + i]
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic + ir;
                for (int r = 0; r < mr; r++) ap[base + p * MR + r] = a[src + r];
            }
        }
        if (mr < MR) for (int p = 0; p < kc; p++) for (int r = mr; r < MR; r++) ap[base + p * MR + r] = 0f;
    }

    /**
     * C[8×2L] (+)= Apanel[kc×8]ᵀ-broadcast · Bpanel[kc×2L]: 16 accumulators stay in registers. The loop is written
     * twice with the same arithmetic, for packed A (strides 1, MR) and for a row-major A read in place (lda, 1): with
     * a constant step per multiply-add C2 proves every index in range once before the loop instead of checking ten
     * indices per step; with a variable one (a transposed A read in place, steps of lda) it cannot, and those checks
     * cost 15–20% of the multiply (measured at 1024³ and the model's shapes), so a transposed A is always packed.
     */
    static void kernel8x2(float[] ap, int ao, int rs, int ps, float[] bp, int bo, int kc, float[] c, int co, int ldc, boolean add) {
        int r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs, r6 = 6 * rs, r7 = 7 * rs;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        if (rs == 1 && ps == MR) {
            // packed A: the same loop with constant strides, so C2 can hoist the ten range checks out of it
            for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += MR, bi += NR) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector x;
                x = FloatVector.broadcast(S, ap[ai]);     c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, ap[ai + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, ap[ai + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, ap[ai + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, ap[ai + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, ap[ai + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(S, ap[ai + 6]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(S, ap[ai + 7]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            }
        } else if (ps == 1) {
            // A read in place, row-major: eight row offsets plus p, again constant strides
            int o0 = ao, o1 = ao + rs, o2 = ao + r2, o3 = ao + r3, o4 = ao + r4, o5 = ao + r5, o6 = ao + r6, o7 = ao + r7;
            for (int p = 0, bi = bo; p < kc; p++, bi += NR) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector x;
                x = FloatVector.broadcast(S, ap[o0 + p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, ap[o1 + p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, ap[o2 + p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, ap[o3 + p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, ap[o4 + p]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, ap[o5 + p]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(S, ap[o6 + p]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(S, ap[o7 + p]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            }
        } else throw new IllegalArgumentException("kernel8x2: A strides (" + rs + ", " + ps + ") are neither packed (1, " + MR + ") nor row-major (lda, 1)");
        // Stores written out here, not in a helper taking FloatVector arguments: passing the accumulators to a
        // method (even one C2 inlines) made C2 box them and the kernel ran 8× slower (measured).
        if (add) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.add(FloatVector.fromArray(S, c, co + ldc + L)).intoArray(c, co + ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
            c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L)).intoArray(c, co + 4 * ldc + L);
            c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L)).intoArray(c, co + 5 * ldc + L);
            c60.add(FloatVector.fromArray(S, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
            c61.add(FloatVector.fromArray(S, c, co + 6 * ldc + L)).intoArray(c, co + 6 * ldc + L);
            c70.add(FloatVector.fromArray(S, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
            c71.add(FloatVector.fromArray(S, c, co + 7 * ldc + L)).intoArray(c, co + 7 * ldc + L);
        } else {
            c00.intoArray(c, co); c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
            c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L);
            c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
            c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L);
            c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
        }
    }

    /** C[8×L] (+)= ...: the narrow kernel for a last panel of at most L columns. */
    static void kernel8x1(float[] ap, int ao, int rs, int ps, float[] bp, int bo, int kc, float[] c, int co, int ldc, boolean add) {
        int r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs, r6 = 6 * rs, r7 = 7 * rs;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        if (rs == 1 && ps == MR) {                  // constant strides: see kernel8x2
            for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += MR, bi += L) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                c0 = FloatVector.broadcast(S, ap[ai]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
                c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b0, c5);
                c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b0, c6);
                c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b0, c7);
            }
        } else if (ps == 1) {
            int o0 = ao, o1 = ao + rs, o2 = ao + r2, o3 = ao + r3, o4 = ao + r4, o5 = ao + r5, o6 = ao + r6, o7 = ao + r7;
            for (int p = 0, bi = bo; p < kc; p++, bi += L) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                c0 = FloatVector.broadcast(S, ap[o0 + p]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, ap[o1 + p]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, ap[o2 + p]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, ap[o3 + p]).fma(b0, c3);
                c4 = FloatVector.broadcast(S, ap[o4 + p]).fma(b0, c4);
                c5 = FloatVector.broadcast(S, ap[o5 + p]).fma(b0, c5);
                c6 = FloatVector.broadcast(S, ap[o6 + p]).fma(b0, c6);
                c7 = FloatVector.broadcast(S, ap[o7 + p]).fma(b0, c7);
            }
        } else throw new IllegalArgumentException("kernel8x1: A strides (" + rs + ", " + ps + ") are neither packed (1, " + MR + ") nor row-major (lda, 1)");
        if (add) {
            c0.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c1.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c2.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c3.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c4.add(FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c5.add(FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c6.add(FloatVector.fromArray(S, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
            c7.add(FloatVector.fromArray(S, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
        } else {
            c0.intoArray(c, co);
            c1.intoArray(c, co + ldc);
            c2.intoArray(c, co + 2 * ldc);
            c3.intoArray(c, co + 3 * ldc);
            c4.intoArray(c, co + 4 * ldc);
            c5.intoArray(c, co + 5 * ldc);
            c6.intoArray(c, co + 6 * ldc);
            c7.intoArray(c, co + 7 * ldc);
        }
    }

}
