package llmbook.model.gpt;

/**
 * The shape of a GPT: a decoder-only transformer with learned positions, pre-LayerNorm blocks,
 * a GELU MLP four times as wide, and output weights tied to the token embedding. Q12.
 *
 * @param vocab   tokens in the vocabulary, V
 * @param context longest sequence the model accepts, T (its learned positions)
 * @param layers  transformer blocks, L
 * @param heads   attention heads per block, H (must divide the width)
 * @param width   model width, C (each head is C / H wide)
 * @param dropout dropout after attention, after the MLP and on the embeddings (0 = off)
 */
public record GptConfig(int vocab, int context, int layers, int heads, int width, float dropout) {
    public GptConfig {
        if (vocab < 1) throw new IllegalArgumentException("GptConfig: vocab must be >= 1, got " + vocab);
        if (context < 1) throw new IllegalArgumentException("GptConfig: context must be >= 1, got " + context);
        if (layers < 1) throw new IllegalArgumentException("GptConfig: layers must be >= 1, got " + layers);
        if (heads < 1 || width < 1 || width % heads != 0)
            throw new IllegalArgumentException("GptConfig: heads (" + heads + ") must divide width (" + width + ")");
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("GptConfig: dropout must be in [0, 1), got " + dropout);
    }

    /** The book's reference model: 4 layers, 4 heads, width 128, context 128, no dropout. */
    public static GptConfig reference(int vocab) {
        return new GptConfig(vocab, 128, 4, 4, 128, 0f);
    }

    /**
     * Parameters by formula: token and position embeddings {@code (V + T)·C}; per block two LayerNorms
     * {@code 4C}, attention {@code 3C² + 3C} (q, k, v) and {@code C² + C} (output), MLP {@code 4C² + 4C}
     * and {@code 4C² + C}, i.e. {@code 12C² + 13C}; the final LayerNorm {@code 2C}. The output layer
     * reuses the token embedding, so it adds nothing.
     */
    public long parameterCount() {
        long c = width;
        return (long) (vocab + context) * c + layers * (12 * c * c + 13 * c) + 2 * c;
    }

    /**
     * Refuses a batch this model cannot take: {@code ids} must hold {@code B·T} ids, each in {@code [0, vocab)},
     * and {@code T} must fit the context. {@code model} names the caller in the message.
     */
    public void checkIds(String model, int[] ids, int B, int T) {
        if (T > context)
            throw new IllegalArgumentException(model + ": cannot forward a sequence of length " + T + ", the context is only " + context);
        if (ids.length != B * T) throw new IllegalArgumentException(model + ": " + ids.length + " ids for a (" + B + ", " + T + ") batch");
        for (int id : ids)
            if (id < 0 || id >= vocab)
                throw new IllegalArgumentException(model + ": token id " + id + " outside the vocabulary [0, " + vocab + ")");
    }

    @Override
    public String toString() {
        return String.format("GPT(vocab=%d, context=%d, layers=%d, heads=%d, width=%d, dropout=%.2f): %,d parameters",
                vocab, context, layers, heads, width, dropout, parameterCount());
    }
}
