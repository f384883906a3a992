package llmbook.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * Matrix multiply, the kernel every linear layer, attention score and gradient goes through. Q9.
 *
 * <p>{@code C[m×n] = op(A)·op(B)} (or {@code +=} when {@code accumulate}), where {@code op(A)} is m×k and
 * {@code op(B)} is k×n: {@code C[i][j] (+)= Σ_p op(A)[i][p] · op(B)[p][j]}. A is stored row-major m×k, or k×m
 * when {@code transA}; B is stored k×n, or n×k when {@code transB}. C must not alias A or B.
 *
 * <p>Backward of {@code Y = X·W} (X: m×k, W: k×n) is two more matmuls with transposes and no copies:
 * {@code dX += dY·Wᵀ} is {@code matmul(dX, dY, W, m, n, k, false, true, true)} and
 * {@code dW += Xᵀ·dY} is {@code matmul(dW, X, dY, k, m, n, true, false, true)}.
 *
 * <p>{@link #matmulScalar} is the textbook triple loop (the reference and fallback); the vector version packs
 * panels of A and B and runs a register-blocked micro-kernel (see {@link MatMulVector}).
 */
public final class MatMul {
    private MatMul() {}

    /**
     * {@code C (=|+=) op(A)·op(B)}; dispatches to the Vector API version or {@link #matmulScalar}.
     *
     * @param c output, m×n row-major at {@code cOff}; overwritten, or added to when {@code accumulate}
     * @param a m×k (k×m if {@code transA}) at {@code aOff}
     * @param b k×n (n×k if {@code transB}) at {@code bOff}
     */
    public static void matmul(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                              int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        check("MatMul.matmul", c, cOff, a, aOff, b, bOff, m, k, n);
        record(m, k, n, transA, transB, accumulate);
        if (Kernels.usingVector()) MatMulVector.matmul(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate);
        else matmulUnchecked(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate);
    }

    /**
     * A linear layer on {@code rows} rows: {@code y = x·Wᵀ + b} for x (rows, in), W (out, in), b (out) at {@code bo} or
     * null. The same bits as {@link #matmul} with transB followed by {@code y_r += b} row by row ({@link Blas#axpy}
     * with α = 1), but the bias goes onto each block of rows right after the block is computed, while it is in cache,
     * instead of in a second pass over y.
     */
    public static void linear(float[] y, int yOff, float[] x, int xOff, float[] w, int wo, int rows, int in, int out, float[] bias, int bo) {
        linear(y, yOff, x, xOff, w, wo, null, rows, in, out, bias, bo);
    }

    /**
     * As above, with W also given packed ({@link #pack} of the same W, or null): the micro-kernel reads those panels
     * instead of packing W again, as {@link #matmul(float[], int, float[], int, float[], int, Packed, int, boolean)} does.
     */
    public static void linear(float[] y, int yOff, float[] x, int xOff, float[] w, int wo, Packed packed, int rows, int in, int out,
                              float[] bias, int bo) {
        check("MatMul.linear", y, yOff, x, xOff, w, wo, rows, in, out);
        if (packed != null && (packed.rows() != out || packed.cols() != in))
            throw new IllegalArgumentException("MatMul.linear: W is " + out + "×" + in + " but its packed copy is " + packed.rows() + "×" + packed.cols());
        if (bias != null && Kernels.outside(bias, bo, out)) Kernels.checkArray("MatMul.linear", "bias (out=" + out + ")", bias, bo, out);
        record(rows, in, out, false, true, false);
        if (Kernels.usingVector()) {
            MatMulVector.matmul(y, yOff, x, xOff, w, wo, rows, in, out, false, true, false, packed == null ? null : packed.panels(), bias, bo);
            return;
        }
        matmulUnchecked(y, yOff, x, xOff, w, wo, rows, in, out, false, true, false);
        if (bias != null) for (int r = 0; r < rows; r++) Blas.axpyUnchecked(1f, bias, bo, y, yOff + r * out, out);
    }

    /**
     * {@code y = gelu(x·Wᵀ + b)} (tanh GELU, an MLP's first layer and activation), with GELU's slope at each value kept
     * in {@code slope[0 …]} for the backward: the bits of {@link #linear} and then
     * {@link Activations#geluTanhForward(float[], int, float[], int, int, float[])} on its output. Where the product's
     * rows are shared out in chunks, each chunk gets its GELU while it is still in cache.
     */
    public static void linearGelu(float[] y, int yOff, float[] x, int xOff, float[] w, int wo, int rows, int in, int out, float[] bias, int bo,
                                  float[] slope) {
        check("MatMul.linearGelu", y, yOff, x, xOff, w, wo, rows, in, out);
        if (bias != null && Kernels.outside(bias, bo, out)) Kernels.checkArray("MatMul.linearGelu", "bias (out=" + out + ")", bias, bo, out);
        if (slope == null || slope.length < (long) rows * out)
            throw new IllegalArgumentException("MatMul.linearGelu: slope needs rows×out=" + rows + "×" + out + " floats, got "
                    + (slope == null ? "null" : slope.length));
        record(rows, in, out, false, true, false);
        if (Kernels.usingVector()) {
            MatMulVector.matmul(y, yOff, x, xOff, w, wo, rows, in, out, false, true, false, null, bias, bo, slope);
            return;
        }
        matmulUnchecked(y, yOff, x, xOff, w, wo, rows, in, out, false, true, false);
        if (bias != null) for (int r = 0; r < rows; r++) Blas.axpyUnchecked(1f, bias, bo, y, yOff + r * out, out);
        Activations.geluTanhForwardScalar(y, yOff, y, yOff, rows * out, slope);
    }

    /**
     * A linear layer's backward for {@code y = x·Wᵀ + b} on {@code rows} rows, x (rows, in), W (out, in), dy (rows, out):
     * {@code dx (=|+=) dy·W} (written unless {@code dxAdd}), {@code dw += dyᵀ·x}, {@code db += Σ_rows dy}; a null
     * output is skipped. The bits of those three calls ({@link #matmul} twice, {@link Blas#addRows}); on several threads
     * their pieces run as one region shared out with stealing, so no thread waits at the end of each.
     */
    public static void linearBackward(float[] dx, boolean dxAdd, float[] dw, float[] db, float[] dy, float[] x, int xo, float[] w, int wo,
                                      int rows, int in, int out) {
        linearBackward(dx, dxAdd, null, dw, db, dy, x, xo, w, wo, rows, in, out);
    }

    /**
     * As above for a layer whose input is an elementwise function of another tensor, x = f(a) (GELU before an MLP's
     * output projection), with {@code dxSlope} = f'(a) (rows × in): dx = (dy·W) ⊙ dxSlope is written — a's gradient,
     * without x's. Each chunk of rows is multiplied while it is still in cache from its product, instead of in a pass of
     * its own over the whole array; the bits of {@code linearBackward} and then
     * {@link Activations#geluTanhBackwardFromSlope} with {@code add} false.
     */
    public static void linearBackwardThroughSlope(float[] dx, float[] dxSlope, float[] dw, float[] db, float[] dy, float[] x, int xo,
                                                  float[] w, int wo, int rows, int in, int out) {
        if (dx == null || dxSlope == null) throw new IllegalArgumentException("MatMul.linearBackwardThroughSlope: dx and dxSlope are required");
        if (Kernels.outside(dxSlope, 0, (long) rows * in)) Kernels.checkArray("MatMul.linearBackwardThroughSlope", "dxSlope (rows×in=" + rows + "×" + in + ")", dxSlope, 0, (long) rows * in);
        linearBackward(dx, false, dxSlope, dw, db, dy, x, xo, w, wo, rows, in, out);
    }

    private static void linearBackward(float[] dx, boolean dxAdd, float[] dxSlope, float[] dw, float[] db, float[] dy, float[] x, int xo,
                                       float[] w, int wo, int rows, int in, int out) {
        String kn = dxSlope == null ? "MatMul.linearBackward" : "MatMul.linearBackwardThroughSlope";
        if (dx != null) check(kn, dx, 0, dy, 0, w, wo, rows, out, in);
        if (dw != null) check(kn, dw, 0, dy, 0, x, xo, out, rows, in);
        if (db != null && Kernels.outside(db, 0, out)) Kernels.checkArray(kn, "db (out=" + out + ")", db, 0, out);
        if (db != null && Kernels.outside(dy, 0, (long) rows * out)) Kernels.checkArray(kn, "dy (rows×out=" + rows + "×" + out + ")", dy, 0, (long) rows * out);
        if (Kernels.usingVector() && MatMulVector.linearBackward(dx, dxAdd, dxSlope, dw, db, dy, x, xo, w, wo, rows, in, out)) {
            record(rows, out, in, false, false, dxAdd);
            record(out, rows, in, true, false, true);
            return;
        }
        if (dx != null) matmul(dx, 0, dy, 0, w, wo, rows, out, in, false, false, dxAdd);
        if (dw != null) matmul(dw, 0, dy, 0, x, xo, out, rows, in, true, false, true);
        if (db != null) Blas.addRows(dy, 0, rows, out, db, 0);
        if (dxSlope != null) Activations.geluTanhBackwardFromSlope(dx, 0, dx, 0, rows * in, dxSlope, false);
    }

    private static final ThreadLocal<List<int[]>> RECORDING = new ThreadLocal<>();

    /**
     * The products {@link #matmul} computes while {@code body} runs on this thread, in order, each as
     * {m, k, n, transA, transB, accumulate} (flags 0 or 1) — for the bench, which times a training step's products
     * alone ({@code ./llmbook bench --filter "matmuls alone"}). Calls from other threads are not seen.
     */
    public static List<int[]> shapesOf(Runnable body) {
        List<int[]> before = RECORDING.get(), shapes = new ArrayList<>();
        RECORDING.set(shapes);
        try {
            body.run();
        } finally {
            RECORDING.set(before);
        }
        return shapes;
    }

    private static void record(int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        List<int[]> rec = RECORDING.get();
        if (rec != null) rec.add(new int[] {m, k, n, transA ? 1 : 0, transB ? 1 : 0, accumulate ? 1 : 0});
    }

    /** The scalar twin: plain loops, one thread, accumulating each dot product in float in order p = 0..k-1. */
    public static void matmulScalar(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                                    int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        check("MatMul.matmulScalar", c, cOff, a, aOff, b, bOff, m, k, n);
        matmulUnchecked(c, cOff, a, aOff, b, bOff, m, k, n, transA, transB, accumulate);
    }

    private static void matmulUnchecked(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                                        int m, int k, int n, boolean transA, boolean transB, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (!accumulate) for (int j = 0; j < n; j++) c[ci + j] = 0f;
            if (!transB) {
                // i-p-j order: the inner loop walks a row of B and a row of C contiguously
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    int bp = bOff + p * n;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
                }
            } else {
                // B stored n×k: each output is a dot product of a row of A with a row of B
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * k;
                    float s = 0f;
                    if (transA) for (int p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bj + p];
                    else for (int p = 0; p < k; p++) s += a[aOff + i * k + p] * b[bj + p];
                    c[ci + j] += s;
                }
            }
        }
    }

    /**
     * {@code y[yo + r] = W_r·x} for r < rows: W row-major (rows, cols) at {@code wo}, x (cols) at {@code xo}. A linear
     * layer on one token ({@code x·Wᵀ} with W stored (out, in) as in {@code nn.Linear}); {@link #matmul} takes this
     * path by itself when m = 1. Four rows of W share each load of x; the rows are split over the threads (each row
     * is computed by one thread in one order, so the result does not depend on the thread count).
     */
    public static void matvec(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols) {
        matvec(y, yo, w, wo, x, xo, rows, cols, null, 0);
    }

    /**
     * A linear layer with its bias on one token: {@code y[yo + r] = W_r·x + bias[bo + r]} (bias null: none). The bias
     * is added in the same call, while y is still in cache (not in a separate parallel pass); the result equals matvec
     * then adding the bias.
     */
    public static void matvec(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols, float[] bias, int bo) {
        checkMatvec("MatMul.matvec", y, yo, w, wo, x, xo, rows, cols);
        if (bias != null && Kernels.outside(bias, bo, rows)) Kernels.checkArray("MatMul.matvec", "bias (rows=" + rows + ")", bias, bo, rows);
        if (Kernels.usingVector()) MatMulVector.matvec(y, yo, w, wo, x, xo, rows, cols, bias, bo);
        else matvecUnchecked(y, yo, w, wo, x, xo, rows, cols, bias, bo);
    }

    /**
     * A weight W (rows, cols) packed for a fast one-token product ({@link #matvec(float[], int, Packed, float[], int, float[], int)}):
     * Wᵀ cut into panels of 2L output columns — the panels {@link #matmul} packs op(B) into for {@code x·Wᵀ} — each
     * panel stored input by input. A product then streams the weight once from front to back and every output lane
     * sums its terms itself: no horizontal sums, which dominate {@link #matvec} on a model's narrow layers. Packing
     * costs about one product; it pays when the same weight multiplies many tokens and does not change in between
     * (decoding: {@code LinAlg.frozenWeights}).
     */
    public record Packed(float[] panels, int rows, int cols) {
        public Packed {
            if (panels.length != MatMulVector.packedSize(rows, cols))
                throw new IllegalArgumentException("MatMul.Packed: " + panels.length + " floats do not hold a packed " + rows + "×" + cols + " weight ("
                        + MatMulVector.packedSize(rows, cols) + ")");
        }
    }

    /** Packs W (rows, cols), row-major at {@code wo}, for {@link #matvec(float[], int, Packed, float[], int, float[], int)}. */
    public static Packed pack(float[] w, int wo, int rows, int cols) {
        Kernels.checkDim("MatMul.pack", "rows", rows);
        Kernels.checkDim("MatMul.pack", "cols", cols);
        if (Kernels.outside(w, wo, (long) rows * cols)) Kernels.checkArray("MatMul.pack", "w (rows×cols=" + rows + "×" + cols + ")", w, wo, (long) rows * cols);
        float[] bp = new float[MatMulVector.packedSize(rows, cols)];
        if (Kernels.usingVector()) MatMulVector.packForMatvec(bp, w, wo, rows, cols);
        else {                                            // the same layout, one float at a time
            int nrFull = MatMulVector.NR;
            for (int r0 = 0; r0 < rows; r0 += nrFull) {
                int nr = Math.min(nrFull, rows - r0), width = MatMulVector.panelWidth(nr), base = r0 * cols;
                for (int p = 0; p < cols; p++)
                    for (int j = 0; j < nr; j++) bp[base + p * width + j] = w[wo + (r0 + j) * cols + p];
            }
        }
        return new Packed(bp, rows, cols);
    }

    /**
     * {@code y[yo + r] = W_r·x + bias[bo + r]} (bias null: none) with W packed by {@link #pack}. Each output sums
     * its terms in input order, one fused multiply-add each — another order than {@link #matvec}'s, so the last
     * bits can differ from it; the result does not depend on the thread count.
     */
    public static void matvec(float[] y, int yo, Packed w, float[] x, int xo, float[] bias, int bo) {
        checkPacked("MatMul.matvec", y, yo, w, x, xo, bias, bo);
        if (Kernels.usingVector()) MatMulVector.matvecPacked(y, yo, w.panels(), x, xo, w.rows(), w.cols(), bias, bo);
        else matvecPackedUnchecked(y, yo, w, x, xo, bias, bo);
    }

    /** Whether {@link #matmul(float[], int, float[], int, float[], int, Packed, int, boolean)} reads packed panels for depth k (else it packs W itself). */
    public static boolean matmulReadsPacked(int k) { return Kernels.usingVector() && k <= MatMulVector.KC; }

    /**
     * {@code C (=|+=) A·Wᵀ} for A (m, k) row-major and W (n, k) — a linear layer on m rows — with W also given packed
     * ({@link #pack} of the same W): the matmul's micro-kernel reads those panels instead of packing W again, so the
     * result has exactly the bits of {@code matmul(c, cOff, a, aOff, w, wo, m, k, n, false, true, accumulate)}.
     */
    public static void matmul(float[] c, int cOff, float[] a, int aOff, float[] w, int wo, Packed packed, int m, boolean accumulate) {
        int n = packed.rows(), k = packed.cols();
        check("MatMul.matmul", c, cOff, a, aOff, w, wo, m, k, n);
        record(m, k, n, false, true, accumulate);
        if (Kernels.usingVector()) MatMulVector.matmul(c, cOff, a, aOff, w, wo, m, k, n, false, true, accumulate, packed.panels());
        else matmulUnchecked(c, cOff, a, aOff, w, wo, m, k, n, false, true, accumulate);
    }

    /** The scalar twin of {@link #matvec(float[], int, Packed, float[], int, float[], int)}: the same bits. */
    public static void matvecScalar(float[] y, int yo, Packed w, float[] x, int xo, float[] bias, int bo) {
        checkPacked("MatMul.matvecScalar", y, yo, w, x, xo, bias, bo);
        matvecPackedUnchecked(y, yo, w, x, xo, bias, bo);
    }

    private static void matvecPackedUnchecked(float[] y, int yo, Packed w, float[] x, int xo, float[] bias, int bo) {
        int rows = w.rows(), cols = w.cols(), nrFull = MatMulVector.NR;
        float[] bp = w.panels();
        for (int r0 = 0; r0 < rows; r0 += nrFull) {
            int nr = Math.min(nrFull, rows - r0), width = MatMulVector.panelWidth(nr), base = r0 * cols;
            for (int j = 0; j < nr; j++) {
                float acc = 0f;
                for (int p = 0; p < cols; p++) acc = Math.fma(bp[base + p * width + j], x[xo + p], acc);
                y[yo + r0 + j] = bias == null ? acc : acc + bias[bo + r0 + j];
            }
        }
    }

    private static void checkPacked(String kn, float[] y, int yo, Packed w, float[] x, int xo, float[] bias, int bo) {
        int rows = w.rows(), cols = w.cols();
        if (Kernels.outside(y, yo, rows)) Kernels.checkArray(kn, "y (rows=" + rows + ")", y, yo, rows);
        if (Kernels.outside(x, xo, cols)) Kernels.checkArray(kn, "x (cols=" + cols + ")", x, xo, cols);
        if (bias != null && Kernels.outside(bias, bo, rows)) Kernels.checkArray(kn, "bias (rows=" + rows + ")", bias, bo, rows);
        if (overlaps(y, yo, rows, x, xo, cols)) throw new IllegalArgumentException(kn + ": output y overlaps the input x");
    }

    /** The scalar twin of {@link #matvec}: one dot product per row, in order. */
    public static void matvecScalar(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols) {
        matvecScalar(y, yo, w, wo, x, xo, rows, cols, null, 0);
    }

    /** The scalar twin of {@link #matvec(float[], int, float[], int, float[], int, int, int, float[], int)}. */
    public static void matvecScalar(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols, float[] bias, int bo) {
        checkMatvec("MatMul.matvecScalar", y, yo, w, wo, x, xo, rows, cols);
        if (bias != null && Kernels.outside(bias, bo, rows)) Kernels.checkArray("MatMul.matvecScalar", "bias (rows=" + rows + ")", bias, bo, rows);
        matvecUnchecked(y, yo, w, wo, x, xo, rows, cols, bias, bo);
    }

    private static void matvecUnchecked(float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols, float[] bias, int bo) {
        for (int r = 0; r < rows; r++) {
            y[yo + r] = Blas.dotUnchecked(w, wo + r * cols, x, xo, cols);
            if (bias != null) y[yo + r] += bias[bo + r];
        }
    }

    private static void checkMatvec(String kn, float[] y, int yo, float[] w, int wo, float[] x, int xo, int rows, int cols) {
        Kernels.checkDim(kn, "rows", rows);
        Kernels.checkDim(kn, "cols", cols);
        if (Kernels.outside(y, yo, rows)) Kernels.checkArray(kn, "y (rows=" + rows + ")", y, yo, rows);
        if (Kernels.outside(w, wo, (long) rows * cols)) Kernels.checkArray(kn, "w (rows×cols=" + rows + "×" + cols + ")", w, wo, (long) rows * cols);
        if (Kernels.outside(x, xo, cols)) Kernels.checkArray(kn, "x (cols=" + cols + ")", x, xo, cols);
        if (overlaps(y, yo, rows, w, wo, (long) rows * cols) || overlaps(y, yo, rows, x, xo, cols))
            throw new IllegalArgumentException(kn + ": output y overlaps an input");
    }

    static void check(String kernel, float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, int m, int k, int n) {
        Kernels.checkDim(kernel, "m", m);
        Kernels.checkDim(kernel, "k", k);
        Kernels.checkDim(kernel, "n", n);
        if (Kernels.outside(c, cOff, (long) m * n)) Kernels.checkArray(kernel, "c (m×n=" + m + "×" + n + ")", c, cOff, (long) m * n);
        if (Kernels.outside(a, aOff, (long) m * k)) Kernels.checkArray(kernel, "a (m×k=" + m + "×" + k + ")", a, aOff, (long) m * k);
        if (Kernels.outside(b, bOff, (long) k * n)) Kernels.checkArray(kernel, "b (k×n=" + k + "×" + n + ")", b, bOff, (long) k * n);
        if (overlaps(c, cOff, (long) m * n, a, aOff, (long) m * k) || overlaps(c, cOff, (long) m * n, b, bOff, (long) k * n))
            throw new IllegalArgumentException(kernel + ": output c [" + cOff + ", " + (cOff + (long) m * n) + ") overlaps an input");
    }

    private static boolean overlaps(float[] x, int xOff, long xn, float[] y, int yOff, long yn) {
        return x == y && xn > 0 && yn > 0 && xOff < yOff + yn && yOff < xOff + xn;
    }
}
