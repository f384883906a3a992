package llmbook.tensor;

import llmbook.kernels.MatMul;

/**
 * Matrix products on top of {@link MatMul#matmul}: batched {@code (…, m, k) @ (…, k, n)} and the fused linear layer.
 *
 * <p>Backward of {@code C = A·B}: {@code dA += dC·Bᵀ}, {@code dB += Aᵀ·dC} — two more matmuls with transposed
 * operands, so nothing is copied. A transposed VIEW (e.g. {@code k.t()}) is passed to the kernel as a
 * transposed operand, not copied: the kernel reads it with {@code transA}/{@code transB}.
 */
public final class LinAlg {
    private LinAlg() {}

    /** One operand as the kernel sees it: storage, offset of batch 0, whether stored transposed. */
    private record Operand(Tensor t, boolean trans) {}

    private static Operand operand(Tensor x) {
        int r = x.shape.length, rows = x.shape[r - 2], cols = x.shape[r - 1];
        int sr = x.strides[r - 2], sc = x.strides[r - 1];
        boolean rowMajor = (cols == 1 || sc == 1) && (rows == 1 || sr == cols);
        if (rowMajor) return new Operand(x, false);
        boolean colMajor = (rows == 1 || sr == 1) && (cols == 1 || sc == rows);
        if (colMajor) return new Operand(x, true);
        return new Operand(x.contiguous(), false);
    }

    /**
     * {@code C[..., i, j] = Σ_p A[..., i, p] · B[..., p, j]}; batch axes broadcast. Throws naming both shapes when the
     * inner dimensions differ, e.g. {@code matmul: (2, 3) @ (4, 5): inner dims 3 != 4}.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.shape.length < 2 || b.shape.length < 2)
            throw new IllegalArgumentException("matmul: " + Shape.str(a.shape) + " @ " + Shape.str(b.shape) + ": both operands need rank >= 2");
        int ra = a.shape.length, rb = b.shape.length;
        int m = a.shape[ra - 2], k = a.shape[ra - 1], k2 = b.shape[rb - 2], n = b.shape[rb - 1];
        if (k != k2)
            throw new IllegalArgumentException("matmul: " + Shape.str(a.shape) + " @ " + Shape.str(b.shape) + ": inner dims " + k + " != " + k2);
        int[] aB = java.util.Arrays.copyOf(a.shape, ra - 2), bB = java.util.Arrays.copyOf(b.shape, rb - 2);
        int[] batch;
        try {
            batch = Shape.broadcast("matmul", aB, bB);
        } catch (IllegalArgumentException e) {                         // the message with both whole shapes, built only now
            batch = Shape.broadcast("matmul (batch axes of " + Shape.str(a.shape) + " @ " + Shape.str(b.shape) + ")", aB, bB);
        }
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Shape.check("matmul", outShape);

        // Fast path: B is one matrix and A's rows are contiguous: one (B·m × k) @ (k × n) call.
        if (rb == 2 && ra > 2 && a.isContiguous()) {
            Tensor flat = a.reshape(a.size / k, k);
            return flat.matmul(b).reshape(outShape);
        }

        Operand oa = operand(a), ob = operand(b);
        Tensor A = oa.t, B = ob.t;
        boolean tA = oa.trans, tB = ob.trans;
        // batch strides (rank-2 padded): storage strides for reading, 0 on broadcast axes
        int[] bs = pad2(batch);
        int[] aS = batchStrides(A.shape, A.strides, batch), bS = batchStrides(B.shape, B.strides, batch);
        int[] aG = batchStrides(A.shape, Shape.contiguousStrides(A.shape), batch), bG = batchStrides(B.shape, Shape.contiguousStrides(B.shape), batch);
        float[] c = Buffers.dirty(Shape.numel(outShape));              // every element is written below
        int mn = m * n;
        for (int i = 0; i < bs[0]; i++)
            for (int j = 0; j < bs[1]; j++) {
                int ci = (i * bs[1] + j) * mn;
                MatMul.matmul(c, ci, A.data, A.offset + i * aS[0] + j * aS[1], B.data, B.offset + i * bS[0] + j * bS[1],
                        m, k, n, tA, tB, false);
            }
        Tensor t = Tensor.fromOp("matmul", c, outShape, A, B);
        return t.onBackward(g -> {
            for (int i = 0; i < bs[0]; i++)
                for (int j = 0; j < bs[1]; j++) {
                    int gi = (i * bs[1] + j) * mn;
                    int ao = A.offset + i * aS[0] + j * aS[1], bo = B.offset + i * bS[0] + j * bS[1];
                    // dA (m×k, row-major in A's logical layout) += dC (m×n) · op(B)ᵀ
                    if (A.requiresGrad)
                        MatMul.matmul(A.gradBuffer(), i * aG[0] + j * aG[1], g, gi, B.data, bo, m, n, k, false, !tB, true);
                    // dB (k×n) += op(A)ᵀ · dC
                    if (B.requiresGrad)
                        MatMul.matmul(B.gradBuffer(), i * bG[0] + j * bG[1], A.data, ao, g, gi, k, m, n, !tA, false, true);
                }
        });
    }

    /**
     * A scope in which no weight changes — one generation: {@code try (var f = LinAlg.frozenWeights()) { … }}. Inside
     * it, a linear layer packs its weight once ({@link MatMul#pack}) and every later call reuses the packed copy: a
     * single row (a decoding step) is then a product that reads the panels faster than the weight itself (it sums in
     * another order than the unscoped one-row product, so its last bits can differ), and several rows (a prompt, a
     * batch) skip the matmul's own packing of W (the same bits as without the scope).
     * Only parameters are packed (named leaf tensors, see {@code Module.param}). An optimizer step or a load inside
     * the scope would not be seen by a layer that already packed: train outside it. Scopes nest on a thread (the
     * inner one shares the outer's packs); closing the outermost drops them.
     */
    public static FrozenWeights frozenWeights() {
        Packs p = Packs.CURRENT.get();
        if (p == null) Packs.CURRENT.set(p = new Packs());
        p.depth++;
        return new FrozenWeights(p);
    }

