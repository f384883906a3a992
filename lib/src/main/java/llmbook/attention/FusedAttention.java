package llmbook.attention;

import llmbook.kernels.Attention;
import llmbook.tensor.Buffers;
import llmbook.tensor.Shape;
import llmbook.tensor.Tensor;

/**
 * Causal scaled-dot-product attention as ONE autograd op on the fused kernels ({@link Attention#groupedForward},
 * {@link Attention#groupedBackward}), for every head layout of the family. Q2, Q9, Q33.
 * <pre>
 *   q (B, H, T, d_k)   k (B, G, T, d_k)   v (B, G, T, d_v)   →   (B, H, T, d_v)        G divides H
 *   out_h = softmax(scale · q_h·k_gᵀ + causal mask) · v_g,     g = ⌊h / (H/G)⌋
 * </pre>
 * G = H is multi-head, G = 1 multi-query, anything between grouped-query; latent attention has d_v ≠ d_k. The forward
 * saves the output and the log-sum-exp of each score row, never the T×T weights; the backward recomputes each row's
 * weights from them and adds the H/G query heads' key and value gradients into their shared K/V head (on one thread,
 * so no two threads write the same row). Composed from primitives (matmul, mask, softmax, matmul) the same function
 * stores four T×T tensors per head and is several times slower; {@link ScaledDotProductAttention} takes this op when
 * the mask is plainly causal and nobody asked for the weights.
 *
 * <p>{@link #cached} is the decoding twin: new queries against a preallocated {@link KvCache}, forward only.
 */
public final class FusedAttention {
    private FusedAttention() {}

