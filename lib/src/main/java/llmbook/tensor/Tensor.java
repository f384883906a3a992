package llmbook.tensor;

import llmbook.kernels.Kernels;

import java.util.Arrays;
import java.util.List;

/**
 * A float32, row-major, rank ≤ 4 array that remembers how it was computed, so {@link #backward()} can apply the
 * chain rule in reverse. Q40.
 *
 * <p><b>Storage.</b> {@code data[offset + Σ idx[i]·strides[i]]} is element {@code idx}. Views (reshape, transpose,
 * slice) share {@code data} with their parent; {@link #contiguous()} copies only when the strides are not row-major.
 *
 * <p><b>Autograd.</b> Each op builds its output with {@link #fromOp} and registers its backward with
 * {@link #onBackward} right below the forward (see {@link Elementwise}, {@link Functional}). The backward reads the
 * output's gradient and ADDS into its inputs' gradients. A gradient is a row-major {@code float[]} in the tensor's
 * own logical layout, allocated on first use ({@link #gradBuffer()}), even for a view. {@link #backward()} sorts the
 * graph topologically with an explicit stack (no recursion; see {@link Tape}) and runs the backwards in reverse order.
 *
 * <p>Leaf gradients accumulate across calls: call {@link #zeroGrad()} (or the optimizer's) before each step.
 * Gradients of intermediate tensors are reset at the start of each {@code backward} and then hold that pass's values.
 * {@link #noGrad()} opens a scope in which nothing is recorded; {@link #setAnomalyDetection} makes every op check its
 * output for NaN/Inf and name the first one that produced it.
 */
public final class Tensor {
    final float[] data;
    final int offset;
    final int[] shape;
    final int[] strides;
    final int size;

    boolean requiresGrad;
    float[] grad;
    Tensor[] parents = NONE;
    Backward backward;
    String op = "leaf";
    String name;
    boolean ownsData;          // data was made by this op (fromOp), so releaseGraph may recycle it
    float[][] owned;           // scratch the backward reads (alsoOwns), recycled with the graph
    boolean released;          // storage handed back by releaseGraph: reading it is an error
    boolean gradSpent;         // in a releasing pass, while this tensor's backward runs: its gradient dies after it

    private static final Tensor[] NONE = new Tensor[0];
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile boolean anomaly = false;

