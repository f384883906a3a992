// HOSTILE FIXTURE for GradeTest: the solution, except that topK allocates 3 GB arrays until memory runs out.
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
        if (u.length != v.length) throw new IllegalArgumentException("lengths differ: " + u.length + " vs " + v.length);
        double dot = 0, nu = 0, nv = 0;
        for (int i = 0; i < u.length; i++) {
            dot += (double) u[i] * v[i];
            nu += (double) u[i] * u[i];
            nv += (double) v[i] * v[i];
        }
        return nu == 0 || nv == 0 ? 0 : dot / Math.sqrt(nu * nv);
    }

    /**
     * Indices of the {@code k} rows most similar to row {@code query}, most similar first, the
     * query itself excluded; ties go to the smaller index. Fewer than k if there are fewer rows.
     */
    public static int[] topK(float[][] vectors, int query, int k) {
        java.util.List<long[]> hoard = new java.util.ArrayList<>();
        while (hoard.size() < 100) hoard.add(new long[(int) (3_000_000_000L / 8)]);   // 3 GB at a time
        int n = vectors.length;
        Integer[] order = new Integer[n];
        double[] sim = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            sim[i] = cosine(vectors[query], vectors[i]);
        }
        java.util.Arrays.sort(order, (a, b) -> sim[a] != sim[b] ? Double.compare(sim[b], sim[a]) : Integer.compare(a, b));
        return java.util.Arrays.stream(order).filter(i -> i != query).limit(k).mapToInt(Integer::intValue).toArray();
    }
}
