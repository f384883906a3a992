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
