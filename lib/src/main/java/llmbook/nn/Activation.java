package llmbook.nn;

import llmbook.tensor.Tensor;

/**
 * A parameter-free nonlinearity as a layer. Q39.
 * <ul>
 *   <li>ReLU {@code max(0, x)}: derivative 1 for x > 0, 0 for x < 0 (we use 0 at x = 0). A unit whose input is
 *       negative for every example gets no gradient at all — a "dead" ReLU.</li>
 *   <li>GELU {@code x·Φ(x)} (exact, erf) or its tanh approximation (GPT-2): smooth, small negative outputs.</li>
 *   <li>SiLU {@code x·σ(x)} (LLaMA's SwiGLU uses it).</li>
 *   <li>Tanh.</li>
 * </ul>
 */
public final class Activation extends Module implements Layer {
    public enum Kind { RELU, GELU, GELU_ERF, SILU, TANH }

    public final Kind kind;

    public Activation(Kind kind) { this.kind = kind; }

    @Override
    public Tensor forward(Tensor x) {
        return switch (kind) {
            case RELU -> x.relu();
            case GELU -> x.gelu();
            case GELU_ERF -> x.geluErf();
            case SILU -> x.silu();
            case TANH -> x.tanh();
        };
    }

    @Override
    public String toString() { return "Activation(" + kind + ")"; }
}