    /** The handle of a {@link #frozenWeights()} scope; closing it ends the scope (once). */
    public static final class FrozenWeights implements AutoCloseable {
        private final Packs packs;
        private boolean closed;

        private FrozenWeights(Packs packs) { this.packs = packs; }

        /** Weights packed on this thread's open scopes so far. */
        public int packed() { return packs.map.size(); }

        @Override public void close() {
            if (closed) return;
            closed = true;
            if (--packs.depth == 0) { packs.map.clear(); Packs.CURRENT.remove(); }
        }

        /** W's packed copy when a scope is open on this thread and W is a parameter (a named leaf); else null. */
        static MatMul.Packed packed(Tensor w) {
            Packs p = Packs.CURRENT.get();
            if (p == null) return null;
            MatMul.Packed packed = p.map.get(w);                      // every call after the first
            if (packed != null || w.name == null || !"leaf".equals(w.op) || w.shape.length != 2 || !w.isContiguous()) return packed;
            p.map.put(w, packed = MatMul.pack(w.data, w.offset, w.shape[0], w.shape[1]));
            return packed;
        }
    }

    /** The packs of one thread's open scopes. */
    private static final class Packs {
        static final ThreadLocal<Packs> CURRENT = new ThreadLocal<>();
        final java.util.IdentityHashMap<Tensor, MatMul.Packed> map = new java.util.IdentityHashMap<>();
        int depth;
    }

