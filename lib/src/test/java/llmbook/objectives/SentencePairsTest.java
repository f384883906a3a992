package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

/** NSP and SOP pair builders (Q27). Documents use disjoint id ranges so a sentence's document is its first id / 100. */
class SentencePairsTest {
    static final int CLS = 1000, SEP = 1001;
    static List<List<int[]>> docs() {
        return List.of(List.of(new int[] {100, 101}, new int[] {110}, new int[] {120, 121, 122}),
                List.of(new int[] {200}, new int[] {210, 211}),
                List.of(new int[] {300}, new int[] {310}, new int[] {320}, new int[] {330}));
    }

    @Test
    void layoutAndTypes() {
        SentencePairs sp = new SentencePairs(docs(), CLS, SEP, 9);
        SentencePairs.Pair p = sp.pair(new int[] {5, 6, 7, 8}, new int[] {9, 10, 11, 12}, 1);
        assertArrayEquals(new int[] {CLS, 6, 7, 8, SEP, 9, 10, 11, SEP}, p.ids(), "each side cut to (9 − 3) / 2 = 3: a keeps its end, b its start");
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1}, p.types());
    }

    static int[][] sides(SentencePairs.Pair p) {
        int s = 1;
        while (p.ids()[s] != SEP) s++;
        return new int[][] {java.util.Arrays.copyOfRange(p.ids(), 1, s), java.util.Arrays.copyOfRange(p.ids(), s + 1, p.ids().length - 1)};
    }

    @Test
    void nspNegativesComeFromAnotherDocument() {
        SentencePairs sp = new SentencePairs(docs(), CLS, SEP, 20);
        Rng rng = new Rng(3);
        int pos = 0;
        for (int i = 0; i < 2000; i++) {
            SentencePairs.Pair p = sp.next(SentencePairs.Task.NSP, rng);
            int[][] ab = sides(p);
            int da = ab[0][0] / 100, db = ab[1][0] / 100;
            if (p.label() == 1) { pos++; assertEquals(da, db); assertEquals(ab[0][0] / 10 % 10 + 1, ab[1][0] / 10 % 10, "b is the next sentence"); }
            else assertTrue(da != db, "an NSP negative is drawn from another document");
        }
        assertEquals(0.5, pos / 2000.0, 0.04);
    }

    @Test
    void negativesFromKeepsOnlyTheAllowedDocuments() {
        // document 0 of the list has one sentence and is dropped: the predicate still sees the list's own indices
        List<List<int[]>> docs = new java.util.ArrayList<>(List.of(List.of(new int[] {900})));
        docs.addAll(docs());
        SentencePairs sp = new SentencePairs(docs, CLS, SEP, 20).negativesFrom((d, e) -> e == 3 || (d == 3 && e == 2));
        Rng rng = new Rng(5);
        int neg = 0;
        for (int i = 0; i < 2000; i++) {
            SentencePairs.Pair p = sp.next(SentencePairs.Task.NSP, rng);
            if (p.label() == 1) continue;
            int[][] ab = sides(p);
            int da = ab[0][0] / 100, db = ab[1][0] / 100;                // the list index of each side's document
            assertEquals(da == 3 ? 2 : 3, db, "negative for document " + da);
            neg++;
        }
        assertTrue(neg > 100, "document 1 drew its negatives from document 3: " + neg);
        assertThrows(IllegalArgumentException.class, () -> new SentencePairs(docs(), CLS, SEP, 20).negativesFrom((d, e) -> false));
    }

    @Test
    void negativesFromEveryOtherDocumentDrawsExactlyAsBefore() {
        SentencePairs plain = new SentencePairs(docs(), CLS, SEP, 20), all = plain.negativesFrom((d, e) -> true);
        Rng r1 = new Rng(8), r2 = new Rng(8);
        for (int i = 0; i < 500; i++)
            assertArrayEquals(plain.next(SentencePairs.Task.NSP, r1).ids(), all.next(SentencePairs.Task.NSP, r2).ids());
    }

    @Test
    void bagOfWordsFeatures() {
        WordVocab v = WordVocab.fit("we met we left", 10);
        SentencePairs sp = new SentencePairs(List.of(List.of(v.encode("a"), v.encode("b")), List.of(v.encode("c"), v.encode("d"))), v.cls, v.sep, 20);
        SentencePairs.Pair p = sp.pair(v.encode("we met"), v.encode("we left"), 1);
        llmbook.classify.Sparse f = SentencePairs.bagOfWords(p, v);
        int V = v.size(), we = v.encode("we")[0], met = v.encode("met")[0], left = v.encode("left")[0];
        int[] want = {we, met, V + we, V + left, 2 * V + we, 3 * V};
        java.util.Arrays.sort(want);
        assertArrayEquals(want, f.index());
        assertEquals(1.0 / 3, f.value()[f.value().length - 1], 1e-12, "Jaccard of {we, met} and {we, left}");
        assertEquals(3 * V + 1, SentencePairs.bagOfWordsWidth(v));
        // swapping the sides moves the words between the a and b blocks: what lets a linear model see SOP at all
        llmbook.classify.Sparse g = SentencePairs.bagOfWords(sp.pair(v.encode("we left"), v.encode("we met"), 0), v);
        assertTrue(java.util.Arrays.binarySearch(g.index(), V + met) >= 0 && java.util.Arrays.binarySearch(g.index(), met) < 0);
    }

    @Test
    void sopNegativesAreTheSamePairSwapped() {
        SentencePairs sp = new SentencePairs(docs(), CLS, SEP, 20);
        Rng rng = new Rng(4);
        int pos = 0;
        for (int i = 0; i < 2000; i++) {
            SentencePairs.Pair p = sp.next(SentencePairs.Task.SOP, rng);
            int[][] ab = sides(p);
            assertEquals(ab[0][0] / 100, ab[1][0] / 100, "SOP never leaves the document");
            int ia = ab[0][0] / 10 % 10, ib = ab[1][0] / 10 % 10;
            if (p.label() == 1) { pos++; assertEquals(ia + 1, ib); } else assertEquals(ib + 1, ia);
        }
        assertEquals(0.5, pos / 2000.0, 0.04);
    }

    @Test
    void batchesArePaddedWithLabels() {
        WordVocab v = WordVocab.fit("a b c d", 10);
        SentencePairs sp = new SentencePairs(List.of(List.of(v.encode("a b"), v.encode("c")), List.of(v.encode("d"), v.encode("a"))), v.cls, v.sep, 8);
        MlmBatch b = sp.batches(SentencePairs.Task.SOP, null, v).next(new Rng(1), 3);
        assertEquals(8, b.T());
        for (int k = 0; k < 3; k++) {
            assertEquals(v.cls, b.input()[k * 8]);
            for (int t = b.lengths()[k]; t < 8; t++) assertEquals(v.pad, b.input()[k * 8 + t]);
        }
        assertEquals(0, b.scored(), "no masking asked: no MLM targets");
        assertEquals(3, b.labels().length);
    }

    @Test
    void sentenceSplitter() {
        assertEquals(List.of("We met.", "It rained!", "Why?"), Sentences.split("We met. It rained!  Why?"));
    }
}
