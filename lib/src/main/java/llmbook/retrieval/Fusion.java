package llmbook.retrieval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hybrid retrieval by reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each ranked list votes
 * {@code 1 / (k + rank)} for each document it returns (rank from 1), and documents are re-ranked by the sum. Only
 * ranks are used, so a BM25 score (unbounded) and a cosine (in [−1, 1]) need no common scale; k = 60 damps the
 * difference between rank 1 and rank 2 so that a document both lists like beats one only a single list loves.
 * Example, k = 60: A ranks d1, d2 and B ranks d2, d3 → d2 = 1/62 + 1/61 = 0.0325 first, then d1 = 1/61, then d3 = 1/62. Q23.
 */
public final class Fusion {
    private Fusion() {}

    /** The constant of the original paper. */
    public static final int K = 60;

    /** The fused ranking of {@code lists} (each best first), {@code top} long; ties broken by the smaller document index. */
    @SafeVarargs
    public static List<Bm25.Hit> rrf(int k, int top, List<Bm25.Hit>... lists) {
        if (k < 0) throw new IllegalArgumentException("Fusion.rrf: k must be >= 0, got " + k);
        Map<Integer, Double> score = new HashMap<>();
        for (List<Bm25.Hit> list : lists)
            for (int r = 0; r < list.size(); r++) score.merge(list.get(r).doc(), 1.0 / (k + r + 1), Double::sum);
        List<Map.Entry<Integer, Double>> e = new ArrayList<>(score.entrySet());
        e.sort((a, b) -> !a.getValue().equals(b.getValue()) ? Double.compare(b.getValue(), a.getValue()) : Integer.compare(a.getKey(), b.getKey()));
        List<Bm25.Hit> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, e.size()); i++) out.add(new Bm25.Hit(e.get(i).getKey(), (float) (double) e.get(i).getValue()));
        return out;
    }
}
