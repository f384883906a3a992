package llmbook.exercises.ch08;

import java.util.List;

/**
 * Exercise ch08.rrf — hybrid retrieval by reciprocal-rank fusion. Q23.
 *
 * <p>Several retrievers each return a ranking (document ids, best first). Fuse them: each list gives every document
 * it contains {@code 1 / (k + rank)} with rank counted from 1, the votes are summed over lists, and the documents are
 * returned by decreasing total (equal totals: smaller id first), at most {@code top} of them. Worked example, k = 60:
 * lists {@code [1, 2]} and {@code [2, 3]} → 2 gets 1/62 + 1/61, 1 gets 1/61, 3 gets 1/62 → {@code [2, 1, 3]}.
 * Run {@code ./llmbook grade 8} to see your score.
 */
public final class Rrf {
    private Rrf() {}

    public static List<Integer> fuse(List<List<Integer>> rankings, int k, int top) {
        throw new UnsupportedOperationException("TODO ch08.rrf: sum 1/(k + rank) per document over the lists, sort, keep top");
    }
}
