package llmbook.tensor;

import llmbook.kernels.Activations;
import llmbook.kernels.Kernels;
import llmbook.kernels.Norms;
import llmbook.kernels.Softmax;

/**
 * Neural-network ops on the last axis, forward and backward each a call to a {@code llmbook.kernels} pair
 * (softmax, norms, activations), plus the few with no kernel (exact GELU, dropout, cross-entropy). Q32, Q34, Q39.
 *
 * <p>Every op works on a contiguous {@code (rows, cols)} view of its input, where {@code cols} is the last axis.
 */
public final class Functional {
    private Functional() {}

    private static int cols(Tensor x) { return x.shape.length == 0 ? 1 : x.shape[x.shape.length - 1]; }

    /** {@code softmax(x)_j = exp(x_j − max x) / Σ_i exp(x_i − max x)} along the last axis (stable: Q32). */
    public static Tensor softmax(Tensor a) {
        Tensor x = a.contiguous();
        int c = cols(x), r = c == 0 ? 0 : x.size / c;
        float[] y = Buffers.dirty(x.size);
        Softmax.softmaxForward(y, 0, x.data, x.offset, r, c);
        Tensor t = Tensor.fromOp("softmax", y, x.shape, x);
        return t.onBackward(g -> Softmax.softmaxBackward(x.gradBuffer(), 0, y, 0, g, 0, r, c)); // dx += y ⊙ (g − Σ g⊙y)
    }

    /** {@code log_softmax(x)_j = x_j − max − log Σ exp(x_i − max)} along the last axis. */
    public static Tensor logSoftmax(Tensor a) {
        Tensor x = a.contiguous();
        int c = cols(x), r = c == 0 ? 0 : x.size / c;
        float[] y = Buffers.dirty(x.size);
        Softmax.logSoftmaxForward(y, 0, x.data, x.offset, r, c);
        Tensor t = Tensor.fromOp("log_softmax", y, x.shape, x);
        return t.onBackward(g -> Softmax.logSoftmaxBackward(x.gradBuffer(), 0, y, 0, g, 0, r, c)); // dx += g − exp(y)·Σ g
    }

    /** LayerNorm over the last axis: {@code y = (x − μ)/√(σ² + ε) ⊙ w + b}; w, b have shape (cols,); b may be null. */
    public static Tensor layerNorm(Tensor a, Tensor w, Tensor b, float eps) {
        Tensor x = a.contiguous();
        int c = cols(x), r = c == 0 ? 0 : x.size / c;
        checkVec("layerNorm", "weight", w, c, x);
        if (b != null) checkVec("layerNorm", "bias", b, c, x);
        float[] wd = dense(w), bd = b == null ? null : dense(b);
        float[] y = Buffers.dirty(x.size), mean = Buffers.dirty(r), rstd = Buffers.dirty(r);
        Norms.layerNormForward(y, 0, mean, rstd, x.data, x.offset, wd, bd, r, c, eps);
        Tensor t = b == null ? Tensor.fromOp("layer_norm", y, x.shape, x, w) : Tensor.fromOp("layer_norm", y, x.shape, x, w, b);
        t.alsoOwns(mean, rstd);
        return t.onBackward(g -> {
            float[] dx = x.requiresGrad ? x.gradBuffer() : new float[x.size];
            float[] dw = w.requiresGrad ? w.gradBuffer() : new float[c];
            float[] db = b == null ? null : (b.requiresGrad ? b.gradBuffer() : new float[c]);
            Norms.layerNormBackward(dx, 0, dw, db, g, 0, x.data, x.offset, mean, rstd, wd, r, c);
        });
    }

    /** RMSNorm over the last axis: {@code y = x / √(mean(x²) + ε) ⊙ w}. */
    public static Tensor rmsNorm(Tensor a, Tensor w, float eps) {
        Tensor x = a.contiguous();
        int c = cols(x), r = c == 0 ? 0 : x.size / c;
        checkVec("rmsNorm", "weight", w, c, x);
        float[] wd = dense(w);
        float[] y = Buffers.dirty(x.size), rstd = new float[r];                    // y: every element is written
        Norms.rmsNormForward(y, 0, rstd, x.data, x.offset, wd, r, c, eps);
        Tensor t = Tensor.fromOp("rms_norm", y, x.shape, x, w);
        return t.onBackward(g -> {
            float[] dx = x.requiresGrad ? x.gradBuffer() : new float[x.size];
            float[] dw = w.requiresGrad ? w.gradBuffer() : new float[c];
            Norms.rmsNormBackward(dx, 0, dw, g, 0, x.data, x.offset, rstd, wd, r, c);
        });
    }

