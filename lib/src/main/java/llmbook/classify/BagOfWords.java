package llmbook.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import llmbook.tokenizer.WordTokenizer;

/**
 * Text to counts: the feature map of the classic text classifiers (Q28). A text is lower-cased and cut into words by
 * {@link WordTokenizer#WORDS} (numbers and symbols dropped, white space ignored); the vocabulary keeps the words seen
 * in at least {@code minDocs} training texts, the {@code maxVocab} most frequent ones (ties alphabetical), and a
 * word outside it is simply not counted. Order is lost: "dog bites man" and "man bites dog" are the same bag.
 * <pre>
 *   fit(["Win money now", "money money"], 1, 10)  →  vocabulary [money, now, win]
 *   counts("money, MONEY!")                         →  index [0], value [2]
 *   tfidf(x)  = (1 + ln tf) · idf, scaled to unit length,   idf(w) = ln((1 + N) / (1 + df(w))) + 1
 * </pre>
 * The idf is scikit-learn's smoothed one, so {@code TfidfVectorizer(sublinear_tf=True)} gives the same rows.
 */
public final class BagOfWords {
    private final String[] words;
    private final Map<String, Integer> ids = new HashMap<>();
    private final double[] idf;

    private BagOfWords(String[] words, double[] idf) {
        this.words = words;
        this.idf = idf;
        for (int i = 0; i < words.length; i++) ids.put(words[i], i);
    }

    /** The lower-cased words of {@code text}, in order (what is counted). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String p : WordTokenizer.split(text.toLowerCase(Locale.ROOT))) if (WordTokenizer.isWord(p)) out.add(p);
        return out;
    }

    /** A vocabulary from {@code texts}: words in at least {@code minDocs} texts, the {@code maxVocab} most frequent. */
    public static BagOfWords fit(List<String> texts, int minDocs, int maxVocab) {
        if (texts.isEmpty()) throw new IllegalArgumentException("BagOfWords.fit: no texts");
        if (minDocs < 1 || maxVocab < 1) throw new IllegalArgumentException("BagOfWords.fit: minDocs and maxVocab must be >= 1, got " + minDocs + ", " + maxVocab);
        Map<String, int[]> stats = new HashMap<>();                 // word → {count, documents}
        for (String t : texts) {
            Map<String, Integer> seen = new HashMap<>();
            for (String w : words(t)) seen.merge(w, 1, Integer::sum);
            seen.forEach((w, c) -> { int[] s = stats.computeIfAbsent(w, k -> new int[2]); s[0] += c; s[1]++; });
        }
        List<Map.Entry<String, int[]>> kept = new ArrayList<>();
        for (var e : stats.entrySet()) if (e.getValue()[1] >= minDocs) kept.add(e);
        kept.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
        kept = kept.subList(0, Math.min(maxVocab, kept.size()));
        kept.sort(Map.Entry.comparingByKey());
        String[] w = new String[kept.size()];
        double[] idf = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = kept.get(i).getKey();
            idf[i] = Math.log((1.0 + texts.size()) / (1.0 + kept.get(i).getValue()[1])) + 1;
        }
        return new BagOfWords(w, idf);
    }

    /** Vocabulary size: the width of every feature row. */
    public int size() { return words.length; }

    /** The word of column {@code i}. */
    public String word(int i) { return words[i]; }

    /** The column of {@code word}, or −1. */
    public int id(String word) { return ids.getOrDefault(word, -1); }

    /** Word counts of {@code text} over this vocabulary. */
    public Sparse counts(String text) {
        TreeMap<Integer, Double> c = new TreeMap<>();
        for (String w : words(text)) {
            Integer i = ids.get(w);
            if (i != null) c.merge(i, 1.0, Double::sum);
        }
        return new Sparse(c.keySet().stream().mapToInt(Integer::intValue).toArray(), c.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Sublinear TF-IDF of a count row, scaled to unit Euclidean length (see the class comment). */
    public Sparse tfidf(Sparse counts) {
        double[] v = new double[counts.size()];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (1 + Math.log(counts.value()[i])) * idf[counts.index()[i]];
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        if (norm > 0) for (int i = 0; i < v.length; i++) v[i] /= norm;
        return new Sparse(counts.index().clone(), v);
    }

    /** Counts of every text. */
    public List<Sparse> counts(List<String> texts) { return texts.stream().map(this::counts).toList(); }

    /** TF-IDF rows of every text. */
    public List<Sparse> tfidf(List<String> texts) { return texts.stream().map(t -> tfidf(counts(t))).toList(); }

    @Override public String toString() { return "BagOfWords(" + words.length + " words: " + String.join(", ", Arrays.copyOf(words, Math.min(5, words.length))) + ", …)"; }
}
