package llmbook.peft;

import llmbook.nn.Dropout;
import llmbook.nn.Init;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.quant.QuantizedTensor;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * QLoRA (Dettmers et al., 2023): LoRA on a base weight stored in 4 bits. Q17.
 * <pre>
 *   y = x·Ŵᵀ + b + (α/r) · drop(x)·Aᵀ·Bᵀ          Ŵ: NF4, blocks of 64, double-quantised scales (≈ 4.127 bits/weight)
 * </pre>
 * Ŵ is not a parameter — it is a frozen {@link QuantizedTensor}, multiplied without ever being decoded to a full
 * fp32 matrix; gradients flow through it to x (the layers below still learn through their own adapters) and into
 * A and B only. The bias stays fp32 and frozen. Initialisation as {@link LoraLinear} (B = 0), so the first forward
 * equals the quantised base model's — not the fp32 base's: the 4-bit rounding is the price of the memory saved.
 */
public final class QLoraLinear extends Module implements Layer {
    public final QuantizedTensor base;   // (out, in), 4-bit
    public final Tensor bias;            // (out,) or null, frozen
    public final Tensor loraA;           // (r, in)
    public final Tensor loraB;           // (out, r)
    public final int in, out, rank;
    public final float alpha, scale;

    /** Quantises {@code lin}'s weight with {@code q} (e.g. {@link QuantizedTensor#nf4}) and adds an adapter of rank {@code r}. */
    public QLoraLinear(Linear lin, QuantizedTensor q, int r, float alpha, float dropout, Rng rng) {
        LoraLinear.checkRank("QLoraLinear", r, lin.in, lin.out);
        if (!java.util.Arrays.equals(q.shape(), lin.weight.shape()))
            throw new IllegalArgumentException("QLoraLinear: quantised weight " + java.util.Arrays.toString(q.shape()) + " for a Linear of weight "
                    + java.util.Arrays.toString(lin.weight.shape()));
        in = lin.in;
        out = lin.out;
        rank = r;
        this.alpha = alpha;
        scale = alpha / r;
        base = q;
        bias = lin.bias == null ? null : param("bias", lin.bias).requiresGrad(false);
        loraA = param("lora_A", Init.fanInUniform(rng, in, r, in));
        loraB = param("lora_B", Tensor.zeros(out, r));
        module("lora_dropout", new Dropout(dropout, rng));
    }

    /** QLoRA's defaults: NF4 with blocks of 64 and double quantisation, no LoRA dropout. */
    public QLoraLinear(Linear lin, int r, float alpha, Rng rng) { this(lin, QuantizedTensor.nf4(lin.weight), r, alpha, 0f, rng); }

    @Override
    public Tensor forward(Tensor x) {                                           // (..., in) -> (..., out)
        Tensor y = base.linear(x);
        if (bias != null) y = y.add(bias);
        return y.add(LoraLinear.branch(this.<Layer>child("lora_dropout").forward(x), loraA, loraB, scale));
    }

    /** Bytes held: the 4-bit base, the fp32 bias, the fp32 adapter. */
    public long bytes() { return base.bytes() + 4L * (bias == null ? 0 : out) + 4L * rank * (in + out); }

    @Override
    public String toString() { return "QLoraLinear(" + in + " → " + out + ", r=" + rank + ", α=" + alpha + ", " + base + ")"; }
}
