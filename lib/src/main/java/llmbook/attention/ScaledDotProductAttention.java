package llmbook.attention;

import llmbook.tensor.Tensor;

/**
 * Scaled dot-product attention: the fused op when it can, composed from tensor ops otherwise. Q2, Q41.
 * <pre>
 *   Attention(Q, K, V) = softmax(scale · Q·Kᵀ + M) · V        scale = 1/√d_k by default, M = 0 or −∞ (hidden)
 *   Q (B, H, Tq, d_k)   K (B, H_kv, Tk, d_k)   V (B, H_kv, Tk, d_v)   →   (B, H, Tq, d_v)
 * </pre>
 * <b>Why the scale.</b> If the entries of q and k are independent with mean 0 and variance 1, {@code q·k} has variance
 * {@code d_k}; unscaled, the logits grow like √d_k, the softmax saturates towards one-hot and its gradient vanishes.
 * Dividing by √d_k keeps the logits at unit variance whatever the head size. The scale is a visible parameter so that
 * its absence ({@code scale = 1}) can be studied.
 *
 * <p><b>Shared K/V heads (GQA, MQA).</b> When {@code H_kv < H} (it must divide H), query head h uses K/V head
 * {@code g = ⌊h / (H/H_kv)⌋}, so consecutive groups of H/H_kv query heads share one; the product is taken as
 * {@code (B·H_kv, H/H_kv, Tq, d) @ (B·H_kv, 1, d, Tk)}, broadcasting the shared head without copying it.
 *
 * <p><b>Two paths, one function.</b> With a plainly causal mask (no padding), {@code Tq == Tk} and no weights requested,
 * {@link #attend} runs {@link FusedAttention#causal} (one autograd op, no T×T tensor stored: the training path). Otherwise
 * (an encoder's {@link Mask#NONE}, padding, cross-attention, a KV cache's {@code Tq < Tk}, or weights wanted for a plot)
 * it composes {@code matmul → scale → mask → softmax → matmul} below. Both compute the same numbers (tested to 1e-5).
 *
 * <p>An instance can capture the attention weights {@code softmax(...)} of its last call (detached, {@code (B, H, Tq, Tk)})
 * for plotting, when asked ({@link #captureWeights}); capturing forces the composed path. {@link #attend} is the
 * stateless form.
 */
public final class ScaledDotProductAttention {
    private final float scale;       // NaN: 1/√d_k
    private boolean capture;
    private Tensor lastWeights;

    /** Default scale 1/√d_k, no capture. */
    public ScaledDotProductAttention() { this(Float.NaN, false); }

    /** {@code scale}: NaN for 1/√d_k; {@code capture}: keep the last weights for {@link #lastWeights()}. */
    public ScaledDotProductAttention(float scale, boolean capture) {
        if (!Float.isNaN(scale) && !(scale > 0 && Float.isFinite(scale)))
            throw new IllegalArgumentException("ScaledDotProductAttention: scale must be finite and > 0 (or NaN for 1/sqrt(d_k)), got " + scale);
        this.scale = scale;
        this.capture = capture;
    }

    /** Capture the weights of later calls (composed path) or not (fused path when possible); returns this. */
    public ScaledDotProductAttention captureWeights(boolean on) {
        capture = on;
        if (!on) lastWeights = null;
        return this;
    }

    /** Whether {@link #forward} captures the weights. */
    public boolean capturesWeights() { return capture; }

    /** The configured scale (NaN means 1/√d_k, resolved per call). */
    public float scale() { return scale; }

    /** {@code softmax(scale·QKᵀ + M)·V}, capturing the weights if configured. */
    public Tensor forward(Tensor q, Tensor k, Tensor v, Mask mask) {
        Tensor[] w = capture ? new Tensor[1] : null;
        Tensor out = attend(q, k, v, mask, scale, w);
        if (capture) lastWeights = w[0].detach();
        return out;
    }

    /** The weights of the last {@link #forward} (B, H, Tq, Tk), detached; null before the first call or without capture. */
    public Tensor lastWeights() { return lastWeights; }

    /**
     * {@link #forward} with an additive bias on the logits ({@code softmax(scale·QKᵀ + bias + M)·V}; e.g. {@link Alibi#bias},
     * shape broadcastable to (B, H, Tq, Tk)); always the composed path. A null bias is plain {@link #forward}.
     */
    public Tensor forward(Tensor q, Tensor k, Tensor v, Mask mask, Tensor bias) {
        if (bias == null) return forward(q, k, v, mask);
        Tensor[] w = capture ? new Tensor[1] : null;
        Tensor out = attend(q, k, v, mask, scale, w, bias);
        if (capture) lastWeights = w[0].detach();
        return out;
    }

