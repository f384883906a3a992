package llmbook.exercises.ch08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.retrieval.Bm25;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch08.bm25", title = "BM25 scoring")
class Bm25ScoreTest {
    static final List<List<String>> DOCS = List.of(List.of("cat", "cat", "dog"), List.of("dog"), List.of("fish", "fish", "fish", "fish", "cat"));
    static final Map<String, Integer> DF = Map.of("cat", 2, "dog", 2, "fish", 1);

    @Test
    @Points(value = 1, hint = "idf = ln(1 + (N − n + 0.5)/(n + 0.5)): N = 3, n = 2 gives ln 1.6 = 0.4700; it stays positive even when n = N")
    void idf() {
        assertEquals(Math.log(1.6), Bm25Score.idf(3, 2), 1e-12);
        assertTrue(Bm25Score.idf(100, 100) > 0, "a term in every document still has a (small) positive idf in this form");
        assertTrue(Bm25Score.idf(100, 1) > Bm25Score.idf(100, 50), "rarer terms weigh more");
    }

    @Test
    @Points(value = 2, hint = "the worked example: 'cat' in [cat cat dog] scores 0.4700 · 2 / (2 + 1.2) = 0.2938")
    void workedExample() {
        assertEquals(Math.log(1.6) * 2 / (2 + 1.2), Bm25Score.score(List.of("cat"), DOCS.get(0), DF, 3, 3.0), 1e-9);
        assertEquals(0.0, Bm25Score.score(List.of("whale"), DOCS.get(0), DF, 3, 3.0), 1e-12, "a term the document lacks adds nothing");
    }

    @Test
    @Points(value = 1, hint = "length normalisation: the denominator is f + k1 · (1 − b + b · |d|/avgdl); a 5-token document among avgdl 3 is discounted")
    void lengthNormalisation() {
        assertEquals(Math.log(1.6) * 1 / (1 + 1.2 * (0.25 + 0.75 * 5 / 3.0)), Bm25Score.score(List.of("cat"), DOCS.get(2), DF, 3, 3.0), 1e-9);
    }

    @Test
    @Points(value = 1, hint = "a term repeated in the query counts each time it appears")
    void repeatedQueryTerm() {
        double once = Bm25Score.score(List.of("dog"), DOCS.get(1), DF, 3, 3.0);
        assertEquals(2 * once, Bm25Score.score(List.of("dog", "dog"), DOCS.get(1), DF, 3, 3.0), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "on random collections every score must equal the library's Bm25 (llmbook.retrieval) to 1e-5")
    void matchesTheLibraryOnRandomCollections() {
        Random r = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            List<List<String>> docs = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                List<String> doc = new ArrayList<>();
                for (int i = 0, n = 1 + r.nextInt(20); i < n; i++) doc.add("w" + r.nextInt(15));
                docs.add(doc);
            }
            Map<String, Integer> df = new HashMap<>();
            long total = 0;
            for (List<String> d : docs) { total += d.size(); for (String t : new HashSet<>(d)) df.merge(t, 1, Integer::sum); }
            Bm25 lib = new Bm25(docs);
            List<String> q = List.of("w" + r.nextInt(15), "w" + r.nextInt(15), "w" + r.nextInt(15));
            for (int d = 0; d < docs.size(); d++)
                assertEquals(lib.score(q, d), Bm25Score.score(q, docs.get(d), df, docs.size(), (double) total / docs.size()), 1e-5,
                        "document " + d + " for " + q);
        }
    }
}