    /** The backward of one op: reads the output gradient {@code g} (row-major, the output's shape) and adds into inputs. */
    @FunctionalInterface
    public interface Backward { void run(float[] g); }

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.size = Shape.numel(shape);
    }

    // ---------------------------------------------------------------- creation

    /** Wraps {@code data} (not copied) as a row-major tensor of {@code shape}. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = Shape.check("Tensor.wrap", shape);
        if (Shape.numel(s) != data.length)
            throw new IllegalArgumentException("Tensor.wrap: shape " + Shape.str(s) + " needs " + Shape.numel(s) + " elements, array has " + data.length);
        return new Tensor(data, 0, s, Shape.contiguousStrides(s));
    }

    /** A copy of {@code data} as a tensor of {@code shape} (a 1-D tensor when no shape is given). */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape.length == 0 ? new int[] {data.length} : shape);
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw new IllegalArgumentException("Tensor.of: row " + i + " has length " + rows[i].length + ", row 0 has " + c);
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return wrap(d, r, c);
    }

    /** A rank-0 tensor holding {@code v}. */
    public static Tensor scalar(float v) { return wrap(new float[] {v}); }

    public static Tensor zeros(int... shape) { return wrap(new float[Shape.numel(Shape.check("Tensor.zeros", shape))], shape); }

    public static Tensor ones(int... shape) { return full(1f, shape); }

    public static Tensor full(float v, int... shape) {
        float[] d = new float[Shape.numel(Shape.check("Tensor.full", shape))];
        Arrays.fill(d, v);
        return wrap(d, shape);
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) { return arange(0, n, 1); }

    /** {@code start, start+step, ...} while {@code < end} (or {@code > end} for a negative step). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0) throw new IllegalArgumentException("Tensor.arange: step must be non-zero");
        int n = Math.max(0, (int) Math.ceil((end - start) / step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = start + i * step;
        return wrap(d, n);
    }

    /** Samples of N(0, 1) from {@code rng}. */
    public static Tensor randn(Rng rng, int... shape) { return normal(rng, 0f, 1f, shape); }

    /** Samples of N(mean, std²) from {@code rng}. */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        float[] d = new float[Shape.numel(Shape.check("Tensor.normal", shape))];
        for (int i = 0; i < d.length; i++) d[i] = mean + std * rng.nextGaussian();
        return wrap(d, shape);
    }

    /** Samples of U[lo, hi) from {@code rng}: {@code lo + (hi − lo)·u}. */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        float[] d = new float[Shape.numel(Shape.check("Tensor.uniform", shape))];
        for (int i = 0; i < d.length; i++) d[i] = rng.uniform(lo, hi);
        return wrap(d, shape);
    }

    /** Samples of U[0, 1). */
    public static Tensor rand(Rng rng, int... shape) { return uniform(rng, 0f, 1f, shape); }

    /** The n×n lower-triangular matrix of ones ({@code 1} where {@code j ≤ i}): the causal "may attend" mask. */
    public static Tensor tril(int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) d[i * n + j] = 1f;
        return wrap(d, n, n);
    }

    /** The n×n strictly upper-triangular mask ({@code 1} where {@code j > i}): the positions a causal model must not see. */
    public static Tensor triu1(int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[i * n + j] = 1f;
        return wrap(d, n, n);
    }

    // ---------------------------------------------------------------- inspection

    public int[] shape() { return shape.clone(); }
    public int dim() { return shape.length; }
    public int numel() { return size; }

    /** Size of {@code axis} (negative counts from the end). */
    public int size(int axis) { return shape[Shape.axis("size", axis, shape.length)]; }

    /** The backing array (shared with views); element {@code idx} is at {@code offset() + Σ idx·strides()}. */
    public float[] data() { checkLive("data"); return data; }
    public int offset() { return offset; }
    public int[] strides() { return strides.clone(); }

    /** Whether the elements are laid out row-major from {@code offset} (size-1 axes may have any stride). */
    public boolean isContiguous() {
        int expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expect) return false;
            expect *= shape[i];
        }
        return true;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        checkLive("item");
        if (size != 1) throw new IllegalStateException("item: tensor of shape " + Shape.str(shape) + " has " + size + " elements, not 1");
        return data[offset];
    }

    /** The element at {@code idx} (one index per axis; each checked against its bound). */
    public float get(int... idx) { checkLive("get"); return data[index("get", idx)]; }

    /** Sets the element at {@code idx}, in place, outside autograd (for building inputs). */
    public void set(float v, int... idx) { data[index("set", idx)] = v; }

    private int index(String op, int[] idx) {
        if (idx.length != shape.length) throw new IllegalArgumentException(op + ": got " + idx.length + " indices for shape " + Shape.str(shape));
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i])
                throw new IndexOutOfBoundsException(op + ": index " + idx[i] + " out of range [0, " + shape[i] + ") on axis " + i + " of shape " + Shape.str(shape));
            p += idx[i] * strides[i];
        }
        return p;
    }

    /** A fresh row-major copy of the values. */
    public float[] toArray() {
        checkLive("toArray");
        if (isContiguous()) return Arrays.copyOfRange(data, offset, offset + size);
        return Strided.toContiguous(data, offset, shape, strides);
    }

    /** The op that produced this tensor ({@code "leaf"} for inputs and parameters). */
    public String op() { return op; }

    /** The inputs of the op that produced this tensor (empty for leaves or when no gradient is tracked). */
    public List<Tensor> inputs() { return List.of(parents); }

    /** An optional name, shown by {@link #toString()} and by graph printouts. */
    public String name() { return name; }
    public Tensor name(String n) { this.name = n; return this; }

    @Override
    public String toString() { return Printer.format(this); }

    // ---------------------------------------------------------------- gradients

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as a parameter (or not); throws for a non-leaf, whose flag comes from its inputs. */
    public Tensor requiresGrad(boolean on) {
        if (backward != null && !on) throw new IllegalStateException("requiresGrad(false) on the output of op '" + op + "': use detach()");
        this.requiresGrad = on;
        return this;
    }

    /** The accumulated gradient as a tensor of this shape (sharing the buffer), or null if none has been computed. */
    public Tensor grad() { return grad == null ? null : wrap(grad, shape); }

    /** The gradient buffer (row-major, this tensor's shape), allocated as zeros on first use. For ops' backwards. */
    public float[] gradBuffer() {
        if (grad == null) grad = Buffers.zeroed(size);
        return grad;
    }

    /** Whether a gradient buffer exists (a backward that finds none may write its contribution instead of adding it). */
    public boolean hasGrad() { return grad != null; }

    /**
     * A new gradient buffer with ARBITRARY contents, for a backward that writes every element of its contribution
     * instead of adding it (saves clearing the buffer first). Only when {@link #hasGrad()} is false.
     */
    public float[] gradBufferForWrite() {
        if (grad != null) throw new IllegalStateException("gradBufferForWrite: tensor " + Shape.str(shape) + " already has a gradient; add to gradBuffer()");
        grad = Buffers.dirty(size);
        return grad;
    }

    /** Sets the accumulated gradient to zero (keeps the buffer). */
    public void zeroGrad() { if (grad != null) Arrays.fill(grad, 0f); }

    /** {@link #zeroGrad} on every tensor, the tensors shared out over the kernel threads (a model's are a few MB). */
    public static void zeroGrads(java.util.Collection<Tensor> tensors) {
        Tensor[] ts = tensors.toArray(new Tensor[0]);
        Kernels.parallelRange(ts.length, 1, (from, to) -> { for (int i = from; i < to; i++) ts[i].zeroGrad(); });
    }

    /** A tensor sharing this one's values but cut from the graph: no gradient flows through it. */
    public Tensor detach() {
        checkLive("detach");
        return new Tensor(data, offset, shape, strides);
    }

    /** Whether ops record a graph on this thread (false inside {@link #noGrad()}). */
    public static boolean isGradEnabled() { return NO_GRAD_DEPTH.get()[0] == 0; }

    /** A scope in which no op records a graph: {@code try (var g = Tensor.noGrad()) { ... }}. Scopes nest. */
    public static NoGrad noGrad() {
        NO_GRAD_DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** The handle of a {@link #noGrad()} scope; closing it ends the scope (once). */
    public static final class NoGrad implements AutoCloseable {
        private boolean closed;
        private NoGrad() {}
        @Override public void close() { if (!closed) { closed = true; NO_GRAD_DEPTH.get()[0]--; } }
    }

    /** Anomaly mode: every op checks its output (and every backward its input gradients) for NaN/Inf. Slow; for debugging. */
    public static void setAnomalyDetection(boolean on) { anomaly = on; }
    public static boolean anomalyDetection() { return anomaly; }

    /**
     * Builds the output of op {@code op} from its values: it requires grad if grad mode is on and any input does.
     * Register the backward with {@link #onBackward}. In anomaly mode, throws if {@code out} has a NaN or Inf.
     * This is how any package writes a new op (e.g. a fused kernel), forward and backward side by side:
     * <pre>{@code
     * Tensor x = in.contiguous();                                   // kernels want row-major data
     * float[] y = new float[x.numel()];
     * for (int i = 0; i < y.length; i++) y[i] = 3 * x.data()[x.offset() + i];
     * Tensor out = Tensor.fromOp("triple", y, x.shape(), x);
     * return out.onBackward(g -> {                                  // g: gradient of out, row-major
     *     float[] gx = x.gradBuffer();                              // ADD into the input's gradient
     *     for (int i = 0; i < gx.length; i++) gx[i] += 3 * g[i];
     * });
     * }</pre>
     */
    public static Tensor fromOp(String op, float[] out, int[] shape, Tensor... inputs) {
        Tensor t = new Tensor(out, 0, shape, Shape.contiguousStrides(shape));
        t.op = op;
        t.ownsData = true;
        if (anomaly) Tape.checkFinite(op, "forward", out, inputs);  // (masked_fill writes −∞ on purpose and is exempt)
        link(t, inputs);
        return t;
    }

    static void link(Tensor t, Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++)
            if (inputs[i].released)
                throw new IllegalStateException("op '" + t.op + "': input " + i + " " + Shape.str(inputs[i].shape) + " (op '" + inputs[i].op
                        + "') was released by releaseGraph(); its storage has been reused, so compute it again instead");
        if (!isGradEnabled()) return;
        for (Tensor in : inputs) if (in.requiresGrad) { t.requiresGrad = true; break; }
        if (t.requiresGrad) t.parents = inputs;
    }

    /**
     * Declares arrays that only this op's backward reads (saved statistics, split heads, ...): {@link #releaseGraph()}
     * recycles them with the graph. Take them from {@link Buffers} to get recycled ones back.
     */
    public Tensor alsoOwns(float[]... buffers) {
        if (!requiresGrad) return this;           // no graph, no release: the GC takes them
        int n = owned == null ? 0 : owned.length;
        owned = owned == null ? buffers.clone() : Arrays.copyOf(owned, n + buffers.length);
        if (n > 0) System.arraycopy(buffers, 0, owned, n, buffers.length);
        return this;
    }

    /**
     * Hands the storage of this graph back for reuse: the values and gradients of every intermediate tensor behind
     * this one (not of leaves such as parameters and inputs, whose gradients the optimizer has just used) go to
     * {@link Buffers}, and the graph is cut, so nothing keeps it alive. This tensor keeps its value (e.g. the loss
     * for logging). Call it once the step is done — after {@code backward()} and the optimizer step — and only if
     * no other tensor of the graph will be read again: their storage is reused by the next ops, and reading a
     * released tensor throws. A training loop that calls it allocates almost nothing after its first step.
     */
    public void releaseGraph() {
        List<Tensor> order = Tape.topoOrder(this);
        java.util.IdentityHashMap<float[], Boolean> given = new java.util.IdentityHashMap<>();
        for (Tensor t : order) {
            if (t.backward == null && t.parents.length == 0) continue;       // a leaf: parameters keep data and grad
            if (t != this && t.ownsData && given.put(t.data, true) == null) Buffers.recycle(t.data);
            if (t.owned != null) for (float[] b : t.owned) if (b != null && given.put(b, true) == null) Buffers.recycle(b);
            if (t.grad != null && given.put(t.grad, true) == null) Buffers.recycle(t.grad);
            t.grad = null;
            t.owned = null;
            t.backward = null;
            t.parents = NONE;
            if (t != this) t.released = true;
        }
    }

    private void checkLive(String what) {
        if (released)
            throw new IllegalStateException(what + ": tensor " + Shape.str(shape) + " (op '" + op + "') was released by releaseGraph(); "
                    + "its storage has been reused");
    }

    /** Registers the backward of the op that made this tensor (ignored when it does not require grad). */
    public Tensor onBackward(Backward b) {
        if (requiresGrad) this.backward = b;
        return this;
    }

    /** {@code dL/dx} for every x in the graph of this scalar: seeds {@code dL/dL = 1} and runs the tape backwards. */
    public void backward() { backward(scalarSeed()); }

    private float[] scalarSeed() {
        if (!requiresGrad)
            throw new IllegalStateException("backward: tensor " + Shape.str(shape) + " (op '" + op + "') does not require grad: "
                    + "no input was a parameter (requiresGrad) or it was computed under noGrad");
        if (size != 1)
            throw new IllegalStateException("backward: tensor has shape " + Shape.str(shape) + " with " + size
                    + " elements; backward() without a seed needs a scalar. Call backward(seed) with a gradient of that shape");
        return new float[] {1f};
    }

    /** Runs the tape backwards from this tensor with {@code seed} (row-major, this shape) as its gradient (added). */
    public void backward(float[] seed) {
        checkBackward(seed);
        Tape.run(this, seed, anomaly, false);
    }

    private void checkBackward(float[] seed) {
        if (!requiresGrad)
            throw new IllegalStateException("backward: tensor " + Shape.str(shape) + " (op '" + op + "') does not require grad");
        if (seed.length != size)
            throw new IllegalArgumentException("backward: seed has " + seed.length + " elements, tensor " + Shape.str(shape) + " has " + size);
    }

    /**
     * {@link #backward()} followed by {@link #releaseGraph()}, for a training step: each intermediate gradient goes back
     * to {@link Buffers} as soon as its op's backward has read it, so the gradients of the layers below are written
     * into arrays still in cache instead of fresh ones (the pass touches a few MB instead of all the graph's
     * gradients), and an op may hand its output's gradient to an input instead of copying it (a residual add). The
     * leaves' gradients (parameters) are the same bits as with {@code backward()}; intermediate ones are not kept.
     */
    public void backwardAndRelease() { backwardAndRelease(scalarSeed()); }

    /** {@link #backward(float[])} followed by {@link #releaseGraph()}, releasing as it goes: see {@link #backwardAndRelease()}. */
    public void backwardAndRelease(float[] seed) {
        checkBackward(seed);
        Tape.run(this, seed, anomaly, true);
        releaseGraph();
    }

    /**
     * For an op's backward in a releasing pass ({@link #backwardAndRelease}): {@code input}, which has no gradient yet
     * and this tensor's shape (so the same row-major gradient layout), takes this tensor's gradient array as its gradient — the exact copy an op
     * would make, without copying (not a sum into zeros, which turns −0 into +0). Returns false, doing nothing, in any
     * other case (the op then copies or adds as usual).
     */
    boolean handGradTo(Tensor input) {
        if (!gradSpent || grad == null || input.grad != null || !input.requiresGrad || !Arrays.equals(input.shape, shape) || input == this) return false;
        input.grad = grad;
        grad = null;
        return true;
    }

    /** Every tensor this one depends on (that requires grad), inputs before outputs; iterative DFS, no recursion. */
    public List<Tensor> topoOrder() { return Tape.topoOrder(this); }

    // ---------------------------------------------------------------- ops (each defined, with its backward, in its own class)

    public Tensor add(Tensor o) { return Elementwise.binary("add", Strided.ADD, this, o); }
    public Tensor sub(Tensor o) { return Elementwise.binary("sub", Strided.SUB, this, o); }
    public Tensor mul(Tensor o) { return Elementwise.binary("mul", Strided.MUL, this, o); }
    public Tensor div(Tensor o) { return Elementwise.div(this, o); }
    public Tensor add(float c) { return Elementwise.affine(this, 1f, c); }
    public Tensor sub(float c) { return Elementwise.affine(this, 1f, -c); }
    public Tensor mul(float c) { return Elementwise.affine(this, c, 0f); }
    public Tensor div(float c) { return Elementwise.affine(this, 1f / c, 0f); }
    public Tensor neg() { return Elementwise.affine(this, -1f, 0f); }
    public Tensor pow(float p) { return Elementwise.pow(this, p); }
    public Tensor exp() { return Elementwise.unary("exp", this); }
    public Tensor log() { return Elementwise.unary("log", this); }
    public Tensor tanh() { return Elementwise.unary("tanh", this); }
    public Tensor sqrt() { return Elementwise.unary("sqrt", this); }
    public Tensor sigmoid() { return Elementwise.unary("sigmoid", this); }
    public Tensor reciprocal() { return Elementwise.unary("reciprocal", this); }
    public Tensor relu() { return Elementwise.unary("relu", this); }
    public Tensor maskedFill(Tensor mask, float value) { return Elementwise.maskedFill(this, mask, value); }

    public Tensor sum() { return Reduce.sumAll(this); }
    public Tensor mean() { return Reduce.sumAll(this).mul(1f / size); }
    public Tensor sum(int axis, boolean keepDim) { return Reduce.sum(this, axis, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return Reduce.sum(this, axis, keepDim).mul(1f / shape[Shape.axis("mean", axis, shape.length)]); }
    public Tensor max(int axis, boolean keepDim) { return Reduce.max(this, axis, keepDim); }
    public Tensor max() { return Reduce.max(reshape(size), 0, false); }
    public Tensor var(int axis, boolean keepDim) { return Reduce.var(this, axis, keepDim); }
    /** Population variance of all elements. */
    public Tensor var() { return Reduce.var(reshape(size), 0, false); }

    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor transpose(int a, int b) { return Views.transpose(this, a, b); }
    /** Swaps the last two axes (a view). */
    public Tensor t() { return Views.transpose(this, -2, -1); }
    public Tensor slice(int axis, int start, int end) { return Views.slice(this, axis, start, end); }
    public Tensor contiguous() { return Views.contiguous(this); }
    public List<Tensor> split(int axis, int... sizes) { return Views.split(this, axis, sizes); }
    public static Tensor concat(int axis, Tensor... parts) { return Views.concat(axis, parts); }
    public Tensor indexSelect(int[] rows) { return Views.indexSelect(this, rows); }
    /** {@code y[r] = x[r, idx[r]]} along the last axis. */
    public Tensor gather(int[] idx) { return Views.gather(this, idx); }
    public Tensor unsqueeze(int axis) { return Views.unsqueeze(this, axis); }
    public Tensor squeeze(int axis) { return Views.squeeze(this, axis); }
    public static Tensor stack(int axis, Tensor... parts) { return Views.stack(axis, parts); }

    /** Index of the largest element of each row along the last axis (first on ties); no gradient. */
    public int[] argmax() {
        Tensor x = contiguous();
        int c = shape.length == 0 ? 1 : shape[shape.length - 1], rows = c == 0 ? 0 : size / c;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int o = x.offset + r * c, best = 0;
            for (int j = 1; j < c; j++) if (x.data[o + j] > x.data[o + best]) best = j;
            out[r] = best;
        }
        return out;
    }

    public Tensor matmul(Tensor o) { return LinAlg.matmul(this, o); }

    public Tensor softmax() { return Functional.softmax(this); }
    public Tensor logSoftmax() { return Functional.logSoftmax(this); }
    public Tensor gelu() { return Functional.geluTanh(this); }
    public Tensor geluErf() { return Functional.geluErf(this); }
    public Tensor silu() { return Functional.silu(this); }
}
