package llmbook.exercises.ch08;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Solution of ch08.bm25 (see the starter for the exercise). Q23. */
public final class Bm25Score {
    private Bm25Score() {}

    public static final double K1 = 1.2, B = 0.75;

    public static double idf(int N, int n) {
        return Math.log(1 + (N - n + 0.5) / (n + 0.5));
    }

    public static double score(List<String> query, List<String> doc, Map<String, Integer> docFreq, int N, double avgdl) {
        Map<String, Integer> tf = new HashMap<>();
        for (String t : doc) tf.merge(t, 1, Integer::sum);
        double s = 0;
        for (String q : query) {
            int f = tf.getOrDefault(q, 0);
            if (f == 0) continue;
            s += idf(N, docFreq.getOrDefault(q, 0)) * f / (f + K1 * (1 - B + B * doc.size() / avgdl));
        }
        return s;
    }
}
