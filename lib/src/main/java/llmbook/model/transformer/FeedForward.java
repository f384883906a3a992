package llmbook.model.transformer;

import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The position-wise feed-forward network of a transformer block, applied to every token independently.
 * <pre>
 *   GELU / ReLU:  y = W₂·act(W₁x + b₁) + b₂                 W₁ (h, C), W₂ (C, h); GELU_ERF: exact x·Φ(x) (BERT)
 *   SwiGLU:       y = W₂·(silu(W₁x) ⊙ W₃x)                  W₁, W₃ (h, C), W₂ (C, h); LLaMA has no biases
 * </pre>
 * SwiGLU's gate {@code silu(W₁x)} multiplies a second linear view {@code W₃x} of the same input; with three matrices
 * instead of two, LLaMA shrinks h to about 8C/3 so the parameter count matches a 4C GELU MLP. The linears are read
 * through {@link #child} at every forward, so {@code model.replace("h.*.mlp.w1", ...)} takes effect. With GELU and a
 * plain {@link Linear} as W₂, the MLP runs as one op ({@link LinAlg#geluMlp}, or {@link LinAlg#linearOfGelu} from GELU
 * on when W₁ was replaced): the same numbers, with GELU done on each chunk of rows while it is in cache; a replaced W₂
 * (LoRA) runs on its own.
 */
public final class FeedForward extends Module implements Layer {
    public final TransformerConfig.Ffn kind;

    /** Chapter 5's MLP: biases except for SwiGLU, PyTorch's default initialisation. */
    public FeedForward(TransformerConfig.Ffn kind, int width, int hidden, Rng rng) { this(kind, width, hidden, kind != TransformerConfig.Ffn.SWIGLU, Float.NaN, Float.NaN, rng); }

    /** The MLP of a block of {@code cfg}: its widths, biases and initialisation. */
    public FeedForward(TransformerConfig cfg, Rng rng) {
        this(cfg.ffn(), cfg.width(), cfg.hidden(), cfg.bias(), Block.gpt2Std(cfg, false), Block.gpt2Std(cfg, true), rng);
    }

    /** {@code std}, {@code outStd}: N(0, σ) for W₁ (and W₃) and for W₂, drawn right after each linear is built; NaN keeps PyTorch's default. */
    private FeedForward(TransformerConfig.Ffn kind, int width, int hidden, boolean bias, float std, float outStd, Rng rng) {
        this.kind = kind;
        init(module("w1", new Linear(width, hidden, bias, rng)), rng, std);
        if (kind == TransformerConfig.Ffn.SWIGLU) init(module("w3", new Linear(width, hidden, bias, rng)), rng, std);
        init(module("w2", new Linear(hidden, width, bias, rng)), rng, outStd);
    }

    private static void init(Linear l, Rng rng, float std) { if (!Float.isNaN(std)) l.initNormal(rng, std); }

    @Override
    public Tensor forward(Tensor x) {                          // (..., C) -> (..., C)
        if (kind == TransformerConfig.Ffn.GELU && child("w1") instanceof Linear w1 && child("w2") instanceof Linear w2)
            return LinAlg.geluMlp(x, w1.weight, w1.bias, w2.weight, w2.bias);       // one op: see LinAlg.geluMlp
        Tensor a = this.<Layer>child("w1").forward(x);         // (..., h)
        if (kind == TransformerConfig.Ffn.GELU && child("w2") instanceof Linear w2)   // one op: see LinAlg.linearOfGelu
            return LinAlg.linearOfGelu(a, w2.weight, w2.bias);
        Tensor h = switch (kind) {
            case GELU -> a.gelu();
            case GELU_ERF -> a.geluErf();
            case RELU -> a.relu();
            case SWIGLU -> a.silu().mul(this.<Layer>child("w3").forward(x));   // gate ⊙ value
        };
        return this.<Layer>child("w2").forward(h);
    }
}
