package llmbook.moe;

import llmbook.model.transformer.TransformerConfig;

/**
 * The shape and the training knobs of a mixture-of-experts layer. Q46.
 *
 * @param width          model width C (input and output of every expert)
 * @param hidden         inner width h of each expert's MLP
 * @param ffn            the experts' MLP kind (GELU, ReLU, SwiGLU)
 * @param bias           biases in the experts' linears
 * @param experts        E, the number of experts
 * @param topK           k, experts per token: 1 = Switch Transformer, 2 = GShard / Mixtral
 * @param capacityFactor each expert takes at most {@code ceil(cf · N·k / E)} of a batch's N tokens; the rest are
 *                       dropped (their slot adds nothing, the block's residual carries them). 0 = no limit
 * @param balanceCoef    α of the Switch load-balancing loss {@code α·E·Σ fᵢ·Pᵢ} (0 = off)
 * @param zCoef          β of the router z-loss {@code β·mean(logsumexp(logits)²)} (0 = off)
 * @param noisy          Shazeer's noisy top-k: while training, add {@code N(0,1)·softplus(x·W_noise)} to the router logits
 * @param renormalize    gates of the k chosen experts divided by their sum (Mixtral); false: the raw probabilities (Switch)
 * @param sharedExpert   one more MLP every token goes through (DeepSeek-MoE's shared expert)
 */
public record MoeConfig(int width, int hidden, TransformerConfig.Ffn ffn, boolean bias, int experts, int topK, float capacityFactor,
                        float balanceCoef, float zCoef, boolean noisy, boolean renormalize, boolean sharedExpert) {
    public MoeConfig {
        if (width < 1 || hidden < 1) throw new IllegalArgumentException("MoeConfig: width and hidden must be >= 1, got " + width + ", " + hidden);
        if (experts < 1) throw new IllegalArgumentException("MoeConfig: experts must be >= 1, got " + experts);
        if (topK < 1 || topK > experts) throw new IllegalArgumentException("MoeConfig: topK must be in [1, " + experts + "], got " + topK);
        if (!(capacityFactor >= 0f)) throw new IllegalArgumentException("MoeConfig: capacityFactor must be >= 0 (0 = no limit), got " + capacityFactor);
        if (!(balanceCoef >= 0f) || !(zCoef >= 0f)) throw new IllegalArgumentException("MoeConfig: loss coefficients must be >= 0, got " + balanceCoef + ", " + zCoef);
        if (ffn == null) throw new IllegalArgumentException("MoeConfig: ffn must not be null");
    }

    /** Defaults: GELU experts with biases, no capacity limit, α = 0.01, β = 0.001, no noise, renormalised gates when k > 1. */
    public static MoeConfig of(int width, int hidden, int experts, int topK) {
        return new MoeConfig(width, hidden, TransformerConfig.Ffn.GELU, true, experts, topK, 0f, 0.01f, 0.001f, false, topK > 1, false);
    }

    /** The MoE layer a transformer config asks for ({@code cfg.experts() > 0}): its MLP's kind, widths and biases. */
    public static MoeConfig of(TransformerConfig cfg) {
        if (cfg.experts() < 1) throw new IllegalArgumentException("MoeConfig: the config has no experts (experts = " + cfg.experts() + ")");
        return new MoeConfig(cfg.width(), cfg.hidden(), cfg.ffn(), cfg.bias(), cfg.experts(), cfg.topK(), 0f, 0.01f, 0.001f, false, cfg.topK() > 1, false);
    }

    public MoeConfig withCapacityFactor(float cf) { return new MoeConfig(width, hidden, ffn, bias, experts, topK, cf, balanceCoef, zCoef, noisy, renormalize, sharedExpert); }
    public MoeConfig withBalanceCoef(float a) { return new MoeConfig(width, hidden, ffn, bias, experts, topK, capacityFactor, a, zCoef, noisy, renormalize, sharedExpert); }
    public MoeConfig withZCoef(float b) { return new MoeConfig(width, hidden, ffn, bias, experts, topK, capacityFactor, balanceCoef, b, noisy, renormalize, sharedExpert); }
    public MoeConfig withNoisy(boolean n) { return new MoeConfig(width, hidden, ffn, bias, experts, topK, capacityFactor, balanceCoef, zCoef, n, renormalize, sharedExpert); }
    public MoeConfig withRenormalize(boolean r) { return new MoeConfig(width, hidden, ffn, bias, experts, topK, capacityFactor, balanceCoef, zCoef, noisy, r, sharedExpert); }
    public MoeConfig withSharedExpert(boolean s) { return new MoeConfig(width, hidden, ffn, bias, experts, topK, capacityFactor, balanceCoef, zCoef, noisy, renormalize, s); }

    /** Parameters of one expert's MLP: {@code 2Ch} (+ {@code h + C}), SwiGLU {@code 3Ch} (+ {@code 2h + C}). */
    public long expertParameters() {
        long c = width, h = hidden;
        return ffn == TransformerConfig.Ffn.SWIGLU ? 3 * c * h + (bias ? 2 * h + c : 0) : 2 * c * h + (bias ? h + c : 0);
    }

    /** Every parameter of the layer: E experts, the router {@code C·E} (the noise projection {@code C·E}), the shared expert. */
    public long totalParameters() {
        return experts * expertParameters() + (long) width * experts * (noisy ? 2 : 1) + (sharedExpert ? expertParameters() : 0);
    }

    /** Parameters one token uses: k experts, the router, the shared expert. */
    public long activeParameters() {
        return topK * expertParameters() + (long) width * experts * (noisy ? 2 : 1) + (sharedExpert ? expertParameters() : 0);
    }
}