    /**
     * The linear layer {@code y = x·Wᵀ + b}: x (…, in), W (out, in) as PyTorch stores it, b (out) or null.
     * Backward: {@code dx += dy·W}, {@code dW += dyᵀ·x}, {@code db += Σ_rows dy}.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        checkLinear(x, w, b);
        Tensor X = x.contiguous(), W = w.contiguous();
        Tensor B = b == null ? null : b.contiguous();
        int in = w.shape[1], out = w.shape[0], rows = in == 0 ? 0 : X.size / in;
        int[] outShape = outShape(x.shape, out);
        float[] y = linearForward(X.data, X.offset, W, B, rows, in, out, Shape.numel(outShape));
        Tensor t = B == null ? Tensor.fromOp("linear", y, outShape, X, W) : Tensor.fromOp("linear", y, outShape, X, W, B);
        return t.onBackward(g -> {
            boolean first = X.requiresGrad && !X.hasGrad();        // the first contribution to dx is written, later ones added
            float[] dx = !X.requiresGrad ? null : first ? X.gradBufferForWrite() : X.grad;
            MatMul.linearBackward(dx, !first, gradOrNull(W), gradOrNull(B), g, X.data, X.offset, W.data, W.offset, rows, in, out);   // dx (+)= dy·W, dW += dyᵀ·x, db += Σ_rows dy
        });
    }

    /**
     * {@code linear(gelu(a), w, b)} (tanh GELU, an MLP's hidden activation and output projection) as one op when the
     * graph is recorded: the same values, but the backward multiplies each chunk of the projection's input gradient by
     * GELU's slope while the chunk is in cache ({@link MatMul#linearBackwardThroughSlope}), so the gradient of gelu(a)
     * is never stored and read back in a pass of its own. The same bits as the two ops; without a graph it is them.
     */
    public static Tensor linearOfGelu(Tensor a, Tensor w, Tensor b) {
        if (!a.requiresGrad || !Tensor.isGradEnabled()) return linear(Functional.geluTanh(a), w, b);
        checkLinear(a, w, b);                                       // gelu(a) has a's shape
        Tensor A = a.contiguous();
        float[] h = Buffers.dirty(A.size), slope = Buffers.dirty(A.size);   // gelu(a) and its slope, for the backward
        llmbook.kernels.Activations.geluTanhForward(h, 0, A.data, A.offset, A.size, slope);
        Tensor W = w.contiguous();
        Tensor B = b == null ? null : b.contiguous();
        int in = w.shape[1], out = w.shape[0], rows = in == 0 ? 0 : A.size / in;
        int[] outShape = outShape(A.shape, out);
        float[] y = linearForward(h, 0, W, B, rows, in, out, Shape.numel(outShape));
        Tensor t = (B == null ? Tensor.fromOp("linear_gelu", y, outShape, A, W) : Tensor.fromOp("linear_gelu", y, outShape, A, W, B)).alsoOwns(h, slope);
        return t.onBackward(g -> {
            float[] dw = gradOrNull(W), db = gradOrNull(B);
            if (!A.hasGrad()) {
                MatMul.linearBackwardThroughSlope(A.gradBufferForWrite(), slope, dw, db, g, h, 0, W.data, W.offset, rows, in, out);
            } else {                                               // a has a gradient already: add into it, as the two ops would
                float[] dh = Buffers.dirty(A.size);
                MatMul.linearBackward(dh, false, dw, db, g, h, 0, W.data, W.offset, rows, in, out);
                llmbook.kernels.Activations.geluTanhBackwardFromSlope(A.grad, 0, dh, 0, A.size, slope, true);
                Buffers.recycle(dh);
            }
        });
    }

    /**
     * A tanh-GELU MLP, {@code linear(gelu(linear(x, w1, b1)), w2, b2)} (GPT-2's), as one op when the graph is recorded
     * for x or the first layer: the same values and gradients, bit for bit, but the first layer's output never leaves
     * the cache before its GELU ({@link MatMul#linearGelu}: each chunk of rows gets GELU and its slope right after its
     * product), and the backward multiplies by that slope inside the second layer's
     * ({@link MatMul#linearBackwardThroughSlope}) — so neither the pre-activation nor its gradient is stored and read
     * back in a pass of its own. One row, or no graph: the composition itself.
     */
    public static Tensor geluMlp(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        checkLinear(x.shape, w1, b1);
        int in = w1.shape[1], hidden = w1.shape[0];
        checkLinear(outShape(x.shape, hidden), w2, b2);
        int rows = in == 0 ? 0 : x.size / in;
        boolean recording = Tensor.isGradEnabled() && (x.requiresGrad || w1.requiresGrad || b1 != null && b1.requiresGrad);
        if (!recording || rows < 2) return linearOfGelu(linear(x, w1, b1), w2, b2);
        Tensor X = x.contiguous(), W1 = w1.contiguous(), W2 = w2.contiguous();
        Tensor B1 = b1 == null ? null : b1.contiguous(), B2 = b2 == null ? null : b2.contiguous();
        float[] h = Buffers.dirty(rows * hidden), slope = Buffers.dirty(rows * hidden);     // gelu(x·W1ᵀ + b1) and its slope
        MatMul.linearGelu(h, 0, X.data, X.offset, W1.data, W1.offset, rows, in, hidden, B1 == null ? null : B1.data, B1 == null ? 0 : B1.offset, slope);
        int out = w2.shape[0];
        int[] outShape = outShape(x.shape, out);
        float[] y = linearForward(h, 0, W2, B2, rows, hidden, out, Shape.numel(outShape));
        Tensor[] inputs = java.util.stream.Stream.of(X, W1, B1, W2, B2).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
        Tensor t = Tensor.fromOp("mlp_gelu", y, outShape, inputs).alsoOwns(h, slope);
        return t.onBackward(g -> {
            float[] da = Buffers.dirty(rows * hidden);                    // the pre-activation's gradient
            MatMul.linearBackwardThroughSlope(da, slope, gradOrNull(W2), gradOrNull(B2), g, h, 0, W2.data, W2.offset, rows, hidden, out);
            boolean first = X.requiresGrad && !X.hasGrad();
            float[] dx = !X.requiresGrad ? null : first ? X.gradBufferForWrite() : X.grad;
            MatMul.linearBackward(dx, !first, gradOrNull(W1), gradOrNull(B1), da, X.data, X.offset, W1.data, W1.offset, rows, in, hidden);
            Buffers.recycle(da);
        });
    }

