package llmbook.exercises.ch08;

import java.util.List;
import java.util.Map;

/**
 * Exercise ch08.bm25 — score one document with Okapi BM25, as search engines rank. Q23.
 *
 * <p>A query's terms each add a contribution: rarer terms weigh more (idf), a term repeated in the document counts
 * more but with diminishing returns (k₁), and a long document's counts are discounted (b). Use the Lucene form: the
 * idf {@code ln(1 + (N − n + 0.5)/(n + 0.5))} (never negative) and no {@code (k₁ + 1)} factor in the numerator. A term
 * repeated in the query adds its contribution each time. Worked example, k₁ = 1.2, b = 0.75: three documents
 * {@code [cat cat dog] [dog] [fish fish fish fish cat]} (N = 3, avgdl = 3): "cat" is in n = 2 of them, so
 * idf = ln 1.6 = 0.4700; the first document (f = 2, |d| = 3) scores 0.4700 · 2 / (2 + 1.2) = 0.2938 for "cat".
 * Run {@code ./llmbook grade 8} to see your score.
 */
public final class Bm25Score {
    private Bm25Score() {}

    public static final double K1 = 1.2, B = 0.75;

    /** idf of a term found in {@code n} of {@code N} documents. */
    public static double idf(int N, int n) {
        throw new UnsupportedOperationException("TODO ch08.bm25: ln(1 + (N − n + 0.5) / (n + 0.5))");
    }

    /**
     * The BM25 score of {@code doc} for {@code query}, in a collection of {@code N} documents of mean length
     * {@code avgdl} where {@code docFreq.get(t)} documents contain term t (absent: 0).
     */
    public static double score(List<String> query, List<String> doc, Map<String, Integer> docFreq, int N, double avgdl) {
        throw new UnsupportedOperationException("TODO ch08.bm25: Σ over query terms of idf · f / (f + k1 · (1 − b + b · |d| / avgdl))");
    }
}
