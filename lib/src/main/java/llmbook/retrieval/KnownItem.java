package llmbook.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A known-item retrieval test built from passages alone: from {@code queries} passages chosen at random, one
 * sentence (of at least {@link #MIN_QUERY_WORDS} words, not the first) is taken out and becomes the query; the
 * passage, without that sentence, is the one right answer. The index holds every passage (the chosen ones without
 * their sentence), so a retriever must find the passage from what the rest of it says about the same thing. Q23.
 *
 * @param texts   the passages as indexed
 * @param queries the held-out sentences
 * @param answers for each query, the index of its passage in {@code texts}
 */
public record KnownItem(List<String> texts, List<String> queries, int[] answers) {
    public static final int MIN_QUERY_WORDS = 8;

    /** Builds the test from {@code passages} with {@code queries} queries drawn with {@code seed}. */
    public static KnownItem build(List<Passages.Passage> passages, int queries, long seed) {
        List<String> texts = new ArrayList<>();
        for (Passages.Passage p : passages) texts.add(p.text());
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) if (passages.get(i).sentences().size() >= 3) candidates.add(i);
        if (candidates.size() < queries)
            throw new IllegalArgumentException("KnownItem: " + queries + " queries asked, only " + candidates.size() + " passages have 3+ sentences");
        java.util.Collections.shuffle(candidates, new Random(seed));
        List<String> qs = new ArrayList<>();
        List<Integer> ans = new ArrayList<>();
        Random rng = new Random(seed + 1);
        for (int c : candidates) {
            if (qs.size() == queries) break;
            List<String> s = passages.get(c).sentences();
            List<Integer> ok = new ArrayList<>();
            for (int j = 1; j < s.size(); j++) if (s.get(j).split("\\s+").length >= MIN_QUERY_WORDS) ok.add(j);
            if (ok.isEmpty()) continue;
            int j = ok.get(rng.nextInt(ok.size()));
            List<String> rest = new ArrayList<>(s);
            qs.add(rest.remove(j));
            texts.set(c, String.join(" ", rest));
            ans.add(c);
        }
        if (qs.size() < queries) throw new IllegalArgumentException("KnownItem: only " + qs.size() + " passages have a sentence to hold out");
        return new KnownItem(List.copyOf(texts), List.copyOf(qs), ans.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The share of queries whose answer is among the first {@code k} of its ranking ({@code rankings.get(i)} for query i). */
    public double recall(List<List<Bm25.Hit>> rankings, int k) {
        if (rankings.size() != answers.length)
            throw new IllegalArgumentException("KnownItem.recall: " + rankings.size() + " rankings for " + answers.length + " queries");
        int hit = 0;
        for (int i = 0; i < answers.length; i++) {
            List<Bm25.Hit> r = rankings.get(i);
            for (int j = 0; j < Math.min(k, r.size()); j++) if (r.get(j).doc() == answers[i]) { hit++; break; }
        }
        return (double) hit / answers.length;
    }
}
