package llmbook.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import llmbook.data.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalTest {
    @Test
    void passageVectorsAreCachedByTheChecksumOfTheTexts(@TempDir Path dir) throws Exception {
        int[] embeds = {0};
        java.util.function.Function<List<String>, DenseIndex> fake = t -> {
            embeds[0]++;
            float[] v = new float[t.size() * 2];
            for (int i = 0; i < t.size(); i++) { v[2 * i] = t.get(i).length(); v[2 * i + 1] = 1; }
            return new DenseIndex(v, t.size(), 2);
        };
        Path cache = dir.resolve("p.vec");
        List<String> a = List.of("whales", "ships"), b = List.of("whale", "sships");     // same size, other texts
        Rag.cached(a, cache, fake);
        assertEquals(1, embeds[0]);
        Rag.cached(a, cache, fake);
        assertEquals(1, embeds[0], "the same texts are read from the cache");
        DenseIndex other = Rag.cached(b, cache, fake);
        assertEquals(2, embeds[0], "other texts of the same count are embedded again, not served stale vectors");
        assertEquals(other.cosine(new float[] {5, 1}, 0), Rag.cached(b, cache, fake).cosine(new float[] {5, 1}, 0), 1e-6);
        assertEquals(2, embeds[0]);
        assertTrue(!Rag.checksum(List.of("ab", "c")).equals(Rag.checksum(List.of("a", "bc"))));
    }

    @Test
    void termsLowercaseAndDropStopWords() {
        assertEquals(List.of("congress", "1790", "met"), Terms.of("The Congress, in 1790, met."));
    }

    /** Three documents worked by hand: N = 3, avgdl = 3. */
    @Test
    void bm25ByHand() {
        Bm25 bm = new Bm25(List.of(List.of("cat", "cat", "dog"), List.of("dog"), List.of("fish", "fish", "fish", "fish", "cat")));
        assertEquals(3f, bm.avgdl());
        float idfCat = (float) Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));           // ln 1.6
        assertEquals(idfCat, bm.idf("cat"), 1e-7);
        float doc0 = idfCat * 2 / (2 + 1.2f * (0.25f + 0.75f * 3 / 3f));
        float doc2 = idfCat * 1 / (1 + 1.2f * (0.25f + 0.75f * 5 / 3f));
        assertEquals(doc0, bm.score(List.of("cat"), 0), 1e-6);
        assertEquals(doc2, bm.score(List.of("cat"), 2), 1e-6);
        List<Bm25.Hit> hits = bm.search(List.of("cat"), 10);
        assertEquals(2, hits.size(), "the document without 'cat' is not ranked");
        assertEquals(0, hits.get(0).doc());
        assertEquals(2, hits.get(1).doc());
        assertEquals(0f, bm.score(List.of("whale"), 0));
        assertThrows(IllegalArgumentException.class, () -> new Bm25(List.of(List.of())));
    }

    @Test
    void rrfWorkedExample() {
        var a = List.of(new Bm25.Hit(1, 9f), new Bm25.Hit(2, 5f));
        var b = List.of(new Bm25.Hit(2, .9f), new Bm25.Hit(3, .1f));
        List<Bm25.Hit> f = Fusion.rrf(60, 10, a, b);
        assertArrayEquals(new int[]{2, 1, 3}, f.stream().mapToInt(Bm25.Hit::doc).toArray());
        assertEquals(1.0 / 62 + 1.0 / 61, f.get(0).score(), 1e-7);
    }

    @Test
    void denseSearchIsExhaustiveCosine(@TempDir Path tmp) throws Exception {
        int n = 37, d = 19;
        float[] v = new float[n * d];
        Random r = new Random(3);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        DenseIndex idx = new DenseIndex(v, n, d);
        float[] q = new float[d];
        for (int i = 0; i < d; i++) q[i] = (float) r.nextGaussian();
        List<Bm25.Hit> hits = idx.search(q, 5);
        double best = -2;
        int arg = -1;
        for (int i = 0; i < n; i++) {
            double dot = 0, nq = 0, nv = 0;
            for (int j = 0; j < d; j++) { dot += q[j] * v[i * d + j]; nq += q[j] * q[j]; nv += v[i * d + j] * v[i * d + j]; }
            double c = dot / Math.sqrt(nq * nv);
            if (c > best) { best = c; arg = i; }
        }
        assertEquals(arg, hits.get(0).doc());
        assertEquals(best, hits.get(0).score(), 1e-5);
        for (int i = 1; i < hits.size(); i++) assertTrue(hits.get(i - 1).score() >= hits.get(i).score());
        Path f = tmp.resolve("idx.bin");
        idx.save(f);
        assertEquals(hits, DenseIndex.load(f).search(q, 5));
        Files.write(f, new byte[]{0, 0, 0, 1});
        assertThrows(java.io.IOException.class, () -> DenseIndex.load(f));
        assertThrows(IllegalArgumentException.class, () -> idx.search(new float[d + 1], 3));
    }

    @Test
    void knownItemHoldsOutOneSentencePerQuery() {
        List<Corpus.Document> docs = List.of(new Corpus.Document("a", "", "One two three four five six seven eight. "
                + "Alpha beta gamma delta epsilon zeta eta theta. Red green blue cyan magenta yellow black white. "
                + "Apples pears plums cherries grapes figs dates limes."),
                new Corpus.Document("b", "", "Ships sail over the sea tonight. Whales swim under the quiet sea. Gulls fly above the waves."));
        List<Passages.Passage> ps = Passages.of(docs, 20);
        assertEquals(4, ps.get(0).sentences().size(), "a short tail joins the previous passage");
        assertEquals(2, ps.size());
        KnownItem k = KnownItem.build(ps, 1, 1);
        assertEquals(1, k.queries().size());
        String q = k.queries().get(0);
        assertTrue(!k.texts().get(k.answers()[0]).contains(q), "the query sentence is removed from its passage");
        assertEquals(1.0, k.recall(List.of(List.of(new Bm25.Hit(k.answers()[0], 1f))), 1));
        assertEquals(0.0, k.recall(List.of(List.of(new Bm25.Hit(1 - k.answers()[0], 1f))), 1));
    }
}
