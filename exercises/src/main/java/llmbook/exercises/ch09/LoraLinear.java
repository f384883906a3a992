package llmbook.exercises.ch09;

/**
 * Exercise ch09.lora_linear — a LoRA linear layer, forward and backward, on plain arrays. Q13.
 *
 * <p>All arrays are row-major. x (rows, in); W (out, in) frozen; A (r, in); B (out, r); s = α/r.
 * <pre>
 *   h = x·Aᵀ                       (rows, r)
 *   y = x·Wᵀ + s · h·Bᵀ            (rows, out)
 * </pre>
 * Backward, given dy = ∂L/∂y (rows, out): return {dx (rows, in), dA (r, in), dB (out, r)}.
 * <pre>
 *   dB = s · dyᵀ·h        dh = s · dy·B        dA = dhᵀ·x        dx = dy·W + dh·A
 * </pre>
 * W gets no gradient (it is frozen). With B = 0 the layer is exactly the base layer.
 * Run {@code ./llmbook grade 9} to see your score.
 */
public final class LoraLinear {
    private LoraLinear() {}

    public static float[] forward(float[] x, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        throw new UnsupportedOperationException("TODO ch09.lora_linear: y = x·Wᵀ + (α/r)·(x·Aᵀ)·Bᵀ");
    }

    public static float[][] backward(float[] x, float[] dy, int rows, float[] w, float[] a, float[] b, int in, int out, int r, float alpha) {
        throw new UnsupportedOperationException("TODO ch09.lora_linear: {dx, dA, dB} from the formulas above");
    }
}