    /** GELU, tanh form (GPT-2): {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    public static Tensor geluTanh(Tensor a) {
        Tensor x = a.contiguous();
        if (x.requiresGrad && Tensor.isGradEnabled()) return geluTanhTraining(x);
        float[] y = Buffers.dirty(x.size);
        Activations.geluTanhForward(y, 0, x.data, x.offset, x.size);
        return Tensor.fromOp("gelu_tanh", y, x.shape, x);
    }

    /**
     * {@link #geluTanh} when the graph is recorded: the forward keeps dy/dx for the backward, which then multiplies the
     * output gradient by it (the same bits as computing tanh again, and it reads neither x nor tanh). A method of its
     * own so inference, which runs the one above on every decoded token, keeps the code it had.
     */
    private static Tensor geluTanhTraining(Tensor x) {
        float[] y = Buffers.dirty(x.size), slope = Buffers.dirty(x.size);
        Activations.geluTanhForward(y, 0, x.data, x.offset, x.size, slope);
        Tensor t = Tensor.fromOp("gelu_tanh", y, x.shape, x).alsoOwns(slope);
        return t.onBackward(g -> {                  // a new gradient is written, not cleared and then added to
            boolean first = !x.hasGrad();
            Activations.geluTanhBackwardFromSlope(first ? x.gradBufferForWrite() : x.gradBuffer(), 0, g, 0, x.size, slope, !first);
        });
    }

    /** SiLU (swish): {@code x·σ(x)}; derivative {@code σ(x)(1 + x(1 − σ(x)))}. */
    public static Tensor silu(Tensor a) {
        Tensor x = a.contiguous();
        float[] y = Buffers.dirty(x.size);
        Activations.siluForward(y, 0, x.data, x.offset, x.size);
        Tensor t = Tensor.fromOp("silu", y, x.shape, x);
        return t.onBackward(g -> Activations.siluBackward(x.gradBuffer(), 0, x.data, x.offset, g, 0, x.size));
    }

