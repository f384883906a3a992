package llmbook.peft;

import llmbook.nn.Dropout;
import llmbook.nn.Init;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * LoRA (Hu et al., 2021): a frozen linear layer plus a trainable low-rank update. Q13, Q17.
 * <pre>
 *   y = x·Wᵀ + b + (α/r) · drop(x)·Aᵀ·Bᵀ          W (out, in) and b frozen;  A (r, in), B (out, r) trained
 *   ΔW = (α/r) · B·A                               rank ≤ r: r·(in + out) numbers instead of in·out
 * </pre>
 * A is Kaiming-uniform (PyTorch's {@code kaiming_uniform_(a=√5)} on (r, in) is U(−1/√in, 1/√in)) and B is zero, so
 * ΔW = 0 and the wrapped model's first forward equals the base model's, bit for bit; B gets a gradient at once
 * ({@code dB = (α/r)·dyᵀ·(x·Aᵀ)}), A only once B has moved. Dropout acts on the LoRA branch's input only.
 * The α/r factor keeps the update's size about the same when r changes, so one learning rate serves every rank.
 *
 * <p>{@link #merge} folds ΔW into W for inference (no extra cost per token: the adapted model is a plain linear layer
 * again); {@link #unmerge} takes it back out (equal to the original W up to float rounding, ≲ 1e-7 relative).
 *
 * <p>Parameters keep the wrapped layer's names ({@code weight}, {@code bias}) so a base checkpoint's paths still
 * fit; the adapter is {@code lora_A}, {@code lora_B}. {@link Lora#apply} wraps layers by path pattern.
 */
public final class LoraLinear extends Module implements Layer {
    public final Tensor weight;   // (out, in), frozen: the wrapped Linear's own tensor
    public final Tensor bias;     // (out,) or null, frozen
    public final Tensor loraA;    // (r, in)
    public final Tensor loraB;    // (out, r)
    public final int in, out, rank;
    public final float alpha, scale;
    private boolean merged;

    /** Wraps {@code base} (its weight and bias are shared, not copied, and frozen) with rank {@code r}, scale α/r, LoRA dropout {@code p}. */
    public LoraLinear(Linear base, int r, float alpha, float dropout, Rng rng) {
        checkRank("LoraLinear", r, base.in, base.out);
        in = base.in;
        out = base.out;
        rank = r;
        this.alpha = alpha;
        scale = alpha / r;
        weight = param("weight", base.weight).requiresGrad(false);
        bias = base.bias == null ? null : param("bias", base.bias).requiresGrad(false);
        loraA = param("lora_A", Init.fanInUniform(rng, in, r, in));
        loraB = param("lora_B", Tensor.zeros(out, r));
        module("lora_dropout", new Dropout(dropout, rng));
    }

    /** No LoRA dropout. */
    public LoraLinear(Linear base, int r, float alpha, Rng rng) { this(base, r, alpha, 0f, rng); }

    static void checkRank(String who, int r, int in, int out) {
        if (r < 1 || r > Math.min(in, out))
            throw new IllegalArgumentException(who + ": rank must be in [1, min(in, out) = " + Math.min(in, out) + "], got " + r);
    }

    @Override
    public Tensor forward(Tensor x) {                                          // (..., in) -> (..., out)
        Tensor y = LinAlg.linear(x, weight, bias);
        return merged ? y : y.add(branch(this.<Layer>child("lora_dropout").forward(x), loraA, loraB, scale));
    }

    /** The LoRA branch {@code (α/r)·x·Aᵀ·Bᵀ}: two thin matmuls, never the (out, in) product B·A. */
    static Tensor branch(Tensor x, Tensor a, Tensor b, float scale) {
        return LinAlg.linear(LinAlg.linear(x, a, null), b, null).mul(scale);    // (..., r) then (..., out)
    }

    /** ΔW = (α/r)·B·A as a fresh (out, in) array. */
    public float[] delta() { return delta(loraA.data(), loraB.data(), in, out, rank, scale); }

    static float[] delta(float[] a, float[] b, int in, int out, int r, float scale) {
        float[] d = new float[out * in];
        for (int o = 0; o < out; o++)
            for (int k = 0; k < r; k++) {
                float bk = scale * b[o * r + k];
                if (bk == 0f) continue;
                for (int i = 0; i < in; i++) d[o * in + i] += bk * a[k * in + i];
            }
        return d;
    }

    /** W += ΔW; the forward is then one plain linear layer. Refuses to merge twice. */
    public LoraLinear merge() {
        if (merged) throw new IllegalStateException("LoraLinear: already merged");
        addDelta(+1f);
        merged = true;
        return this;
    }

    /** W −= ΔW: back to the frozen base weight (up to float rounding) and the two-branch forward. */
    public LoraLinear unmerge() {
        if (!merged) throw new IllegalStateException("LoraLinear: not merged");
        addDelta(-1f);
        merged = false;
        return this;
    }

    public boolean isMerged() { return merged; }

    private void addDelta(float sign) {
        float[] d = delta(), w = weight.data();
        int off = weight.offset();
        for (int i = 0; i < d.length; i++) w[off + i] += sign * d[i];
    }

    /** Scalars in the adapter: r·(in + out). */
    public long adapterParameters() { return (long) rank * (in + out); }

    @Override
    public String toString() { return "LoraLinear(" + in + " → " + out + ", r=" + rank + ", α=" + alpha + (merged ? ", merged" : "") + ")"; }
}
