package llmbook.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Okapi BM25, the lexical ranking function of search engines (Robertson and Zaragoza, 2009), over an inverted index.
 * A document d scores, for a query of terms q₁ … qₙ (a repeated term counts each time),
 * <pre>
 *   score(d) = Σᵢ idf(qᵢ) · f(qᵢ,d) / (f(qᵢ,d) + k₁ · (1 − b + b · |d| / avgdl))
 *   idf(q)   = ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5))
 * </pre>
 * with f the term's count in d, |d| the document's length in tokens, avgdl the mean length, N the number of documents
 * and n(q) how many contain q. The term-frequency part saturates (a tenth mention adds little: k₁), long documents are
 * discounted (b), and rare terms weigh more (idf, never negative in this form). This is Lucene's
 * {@code BM25Similarity} (which drops the constant factor k₁ + 1 of the textbook form; the ranking is the same), and a
 * test checks our top-10 against Lucene's. Q23.
 */
public final class Bm25 {
    /** The usual parameters: term-frequency saturation k₁ and length normalisation b. */
    public static final float K1 = 1.2f, B = 0.75f;

    /** One ranked document: its index in the collection and its score. */
    public record Hit(int doc, float score) {}

    private record Postings(int[] docs, int[] freqs) {}

    private final float k1, b;
    private final int[] length;
    private final float avgdl;
    private final Map<String, Postings> index = new HashMap<>();

    /** An index of {@code docs} (each a list of tokens, e.g. from {@link Terms#of}) with the usual k₁ and b. */
    public Bm25(List<List<String>> docs) { this(docs, K1, B); }

    public Bm25(List<List<String>> docs, float k1, float b) {
        if (docs.isEmpty()) throw new IllegalArgumentException("Bm25: no documents");
        if (!(k1 >= 0) || !(b >= 0 && b <= 1)) throw new IllegalArgumentException("Bm25: need k1 >= 0 and 0 <= b <= 1, got k1 " + k1 + ", b " + b);
        this.k1 = k1;
        this.b = b;
        length = new int[docs.size()];
        Map<String, List<int[]>> building = new HashMap<>();
        long total = 0;
        for (int d = 0; d < docs.size(); d++) {
            List<String> toks = docs.get(d);
            length[d] = toks.size();
            total += toks.size();
            Map<String, Integer> tf = new HashMap<>();
            for (String t : toks) tf.merge(t, 1, Integer::sum);
            for (var e : tf.entrySet()) building.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new int[]{d, e.getValue()});
        }
        if (total == 0) throw new IllegalArgumentException("Bm25: all " + docs.size() + " documents are empty");
        avgdl = (float) ((double) total / docs.size());
        for (var e : building.entrySet()) {
            List<int[]> p = e.getValue();
            int[] ds = new int[p.size()], fs = new int[p.size()];
            for (int i = 0; i < ds.length; i++) { ds[i] = p.get(i)[0]; fs[i] = p.get(i)[1]; }
            index.put(e.getKey(), new Postings(ds, fs));
        }
    }

    /** Number of documents N. */
    public int size() { return length.length; }

    /** Mean document length in tokens. */
    public float avgdl() { return avgdl; }

    /** How many documents contain {@code term}: n(q). */
    public int docFreq(String term) {
        Postings p = index.get(term);
        return p == null ? 0 : p.docs.length;
    }

    /** ln(1 + (N − n + 0.5) / (n + 0.5)). */
    public float idf(String term) {
        int n = docFreq(term);
        return (float) Math.log(1 + (size() - n + 0.5) / (n + 0.5));
    }

    /** One term's contribution to a document's score, given its count {@code freq} there and the document's length. */
    public float termScore(String term, int freq, int docLength) {
        if (freq == 0) return 0;
        return idf(term) * freq / (freq + k1 * (1 - b + b * docLength / avgdl));
    }

    /** The score of document {@code doc} for {@code query} (tokens): what {@link #search} ranks by. */
    public float score(List<String> query, int doc) {
        float s = 0;
        for (String q : query) {
            Postings p = index.get(q);
            if (p == null) continue;
            int i = Arrays.binarySearch(p.docs, doc);
            if (i >= 0) s += termScore(q, p.freqs[i], length[doc]);
        }
        return s;
    }

    /**
     * The {@code k} best documents for {@code query}, best first; equal scores in document order. Only documents
     * sharing a term with the query are ranked (the rest score 0), so fewer than k may come back.
     */
    public List<Hit> search(List<String> query, int k) {
        if (k < 1) throw new IllegalArgumentException("Bm25.search: k must be >= 1, got " + k);
        float[] acc = new float[size()];
        boolean[] seen = new boolean[size()];
        List<Integer> touched = new ArrayList<>();
        for (String q : query) {
            Postings p = index.get(q);
            if (p == null) continue;
            float idf = idf(q);
            for (int i = 0; i < p.docs.length; i++) {
                int d = p.docs[i], f = p.freqs[i];
                acc[d] += idf * f / (f + k1 * (1 - b + b * length[d] / avgdl));
                if (!seen[d]) { seen[d] = true; touched.add(d); }
            }
        }
        touched.sort((x, y) -> acc[x] != acc[y] ? Float.compare(acc[y], acc[x]) : Integer.compare(x, y));
        List<Hit> out = new ArrayList<>(Math.min(k, touched.size()));
        for (int i = 0; i < Math.min(k, touched.size()); i++) out.add(new Hit(touched.get(i), acc[touched.get(i)]));
        return out;
    }
}