    /**
     * GELU, exact form: {@code x·Φ(x) = ½x(1 + erf(x/√2))}; derivative {@code Φ(x) + x·φ(x)}, {@code φ(x) = e^{−x²/2}/√(2π)}.
     * BERT's activation (MiniLM runs it on 1536 × tokens values per layer): forward on the {@link Activations} kernel
     * (Abramowitz & Stegun's erf in float, vectorised), backward a loop over {@link #erfFast} (the same formula in double).
     */
    public static Tensor geluErf(Tensor a) {
        Tensor x = a.contiguous();
        float[] y = Buffers.dirty(x.size);
        Activations.geluErfForward(y, 0, x.data, x.offset, x.size);
        Tensor t = Tensor.fromOp("gelu_erf", y, x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) {
                double v = x.data[x.offset + i];
                double cdf = 0.5 * (1.0 + erfFast(v * SQRT_HALF)), pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2.0 * Math.PI);
                gx[i] += (float) (g[i] * (cdf + v * pdf));
            }
        });
    }

    private static final double SQRT_HALF = Math.sqrt(0.5);

    /**
     * The error function to 1.5e-7 absolute — below half a float ulp of 1 — with one exp and a division
     * (Abramowitz & Stegun 7.1.26): {@code erf x = 1 − t(a₁ + t(a₂ + t(a₃ + t(a₄ + t·a₅))))·e^{−x²}},
     * {@code t = 1/(1 + p·x)} for x ≥ 0, odd for x < 0. {@code FunctionalTest} checks the bound against {@link #erf}.
     */
    public static double erfFast(double x) {
        double ax = Math.abs(x), t = 1 / (1 + 0.3275911 * ax);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.copySign(1 - poly * Math.exp(-ax * ax), x);
    }

    /**
     * The error function, to ~1e-15 relative: the Maclaurin series for |x| < 2.5 and the continued fraction of erfc beyond.
     * (Java has no {@code Math.erf}.)
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 2.5) {
            // erf x = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 80; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return Math.copySign(2.0 / Math.sqrt(Math.PI) * sum, x);
        }
        // erfc x = e^{−x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated bottom-up
        double f = ax;
        for (int k = 60; k >= 1; k--) f = ax + (k / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1.0 - erfc, x);
    }

    /**
     * Inverted dropout: in training, zero each element with probability {@code p} and scale the survivors by
     * {@code 1/(1−p)} so the expected value is unchanged; in eval, the identity. The mask comes from {@code rng}.
     */
    public static Tensor dropout(Tensor a, float p, Rng rng, boolean training) {
        if (p < 0f || p >= 1f) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        if (!training || p == 0f) return a;
        Tensor x = a.contiguous();
        float scale = 1f / (1f - p);
        float[] mask = new float[x.size], y = new float[x.size];
        for (int i = 0; i < y.length; i++) {
            mask[i] = rng.nextFloat() < p ? 0f : scale;
            y[i] = x.data[x.offset + i] * mask[i];
        }
        Tensor t = Tensor.fromOp("dropout", y, x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += g[i] * mask[i];
        });
    }

    /**
     * {@code KL(P‖Q) = Σ_j p_j (log p_j − log q_j)} per row, for P = softmax(logitsP), Q = softmax(logitsQ) along the
     * last axis: (…, V) and (…, V) → (…). Q38. Built from log-softmax, so it is stable and needs no backward of its
     * own; gradients reach both arguments ({@code ∂/∂zQ = q − p}; detach P for a fixed target, as distillation does).
     * Not symmetric: KL(P‖Q) is large where P has mass and Q has none (Q must cover P's modes, "mean seeking"),
     * KL(Q‖P) where Q has mass that P lacks (Q may drop modes, "mode seeking").
     */
    public static Tensor klDivergence(Tensor logitsP, Tensor logitsQ) {
        if (!java.util.Arrays.equals(logitsP.shape, logitsQ.shape) || logitsP.shape.length == 0)
            throw new IllegalArgumentException("klDivergence: logits " + Shape.str(logitsP.shape) + " and " + Shape.str(logitsQ.shape)
                    + " must have one shape (…, V)");
        Tensor lp = logitsP.logSoftmax(), lq = logitsQ.logSoftmax();
        return lp.exp().mul(lp.sub(lq)).sum(-1, false);
    }

    /**
     * {@code KL(p‖q) = Σ p_i ln(p_i / q_i)} in nats for two probability vectors (each summing to 1 within 1e-6), with
     * {@code 0·ln 0 = 0}; {@code +∞} when some {@code q_i = 0 < p_i}. Q38. Example: p = (½, ½), q = (0.9, 0.1) gives
     * 0.5108, and the other way round 0.3681.
     */
    public static double klDivergence(double[] p, double[] q) {
        if (p.length != q.length) throw new IllegalArgumentException("klDivergence: p has " + p.length + " entries, q has " + q.length);
        double sp = 0, sq = 0, kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || !(q[i] >= 0)) throw new IllegalArgumentException("klDivergence: probabilities must be >= 0, got p[" + i + "] = " + p[i] + ", q[" + i + "] = " + q[i]);
            sp += p[i];
            sq += q[i];
            if (p[i] == 0) continue;
            kl += q[i] == 0 ? Double.POSITIVE_INFINITY : p[i] * Math.log(p[i] / q[i]);
        }
        if (Math.abs(sp - 1) > 1e-6 || Math.abs(sq - 1) > 1e-6)
            throw new IllegalArgumentException("klDivergence: p and q must each sum to 1, got " + sp + " and " + sq);
        return kl;
    }

    /** Cross-entropy with no ignored targets. */
    public static Tensor crossEntropy(Tensor logits, int[] targets) { return crossEntropy(logits, targets, Integer.MIN_VALUE); }

    /**
     * Mean cross-entropy of {@code logits} (…, V) against integer {@code targets} (one per row), fused with log-softmax. Q34.
     * <pre>
     *   loss = −(1/N) Σ_{rows r, t_r ≠ ignore} log softmax(x_r)[t_r]          N = number of rows not ignored
     *   dx_r += g/N · (softmax(x_r) − onehot(t_r))                            (0 for ignored rows)
     * </pre>
     * Uniform logits give {@code ln V}. If every row is ignored the loss is 0 with zero gradient (PyTorch gives NaN).
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        Tensor x = logits.contiguous();
        int v = cols(x), rows = v == 0 ? 0 : x.size / v;
        if (targets.length != rows)
            throw new IllegalArgumentException("crossEntropy: logits " + Shape.str(x.shape) + " have " + rows + " rows but " + targets.length + " targets were given");
        float[] lp = Buffers.dirty(x.size);
        Softmax.logSoftmaxForward(lp, 0, x.data, x.offset, rows, v);
        double sum = 0;
        int count = 0;
        for (int r = 0; r < rows; r++) {
            int tr = targets[r];
            if (tr == ignoreIndex) continue;
            if (tr < 0 || tr >= v) throw new IndexOutOfBoundsException("crossEntropy: target " + tr + " at row " + r + " out of range [0, " + v + ")");
            sum -= lp[r * v + tr];
            count++;
        }
        final int n = count;
        int[] tg = targets.clone();
        Tensor t = Tensor.fromOp("cross_entropy", new float[] {n == 0 ? 0f : (float) (sum / n)}, new int[0], x).alsoOwns(lp);
        return t.onBackward(g -> {
            if (n == 0) return;
            float[] gx = x.gradBuffer();
            float s = g[0] / n;
            // the log-softmax backward dx += dy − exp(lp)·Σdy with dy = −s·onehot(t) is exactly s·(softmax − onehot):
            // one vectorised kernel call per row instead of a scalar exp per logit (it matters at V = 8192, Q42)
            // rows are independent: the threads split them (each row computed whole, so the bits do not depend on the split)
            Kernels.parallelRange(rows, Math.max(1, (1 << 15) / Math.max(1, v)), (r0, r1) -> {
                float[] dy = new float[v];
                for (int r = r0; r < r1; r++) {
                    if (tg[r] == ignoreIndex) continue;
                    dy[tg[r]] = -s;
                    Softmax.logSoftmaxBackward(gx, r * v, lp, r * v, dy, 0, 1, v);
                    dy[tg[r]] = 0f;
                }
            });
        });
    }

    /**
     * Embedding lookup: rows of {@code weight} (V, D) for {@code ids}, shaped {@code (batchShape..., D)}. Q35.
     * Its gradient is sparse: only the rows whose ids occur receive any (see {@link Views#indexSelect}).
     */
    public static Tensor embedding(Tensor weight, int[] ids, int... batchShape) {
        if (weight.shape.length != 2) throw new IllegalArgumentException("embedding: weight must be (V, D), got " + Shape.str(weight.shape));
        int[] bs = batchShape.length == 0 ? new int[] {ids.length} : batchShape;
        if (Shape.numel(bs) != ids.length)
            throw new IllegalArgumentException("embedding: batch shape " + Shape.str(bs) + " holds " + Shape.numel(bs) + " ids, got " + ids.length);
        int[] s = java.util.Arrays.copyOf(bs, bs.length + 1);
        s[bs.length] = weight.shape[1];
        return weight.indexSelect(ids).reshape(s);
    }

    private static void checkVec(String op, String what, Tensor w, int c, Tensor x) {
        if (w.shape.length != 1 || w.shape[0] != c)
            throw new IllegalArgumentException(op + ": " + what + " " + Shape.str(w.shape) + " does not match input " + Shape.str(x.shape)
                    + ": expected (" + c + ",)");
    }

    /** The values of a 1-D tensor as an array starting at index 0 (the kernels take w at offset 0). */
    private static float[] dense(Tensor w) {
        return w.isContiguous() && w.offset == 0 && w.data.length == w.size ? w.data : w.toArray();
    }
}
