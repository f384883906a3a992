package llmbook.exercises.ch05;

/**
 * Reference solution. Exercise ch05.attention_masks — what an encoder and a decoder may see (Q11).
 *
 * <p>An encoder (BERT) reads the whole sentence in both directions; a decoder (GPT) reads only the past, so it can be
 * trained to predict the next token. Both work on padded batches: a sequence of {@code length} real tokens padded to
 * T positions. Build the T×T table {@code allowed[i][j]}: may the query at position i use the key at position j?
 * Padding keys must never be used. Rows of padding queries are not graded (their outputs are thrown away), but a
 * real query must see at least itself.
 *
 * <p>Worked example, T = 3, length 2: the encoder's real rows are [yes, yes, no] and [yes, yes, no]; the decoder's are
 * [yes, no, no] and [yes, yes, no]. Run {@code ./llmbook grade 5} to see your score.
 */
public final class AttentionMasks {
    private AttentionMasks() {}

    /** allowed[i][j] for a decoder ({@code causal}) or an encoder, T positions of which the first {@code length} are real. */
    public static boolean[][] allowed(boolean causal, int t, int length) {
        boolean[][] a = new boolean[t][t];
        for (int i = 0; i < t; i++)
            for (int j = 0; j < t; j++) a[i][j] = i < length && (!causal || j <= i);   // classic bug: padding hides rows, not keys
        return a;
    }
}