    /** Stateless attention with the default scale 1/√d_k. */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, Mask mask) { return attend(q, k, v, mask, Float.NaN, null); }

    /**
     * Stateless attention. {@code scale} NaN means 1/√d_k; {@code weightsOut}, if non-null, receives the attention weights
     * (B, H, Tq, Tk) in slot 0 (still in the graph).
     */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, Mask mask, float scale, Tensor[] weightsOut) {
        check(q, k, v);
        int[] qs = q.shape(), ks = k.shape();
        int tq = qs[2], dk = qs[3], tk = ks[2];
        float s = Float.isNaN(scale) ? (float) (1.0 / Math.sqrt(dk)) : scale;
        if (weightsOut == null && tq == tk && FusedAttention.plainCausal(mask))
            return FusedAttention.causal(q, k, v, s);                        // the fast path: one op, no T×T tensors
        return composed(q, k, v, mask, s, weightsOut, null);
    }

    /**
     * Stateless attention with an additive bias on the scaled logits (broadcastable to (B, H, Tq, Tk), e.g.
     * {@link Alibi#bias}); the composed path. A null bias is {@link #attend(Tensor, Tensor, Tensor, Mask, float, Tensor[])}.
     */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, Mask mask, float scale, Tensor[] weightsOut, Tensor bias) {
        if (bias == null) return attend(q, k, v, mask, scale, weightsOut);
        check(q, k, v);
        int[] qs = q.shape(), ks = k.shape();
        int[] bs = bias.shape();
        if (bs.length != 4 || bs[1] != qs[1] || bs[2] != qs[2] || bs[3] != ks[2] || (bs[0] != 1 && bs[0] != qs[0]))
            throw new IllegalArgumentException("attention: bias " + str(bs) + " must be (1 or B, H, Tq, Tk) = (" + qs[0] + ", " + qs[1] + ", " + qs[2] + ", " + ks[2] + ")");
        return composed(q, k, v, mask, Float.isNaN(scale) ? (float) (1.0 / Math.sqrt(qs[3])) : scale, weightsOut, bias);
    }

    /**
     * Always the composed path ({@code matmul → scale → mask → softmax → matmul}, each a separate autograd op storing its
     * result), whatever the mask: for comparing it with the fused op. {@code scale} NaN means 1/√d_k.
     */
    public static Tensor attendComposed(Tensor q, Tensor k, Tensor v, Mask mask, float scale, Tensor[] weightsOut) {
        Tensor[] w = weightsOut != null ? weightsOut : new Tensor[1];
        return attend(q, k, v, mask, scale, w);
    }

    /** Shapes: q (B, H, Tq, d_k), k (B, H_kv, Tk, d_k), v (B, H_kv, Tk, d_v), H_kv dividing H; one line naming them otherwise. */
    private static void check(Tensor q, Tensor k, Tensor v) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4)
            throw new IllegalArgumentException("attention: q, k, v must be (B, H, T, d), got q " + str(qs) + ", k " + str(ks) + ", v " + str(vs));
        int b = qs[0], h = qs[1], tq = qs[2], dk = qs[3], hkv = ks[1], tk = ks[2], dv = vs[3];
        if (ks[0] != b || vs[0] != b)
            throw new IllegalArgumentException("attention: batch sizes differ: q " + str(qs) + ", k " + str(ks) + ", v " + str(vs));
        if (ks[3] != dk)
            throw new IllegalArgumentException("attention: q " + str(qs) + " and k " + str(ks) + " must have the same head size d_k");
        if (vs[1] != hkv || vs[2] != tk)
            throw new IllegalArgumentException("attention: k " + str(ks) + " and v " + str(vs) + " must have the same heads and length");
        if (hkv < 1 || h % hkv != 0)
            throw new IllegalArgumentException("attention: k/v heads " + hkv + " must divide q heads " + h + " (q " + str(qs) + ", k " + str(ks) + ")");
    }

    private static Tensor composed(Tensor q, Tensor k, Tensor v, Mask mask, float s, Tensor[] weightsOut, Tensor bias) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        int b = qs[0], h = qs[1], tq = qs[2], dk = qs[3], hkv = ks[1], tk = ks[2], dv = vs[3];
        int per = h / hkv;                                                   // query heads per K/V head

        Tensor qg = q.reshape(b * hkv, per, tq, dk);                         // (B·Hkv, H/Hkv, Tq, dk)
        Tensor kg = k.reshape(b * hkv, 1, tk, dk);                           // (B·Hkv, 1, Tk, dk)
        Tensor vg = v.reshape(b * hkv, 1, tk, dv);                           // (B·Hkv, 1, Tk, dv)
        Tensor scores = qg.matmul(kg.t()).reshape(b, h, tq, tk);             // (B, H, Tq, Tk)
        if (s != 1f) scores = scores.mul(s);
        if (bias != null) scores = scores.add(bias);                         // e.g. ALiBi's −m_h·|i − j|
        Tensor hide = mask == null ? null : mask.hidden(b, tq, tk);
        if (hide != null) scores = scores.maskedFill(hide, Float.NEGATIVE_INFINITY);
        Tensor weights = scores.softmax();                                   // (B, H, Tq, Tk), rows sum to 1
        if (weightsOut != null) weightsOut[0] = weights;
        Tensor out = weights.reshape(b * hkv, per, tq, tk).matmul(vg);       // (B·Hkv, H/Hkv, Tq, dv)
        return out.reshape(b, h, tq, dv);                                    // (B, H, Tq, dv)
    }

    /**
     * Mean entropy of the attention rows, {@code −Σ_j p_ij ln p_ij} in nats, averaged over every (b, h, i). Q41: uniform
     * attention over T keys has ln T; a one-hot (saturated) row has 0. Without the 1/√d_k scale the rows of random
     * unit-variance q, k saturate as d_k grows; with it their entropy does not depend on d_k.
     */
    public static double meanEntropy(Tensor weights) {
        int[] s = weights.shape();
        int cols = s[s.length - 1];
        float[] w = weights.toArray();
        int rows = w.length / cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double h = 0;
            for (int j = 0; j < cols; j++) {
                double p = w[r * cols + j];
                if (p > 0) h -= p * Math.log(p);
            }
            total += h;
        }
        return total / rows;
    }

    static String str(int[] s) { return llmbook.tensor.Shape.str(s); }
}
