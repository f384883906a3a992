package llmbook.exercises.ch06;

/**
 * Reference solution. Exercise ch06.param_count — how many numbers make a GPT (Q12).
 *
 * <p>A "large" language model is first of all large in parameters. Count them for the book's GPT family from its
 * shape alone: vocabulary V, context T (a learned position table), L blocks of width C. Each block has two LayerNorms
 * (a scale and a shift each), a causal self-attention (query, key, value and output projections, C×C with biases) and
 * an MLP that widens to 4C and comes back (with biases); after the blocks a final LayerNorm; the output layer reuses
 * the token embedding (tied), so it adds nothing; untied it adds its own V×C matrix (no bias).
 * The grader checks your count against the library's models ({@code TransformerConfig.gpt2}, counted tensor by tensor).
 *
 * <p>Worked example: V = 10, T = 4, L = 1, C = 2, tied: 106 parameters (20 + 8 embeddings, 74 in the block, 4 in the
 * final norm). GPT-2 small (V = 50257, T = 1024, L = 12, C = 768) has about 124 M.
 * Run {@code ./llmbook grade 6} to see your score.
 */
public final class ParamCount {
    private ParamCount() {}

    /** Parameters of the GPT of that shape, with the output layer tied to the token embedding or not. */
    public static long gpt(long vocab, long context, long layers, long width, boolean tied) {
        long c = width;
        long block = 2 * (2 * c) + 4 * c * c + 8 * c * c;   // classic bug: weights only
        return vocab * c + context * c + layers * block + 2 * c + (tied ? 0 : vocab * c);
    }
}