    /** Causal attention, see the class comment; {@code scale} is usually {@code 1/√d_k}. */
    public static Tensor causal(Tensor q, Tensor k, Tensor v, float scale) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4)
            throw new IllegalArgumentException("FusedAttention.causal: q, k, v must be (B, H, T, d), got q " + Shape.str(qs) + ", k "
                    + Shape.str(ks) + ", v " + Shape.str(vs));
        int B = qs[0], H = qs[1], T = qs[2], dk = qs[3], G = ks[1], dv = vs[3];
        if (ks[0] != B || vs[0] != B || ks[2] != T || vs[2] != T || vs[1] != G || ks[3] != dk || G < 1 || H % G != 0)
            throw new IllegalArgumentException("FusedAttention.causal: need q (B, H, T, d_k), k (B, G, T, d_k), v (B, G, T, d_v) with G dividing H, got q "
                    + Shape.str(qs) + ", k " + Shape.str(ks) + ", v " + Shape.str(vs));
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous();
        float[] out = Buffers.dirty(B * H * T * dv), lse = Buffers.dirty(B * H * T);   // both written in full
        Attention.groupedForward(B, H, G, T, dk, dv, scale, out, lse, qc.data(), qc.offset(), kc.data(), kc.offset(), vc.data(), vc.offset());
        Tensor y = Tensor.fromOp("fused_attention", out, new int[] {B, H, T, dv}, qc, kc, vc).alsoOwns(lse);
        return y.onBackward(g -> {
            // the kernel ADDS, so a gradient buffer is passed directly; an input without one gets scratch
            float[] dq = gradOrScratch(qc), dK = gradOrScratch(kc), dV = gradOrScratch(vc);
            Attention.groupedBackward(B, H, G, T, dk, dv, scale, dq, dK, dV, g, qc.data(), qc.offset(), kc.data(), kc.offset(),
                    vc.data(), vc.offset(), out, lse);
            for (Tensor t : new Tensor[] {qc, kc, vc}) if (!t.requiresGrad()) Buffers.recycle(t == qc ? dq : t == kc ? dK : dV);
        });
    }

    /**
     * The same op on the layout the projections produce, so no head split, transpose or merge is ever copied:
     * <pre>
     *   q (B, T, H·d_k)   k (B, T, G·d_k)   v (B, T, G·d_v)   →   (B, T, H·d_v)        head h in columns h·d … h·d + d
     * </pre>
     * The inputs may be column slices of one wider tensor (e.g. the packed {@code qkv} of GPT-2: their last axis must be
     * contiguous, rows may be strided). The kernels read the heads in place ({@link Attention.Layout#columns}) and write
     * the output and new gradients straight into their (B, T, ·) rows: no head is ever copied.
     */
    public static Tensor causalHeads(Tensor q, Tensor k, Tensor v, int H, int G, float scale) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || H < 1 || G < 1 || H % G != 0 || qs[2] % H != 0
                || ks[2] % G != 0 || vs[2] % G != 0 || ks[0] != qs[0] || vs[0] != qs[0] || ks[1] != qs[1] || vs[1] != qs[1]
                || ks[2] / G != qs[2] / H)
            throw new IllegalArgumentException("FusedAttention.causalHeads: need q (B, T, H·d_k), k (B, T, G·d_k), v (B, T, G·d_v) with H="
                    + H + ", G=" + G + " (G dividing H), got q " + Shape.str(qs) + ", k " + Shape.str(ks) + ", v " + Shape.str(vs));
        Tensor qc = rowsContiguous(q), kc = rowsContiguous(k), vc = rowsContiguous(v);
        return heads(qc, 0, kc, 0, vc, 0, qs[0], qs[1], H, G, qs[2] / H, vs[2] / G, scale, qc, kc, vc);
    }

    /**
     * {@link #causalHeads} on one packed tensor {@code qkv (B, T, H·d + 2·G·d)}: queries, keys and values side by side
     * (GPT-2's {@code c_attn} output when G = H). Gradients go straight into qkv's gradient, with no slice views.
     */
    public static Tensor causalPacked(Tensor qkv, int H, int G, float scale) {
        int[] s = qkv.shape();
        if (s.length != 3 || H < 1 || G < 1 || H % G != 0 || s[2] % (H + 2 * G) != 0)
            throw new IllegalArgumentException("FusedAttention.causalPacked: need qkv (B, T, (H + 2G)·d) with H=" + H + ", G=" + G
                    + " (G dividing H), got " + Shape.str(s));
        int d = s[2] / (H + 2 * G);
        Tensor x = rowsContiguous(qkv);
        return heads(x, 0, x, H * d, x, (H + G) * d, s[0], s[1], H, G, d, d, scale, x);
    }

    /**
     * The op: q, k, v read in place at column offsets of (possibly the same) (B, T, ·) tensors through
     * {@link Attention.Layout}s, the output written as (B, T, H·d_v); inputs are the op's graph inputs. A gradient an
     * input does not have yet is accumulated straight into its buffer; one it already has gets this op's contribution
     * added once, from head-major scratch (the same bits as before this op read in place).
     */
    private static Tensor heads(Tensor q, int qCol, Tensor k, int kCol, Tensor v, int vCol, int B, int T, int H, int G, int dk, int dv,
                                float scale, Tensor... inputs) {
        Attention.Layout lq = in(q, qCol, dk), lk = in(k, kCol, dk), lv = in(v, vCol, dv), ly = Attention.Layout.columns(0, T * H * dv, H * dv, dv);
        float[] lse = Buffers.dirty(B * H * T), y = Buffers.dirty(B * T * H * dv);
        Attention.groupedForward(B, H, G, T, dk, dv, scale, y, ly, lse, q.data(), lq, k.data(), lk, v.data(), lv);
        Tensor out = Tensor.fromOp("fused_attention", y, new int[] {B, T, H * dv}, inputs).alsoOwns(lse);
        return out.onBackward(g -> {
            boolean packed = inputs.length == 1;
            Tensor gq = packed ? inputs[0] : q, gk = packed ? inputs[0] : k, gv = packed ? inputs[0] : v;
            // straight into the gradients when they are new, and (three inputs) distinct tensors, so no two parts overlap
            boolean direct = packed ? !gq.hasGrad()
                    : !q.hasGrad() && !k.hasGrad() && !v.hasGrad() && q != k && k != v && q != v;
            if (direct) {                                // the parts cover every column of the new gradients: written, not added
                int wq = gq.size(2), wk = gk.size(2), wv = gv.size(2);
                float[] dq = grad(gq, B * T * wq), dK = packed ? dq : grad(gk, B * T * wk), dV = packed ? dq : grad(gv, B * T * wv);
                Attention.groupedBackward(B, H, G, T, dk, dv, scale, dq, Attention.Layout.columns(qCol, T * wq, wq, dk),
                        dK, Attention.Layout.columns(kCol, T * wk, wk, dk), dV, Attention.Layout.columns(vCol, T * wv, wv, dv), g, ly,
                        q.data(), lq, k.data(), lk, v.data(), lv, y, ly, lse, false);
                if (!gq.requiresGrad()) Buffers.recycle(dq);     // scratch from grad(): an input that wants no gradient
                if (!packed && !gk.requiresGrad()) Buffers.recycle(dK);
                if (!packed && !gv.requiresGrad()) Buffers.recycle(dV);
                return;
            }
            float[] dq = Buffers.zeroed(B * H * T * dk), dK = Buffers.zeroed(B * G * T * dk), dV = Buffers.zeroed(B * G * T * dv);
            Attention.groupedBackward(B, H, G, T, dk, dv, scale, dq, Attention.Layout.headMajor(0, H, T, dk), dK,
                    Attention.Layout.headMajor(0, G, T, dk), dV, Attention.Layout.headMajor(0, G, T, dv), g, ly,
                    q.data(), lq, k.data(), lk, v.data(), lv, y, ly, lse);
            if (packed) {                                // the three parts fill each row of the one gradient
                Tensor x = inputs[0];
                if (x.requiresGrad()) {
                    float[] gx = x.gradBuffer();
                    int w = x.size(2);
                    scatter(dq, gx, w, qCol, B, T, H, dk, true);
                    scatter(dK, gx, w, kCol, B, T, G, dk, true);
                    scatter(dV, gx, w, vCol, B, T, G, dv, true);
                }
            } else {
                addHeads(q, dq, B, T, H, dk);
                addHeads(k, dK, B, T, G, dk);
                addHeads(v, dV, B, T, G, dv);
            }
            for (float[] a : new float[][] {dq, dK, dV}) Buffers.recycle(a);
        });
    }

    /** Where the heads of x (B, T, ·), from column col, live in x's storage. */
    private static Attention.Layout in(Tensor x, int col, int d) {
        return Attention.Layout.columns(x.offset() + col, x.strides()[0], x.strides()[1], d);
    }

    /** x's new gradient buffer when x wants one, else scratch of n floats: contents arbitrary, the kernel writes them all. */
    private static float[] grad(Tensor x, int n) { return x.requiresGrad() ? x.gradBufferForWrite() : Buffers.dirty(n); }

    /**
     * An encoder's attention under a padding mask, for inference: q (B, T, H·d_k), k (B, T, G·d_k), v (B, T, G·d_v) →
     * (B, T, H·d_v), every query of sequence b seeing keys {@code 0 … lengths[b]−1} (null: all T) through
     * {@link Attention#paddedForward}. Records no graph: call it under {@link Tensor#noGrad()} (the composed ops train).
     */
    public static Tensor padded(Tensor q, Tensor k, Tensor v, int H, int G, int[] lengths, float scale) {
        return inference("padded", q, k, v, H, G, lengths, null, scale);
    }

    /**
     * {@link #padded} for a ragged row ({@link Mask#segments}): q (1, T, H·d_k), k and v likewise, T = Σ lengths, each
     * sequence attending to its own positions only, through {@link Attention#segmentedForward}. Inference only.
     */
    public static Tensor segmented(Tensor q, Tensor k, Tensor v, int H, int G, int[] lengths, float scale) {
        return inference("segmented", q, k, v, H, G, null, lengths, scale);
    }

    private static Tensor inference(String kind, Tensor q, Tensor k, Tensor v, int H, int G, int[] lengths, int[] segments, float scale) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || H < 1 || G < 1 || H % G != 0 || qs[2] % H != 0
                || ks[2] % G != 0 || vs[2] % G != 0 || ks[0] != qs[0] || vs[0] != qs[0] || ks[1] != qs[1] || vs[1] != qs[1]
                || ks[2] / G != qs[2] / H)
            throw new IllegalArgumentException("FusedAttention." + kind + ": need q (B, T, H·d_k), k (B, T, G·d_k), v (B, T, G·d_v) with H="
                    + H + ", G=" + G + " (G dividing H), got q " + Shape.str(qs) + ", k " + Shape.str(ks) + ", v " + Shape.str(vs));
        if (Tensor.isGradEnabled() && (q.requiresGrad() || k.requiresGrad() || v.requiresGrad()))
            throw new IllegalStateException("FusedAttention." + kind + ": inference only, it records no graph; call it under Tensor.noGrad()");
        if (segments != null && qs[0] != 1)
            throw new IllegalArgumentException("FusedAttention.segmented: a ragged batch is one row (1, T, ·), got q " + Shape.str(qs));
        int B = qs[0], T = qs[1], dk = qs[2] / H, dv = vs[2] / G;
        Tensor qc = rowsContiguous(q), kc = rowsContiguous(k), vc = rowsContiguous(v);
        float[] qh = Buffers.dirty(B * H * T * dk), kh = Buffers.dirty(B * G * T * dk), vh = Buffers.dirty(B * G * T * dv);
        gather(qc, 0, qh, B, T, H, dk);
        gather(kc, 0, kh, B, T, G, dk);
        gather(vc, 0, vh, B, T, G, dv);
        float[] o = Buffers.dirty(B * H * T * dv), y = Buffers.dirty(B * T * H * dv);
        if (segments != null) Attention.segmentedForward(H, G, T, dk, dv, scale, o, qh, 0, kh, 0, vh, 0, segments);
        else Attention.paddedForward(B, H, G, T, dk, dv, scale, o, qh, 0, kh, 0, vh, 0, lengths);
        scatter(o, y, H * dv, 0, B, T, H, dv, false);
        for (float[] a : new float[][] {qh, kh, vh, o}) Buffers.recycle(a);
        return Tensor.wrap(y, B, T, H * dv);
    }

    /** x itself when its last axis is contiguous (rows may be strided), else a contiguous copy. */
    private static Tensor rowsContiguous(Tensor x) { return x.strides()[2] == 1 ? x : x.contiguous(); }

    /** Heads n of width d from column col of a (B, T, ·) tensor with strided rows → (B, n, T, d) head-major. */
    private static void gather(Tensor x, int col, float[] dst, int B, int T, int n, int d) {
        Attention.gatherHeads(x.data(), in(x, col, d), dst, B, n, T, d);
    }

    /** (B, n, T, d) head-major → columns col … col + n·d of the rows (width w) of a (B, T, w) array, written or added. */
    private static void scatter(float[] src, float[] dst, int w, int col, int B, int T, int n, int d, boolean add) {
        Attention.scatterHeads(src, dst, Attention.Layout.columns(col, T * w, w, d), B, n, T, d, add);
    }

    /** Adds a head-major gradient into x's (B, T, n·d) gradient (writing it when x has none yet). */
    private static void addHeads(Tensor x, float[] grad, int B, int T, int n, int d) {
        if (!x.requiresGrad()) return;
        boolean first = !x.hasGrad();
        scatter(grad, first ? x.gradBufferForWrite() : x.gradBuffer(), n * d, 0, B, T, n, d, !first);
    }

    /** Whether {@code mask} lets a self-attention forward take the fused op: plainly causal, no padding. */
    static boolean plainCausal(Mask mask) { return mask != null && mask.isCausal() && mask.lengths() == null; }

    private static float[] gradOrScratch(Tensor t) { return t.requiresGrad() ? t.gradBuffer() : Buffers.zeroed(t.numel()); }

    /**
     * Decoding: q (B, H, T_new, d_k) holds the queries at positions {@code start …} and {@code cache} already holds the
     * keys and values of positions {@code 0 … start + T_new − 1} (this step's included); returns (B, H, T_new, d_v)
     * through {@link Attention#cachedForward}. Inference only: no graph (call it under {@link Tensor#noGrad()} or with
     * queries that need no gradient).
     */
    public static Tensor cached(Tensor q, KvCache cache, int start, float scale) {
        int[] qs = q.shape();
        int G = cache.groups();
        if (qs.length != 4 || qs[0] != cache.batch() || qs[1] % G != 0 || qs[3] != cache.keyWidth())
            throw new IllegalArgumentException("FusedAttention.cached: q must be (" + cache.batch() + ", H, T_new, " + cache.keyWidth()
                    + ") with H a multiple of the cache's " + G + " K/V heads, got " + Shape.str(qs));
        if (Tensor.isGradEnabled() && q.requiresGrad())
            throw new IllegalStateException("FusedAttention.cached: decoding records no graph; call it under Tensor.noGrad()");
        int B = qs[0], H = qs[1], tq = qs[2], dv = cache.valueWidth();
        if (start < 0 || start + tq != cache.length())
            throw new IllegalArgumentException("FusedAttention.cached: queries at " + start + " … " + (start + tq - 1) + " but the cache holds "
                    + cache.length() + " positions (append this step's keys first)");
        Tensor qc = q.contiguous();
        float[] out = new float[B * H * tq * dv];
        Attention.cachedForward(B, H, G, tq, start, cache.keyWidth(), dv, scale, out, qc.data(), qc.offset(),
                cache.keyArray(), 0, cache.keyRows(), cache.valueArray(), 0, cache.valueRows(), cache.capacity());
        return Tensor.wrap(out, B, H, tq, dv);
    }
}
