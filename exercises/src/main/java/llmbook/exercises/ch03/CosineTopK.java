package llmbook.exercises.ch03;

/**
 * Exercise ch03.cosine_topk — nearest neighbours of a word vector (Q5).
 *
 * <p>{@code cos(u, v) = u·v / (|u| |v|)}: 1 for the same direction, 0 for orthogonal, -1 for
 * opposite; the length of the vectors does not matter. Worked example:
 * <pre>
 * cosine([1, 0], [2, 0.1])  = 2 / (1 · 2.0025) = 0.9988
 * vectors = [[1,0], [2,0.1], [0,1], [-1,0]];  topK(vectors, 0, 2) = [1, 2]
 * </pre>
 * The library's version is {@code llmbook.embed.Neighbours}.
 */
public final class CosineTopK {
    private CosineTopK() {}

    /** Cosine similarity; 0 if either vector is all zeros; lengths must match (else IllegalArgumentException). */
    public static double cosine(float[] u, float[] v) {
        throw new UnsupportedOperationException("TODO ch03.cosine_topk: dot(u,v) / (|u| |v|), in double; 0 for a zero vector");
    }

    /**
     * Indices of the {@code k} rows most similar to row {@code query}, most similar first, the
     * query itself excluded; ties go to the smaller index. Fewer than k if there are fewer rows.
     */
    public static int[] topK(float[][] vectors, int query, int k) {
        throw new UnsupportedOperationException("TODO ch03.cosine_topk: score every other row by cosine, sort descending, keep k");
    }
}