    /** A weight's or bias's gradient buffer to add into, or null when it is absent or frozen (its product is skipped). */
    private static float[] gradOrNull(Tensor p) { return p != null && p.requiresGrad ? p.gradBuffer() : null; }

    private static int[] outShape(int[] inShape, int out) {
        int[] s = inShape.clone();
        s[s.length - 1] = out;
        return s;
    }

    /** y = x·Wᵀ + b for {@code rows} rows of x at {@code xo}; one token (rows = 1) takes the matrix-vector path. */
    private static float[] linearForward(float[] x, int xo, Tensor W, Tensor B, int rows, int in, int out, int n) {
        float[] y = Buffers.dirty(n);                                   // overwritten by the matmul
        MatMul.Packed packed = rows == 1 || MatMul.matmulReadsPacked(in) ? FrozenWeights.packed(W) : null;   // inside a frozenWeights scope
        if (rows == 1 && packed != null) MatMul.matvec(y, 0, packed, x, xo, B == null ? null : B.data, B == null ? 0 : B.offset);
        else if (rows == 1 && B != null) MatMul.matvec(y, 0, W.data, W.offset, x, xo, out, in, B.data, B.offset);   // one token: bias in the same pass
        else MatMul.linear(y, 0, x, xo, W.data, W.offset, packed, rows, in, out, B == null ? null : B.data, B == null ? 0 : B.offset);
        return y;
    }

    private static void checkLinear(Tensor x, Tensor w, Tensor b) { checkLinear(x.shape, w, b); }

    private static void checkLinear(int[] xShape, Tensor w, Tensor b) {
        if (w.shape.length != 2) throw new IllegalArgumentException("linear: weight must be (out, in), got " + Shape.str(w.shape));
        int out = w.shape[0], in = w.shape[1];
        if (xShape.length == 0 || xShape[xShape.length - 1] != in)
            throw new IllegalArgumentException("linear: input " + Shape.str(xShape) + " @ weight " + Shape.str(w.shape) + "ᵀ: last dim "
                    + (xShape.length == 0 ? 0 : xShape[xShape.length - 1]) + " != in_features " + in);
        if (b != null && (b.shape.length != 1 || b.shape[0] != out))
            throw new IllegalArgumentException("linear: bias must be (" + out + ",), got " + Shape.str(b.shape));
    }

    private static int[] pad2(int[] batch) {
        int[] out = {1, 1};
        System.arraycopy(batch, 0, out, 2 - batch.length, batch.length);
        return out;
    }

    /** Strides of the batch axes of {@code shape} (given {@code strides}) against the broadcast {@code batch}, padded to 2. */
    private static int[] batchStrides(int[] shape, int[] strides, int[] batch) {
        int nb = shape.length - 2;
        int[] out = new int[2];
        for (int i = 0; i < batch.length; i++) {
            int d = i - (batch.length - nb);
            int o = i + (2 - batch.length);
            out[o] = (d < 0 || shape[d] == 1) ? 0 : strides[d];
        }
        return out;
    }
}
