package llmbook.model.transformer;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The position-wise feed-forward network of a transformer block, applied to every token independently.
 * <pre>
 *   GELU / ReLU:  y = W₂·act(W₁x + b₁) + b₂                 W₁ (h, C), W₂ (C, h)
 *   SwiGLU:       y = W₂·(silu(W₁x) ⊙ W₃x)                  W₁, W₃ (h, C), W₂ (C, h), no biases (LLaMA)
 * </pre>
 * SwiGLU's gate {@code silu(W₁x)} multiplies a second linear view {@code W₃x} of the same input; with three matrices
 * instead of two, LLaMA shrinks h to about 8C/3 so the parameter count matches a 4C GELU MLP.
 */
public final class FeedForward extends Module implements Layer {
    public final TransformerConfig.Ffn kind;
    public final Linear w1;   // (h, C)
    public final Linear w2;   // (C, h)
    public final Linear w3;   // (h, C), SwiGLU only (else null)

    public FeedForward(TransformerConfig.Ffn kind, int width, int hidden, Rng rng) {
        this.kind = kind;
        boolean bias = kind != TransformerConfig.Ffn.SWIGLU;
        this.w1 = module("w1", new Linear(width, hidden, bias, rng));
        this.w3 = kind == TransformerConfig.Ffn.SWIGLU ? module("w3", new Linear(width, hidden, false, rng)) : null;
        this.w2 = module("w2", new Linear(hidden, width, bias, rng));
    }

    @Override
    public Tensor forward(Tensor x) {                          // (..., C) -> (..., C)
        Tensor a = w1.forward(x);                              // (..., h)
        Tensor h = switch (kind) {
            case GELU -> a.gelu();
            case RELU -> a.relu();
            case SWIGLU -> a.silu().mul(w3.forward(x));        // gate ⊙ value
        };
        return w2.forward(h);
    }
}
