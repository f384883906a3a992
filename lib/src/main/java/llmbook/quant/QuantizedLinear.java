package llmbook.quant;

import java.util.Locale;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Tensor;

/**
 * A {@link Linear} whose weight is stored block-wise in 8 or 4 bits for inference (Q8_0 / Q4_0-style: one absmax per
 * block of B weights, one signed code per weight): {@code y = x·Ŵᵀ + b}. Q50.
 * <pre>
 *   INT8: 8 bits + 32/B bits of scale per weight (8.5 at B = 64)      INT4: 4 + 32/B (4.5 at B = 64)
 * </pre>
 * Ŵ is decoded a tile at a time inside {@link llmbook.kernels.QuantMatMul}, never whole. The bias stays fp32. Nothing
 * here trains: Ŵ is not a parameter (gradients still flow through it to x, as in QLoRA).
 */
public final class QuantizedLinear extends Module implements Layer {
    public final QuantizedTensor weight;   // (out, in)
    public final Tensor bias;              // (out,) or null, frozen
    public final int in, out;

    public QuantizedLinear(Linear lin, QuantType type, int blockSize) {
        if (type == QuantType.NF4) throw new IllegalArgumentException("QuantizedLinear: use INT8 or INT4 (NF4 is QLoRA's, see QLoraLinear)");
        in = lin.in;
        out = lin.out;
        weight = QuantizedTensor.quantize(lin.weight, type, blockSize, false);
        bias = lin.bias == null ? null : param("bias", lin.bias).requiresGrad(false);
    }

    @Override
    public Tensor forward(Tensor x) {                                 // (..., in) -> (..., out)
        Tensor y = weight.linear(x);
        return bias == null ? y : y.add(bias);
    }

    /** Bytes held: codes, fp32 scales, fp32 bias. */
    public long bytes() { return weight.bytes() + 4L * (bias == null ? 0 : out); }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "QuantizedLinear(%d → %d, %s, blocks of %d, %.2f bits/weight)", in, out, weight.type, weight.blockSize,
                weight.bitsPerParameter());
    }
}
