package llmbook.model.transformer;

import java.util.Locale;

/**
 * The shape of a transformer, one immutable record for the three architectures of chapter 5. Q4, Q8, Q10, Q11.
 *
 * <pre>{@code
 * var cfg = TransformerConfig.small(Arch.SEQ2SEQ, 16, 40);                // 2 + 2 layers, width 64, sinusoidal
 * var noPos = cfg.withPositions(Positions.NONE);                          // every other field kept
 * System.out.println(cfg);                                                // prints the fields and the parameter count
 * }</pre>
 *
 * @param arch       {@link Arch#ENCODER} (bidirectional, BERT-like), {@link Arch#DECODER} (causal, GPT-like) or
 *                   {@link Arch#SEQ2SEQ} (encoder + decoder with cross-attention, as in the original Transformer)
 * @param vocab      tokens V (shared by source and target; the output layer reuses the token embedding)
 * @param context    longest sequence accepted, T (also the size of a learned position table)
 * @param layers     blocks L (for SEQ2SEQ: L encoder blocks and L decoder blocks)
 * @param heads      attention heads H; must divide the width
 * @param width      model width C
 * @param hidden     inner width of the feed-forward network (usually 4C; SwiGLU often uses 8C/3)
 * @param positions  how order enters the model (Q8)
 * @param norm       LayerNorm or RMSNorm (Q10)
 * @param ffn        GELU / ReLU MLP, or SwiGLU
 * @param dropout    dropout on embeddings and on each sub-layer's output (0 = off)
 * @param residual   {@code x + f(norm(x))} if true, {@code f(norm(x))} if false (only to study Q10)
 * @param normalize  norms before each sub-layer and at the end if true, none if false (only to study Q10)
 */
public record TransformerConfig(Arch arch, int vocab, int context, int layers, int heads, int width, int hidden,
                                Positions positions, Norm norm, Ffn ffn, float dropout, boolean residual, boolean normalize) {

    public enum Arch { ENCODER, DECODER, SEQ2SEQ }

    /** Q8: sinusoidal table added to the embeddings, learned table added, RoPE rotation of q and k, or nothing. */
    public enum Positions { SINUSOIDAL, LEARNED, ROPE, NONE }

    public enum Norm { LAYER_NORM, RMS_NORM }

    /** {@code W₂·act(W₁x + b₁) + b₂} with GELU or ReLU; SwiGLU {@code W₂·(silu(W₁x) ⊙ W₃x)} without biases. */
    public enum Ffn { GELU, RELU, SWIGLU }

    public TransformerConfig {
        if (arch == null || positions == null || norm == null || ffn == null)
            throw new IllegalArgumentException("TransformerConfig: arch, positions, norm and ffn must not be null");
        if (vocab < 1) throw new IllegalArgumentException("TransformerConfig: vocab must be >= 1, got " + vocab);
        if (context < 1) throw new IllegalArgumentException("TransformerConfig: context must be >= 1, got " + context);
        if (layers < 0) throw new IllegalArgumentException("TransformerConfig: layers must be >= 0, got " + layers);
        if (heads < 1 || width < 1 || width % heads != 0)
            throw new IllegalArgumentException("TransformerConfig: heads (" + heads + ") must divide width (" + width + ")");
        if (hidden < 1) throw new IllegalArgumentException("TransformerConfig: hidden must be >= 1, got " + hidden);
        if (positions == Positions.SINUSOIDAL && width % 2 != 0)
            throw new IllegalArgumentException("TransformerConfig: sinusoidal positions need an even width, got " + width);
        if (positions == Positions.ROPE && (width / heads) % 2 != 0)
            throw new IllegalArgumentException("TransformerConfig: RoPE needs an even head size, got width/heads = " + width / heads);
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("TransformerConfig: dropout must be in [0, 1), got " + dropout);
    }

    /** A small model: 2 layers, 4 heads, width 64, hidden 256, sinusoidal positions, LayerNorm, GELU, no dropout. */
    public static TransformerConfig small(Arch arch, int vocab, int context) {
        return new TransformerConfig(arch, vocab, context, 2, 4, 64, 256, Positions.SINUSOIDAL, Norm.LAYER_NORM, Ffn.GELU, 0f, true, true);
    }

    public TransformerConfig withArch(Arch a) { return new TransformerConfig(a, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, residual, normalize); }
    public TransformerConfig withLayers(int l) { return new TransformerConfig(arch, vocab, context, l, heads, width, hidden, positions, norm, ffn, dropout, residual, normalize); }
    public TransformerConfig withShape(int h, int c, int hid) { return new TransformerConfig(arch, vocab, context, layers, h, c, hid, positions, norm, ffn, dropout, residual, normalize); }
    public TransformerConfig withPositions(Positions p) { return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, p, norm, ffn, dropout, residual, normalize); }
    public TransformerConfig withNorm(Norm n) { return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, positions, n, ffn, dropout, residual, normalize); }
    public TransformerConfig withFfn(Ffn f) { return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, positions, norm, f, dropout, residual, normalize); }
    public TransformerConfig withDropout(float d) { return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, d, residual, normalize); }
    public TransformerConfig withResidual(boolean r) { return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, r, normalize); }
    public TransformerConfig withNormalize(boolean n) { return new TransformerConfig(arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout, residual, n); }

    /** Head size C/H. */
    public int headDim() { return width / heads; }

    /** Parameters of one norm: LayerNorm {@code 2C} (scale and shift), RMSNorm {@code C} (scale), none 0. */
    public long normParameters() { return !normalize ? 0 : norm == Norm.LAYER_NORM ? 2L * width : width; }

    /** One attention layer (self or cross): four C×C projections with biases, {@code 4C² + 4C}. */
    public long attentionParameters() { return 4L * width * width + 4L * width; }

    /** Feed-forward: {@code 2Ch + h + C} (two linears with biases) or SwiGLU {@code 3Ch} (three, no biases). */
    public long ffnParameters() { return ffn == Ffn.SWIGLU ? 3L * width * hidden : 2L * width * hidden + hidden + width; }

    /** A self-attention block: two norms, attention, feed-forward. */
    public long blockParameters() { return 2 * normParameters() + attentionParameters() + ffnParameters(); }

    /** A decoder block of a seq2seq model: three norms, self-attention, cross-attention, feed-forward. */
    public long crossBlockParameters() { return 3 * normParameters() + 2 * attentionParameters() + ffnParameters(); }

    /** Token embedding {@code V·C} (also the output layer) plus a learned position table {@code T·C} if any. */
    public long embeddingParameters() { return (long) vocab * width + (positions == Positions.LEARNED ? (long) context * width : 0); }

    /**
     * The formula, checked against the counted tensors in the tests:
     * <pre>
     *   ENCODER, DECODER:  V·C [+ T·C] + L·block + norm
     *   SEQ2SEQ:           V·C [+ T·C] + L·block + norm + L·crossBlock + norm      (embeddings shared)
     * </pre>
     */
    public long parameterCount() {
        long stack = embeddingParameters() + layers * blockParameters() + normParameters();
        return arch == Arch.SEQ2SEQ ? stack + layers * crossBlockParameters() + normParameters() : stack;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Transformer %s(vocab=%d, context=%d, layers=%d, heads=%d, width=%d, hidden=%d, positions=%s, norm=%s, ffn=%s, "
                        + "dropout=%.2f%s%s): %,d parameters", arch, vocab, context, layers, heads, width, hidden, positions, norm, ffn, dropout,
                residual ? "" : ", NO RESIDUAL", normalize ? "" : ", NO NORM", parameterCount());
    }
}
