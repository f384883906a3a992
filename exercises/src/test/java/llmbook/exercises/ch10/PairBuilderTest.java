package llmbook.exercises.ch10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.objectives.SentencePairs;
import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch10.pair_builder", title = "NSP and SOP sentence-pair examples")
class PairBuilderTest {
    static final int CLS = 1000, SEP = 1001;
    static List<List<int[]>> docs() {          // document k's sentences start with ids k·100 + 10·i
        return List.of(List.of(new int[] {100, 101, 102, 103}, new int[] {110}, new int[0], new int[] {120, 121, 122, 123, 124}),
                List.of(new int[] {200, 201}),                                           // one sentence: never used
                List.of(new int[] {300}, new int[] {310, 311}),
                List.of(new int[] {400}, new int[] {410}, new int[] {420}, new int[] {430, 431, 432}));
    }

    @Test
    @Points(value = 1, hint = "[CLS] a [SEP] b [SEP]; types 0 through the first [SEP], 1 after")
    void layout() {
        List<List<int[]>> one = List.of(List.of(new int[] {5, 6}, new int[] {9}), List.of(new int[] {7}, new int[] {8}));
        for (int seed = 0; seed < 20; seed++) {
            int[][] p = PairBuilder.next(one, "SOP", 64, CLS, SEP, new Rng(seed));
            assertEquals(CLS, p[0][0]);
            assertEquals(SEP, p[0][p[0].length - 1]);
            int firstSep = 1;
            while (p[0][firstSep] != SEP) firstSep++;
            for (int k = 0; k < p[0].length; k++) assertEquals(k <= firstSep ? 0 : 1, p[1][k], "type at " + k);
        }
    }

    @Test
    @Points(value = 1, hint = "each side is cut to (maxLen − 3) / 2 tokens: a keeps its end, b its start")
    void truncation() {
        List<List<int[]>> one = List.of(List.of(new int[] {5, 6, 7, 8}, new int[] {9, 10, 11, 12}), List.of(new int[] {1}, new int[] {2}));
        for (int seed = 0; seed < 40; seed++) {
            int[][] p = PairBuilder.next(one, "SOP", 9, CLS, SEP, new Rng(seed));
            if (p[0][1] == 6 && p[2][0] == 1) {
                assertArrayEquals(new int[] {CLS, 6, 7, 8, SEP, 9, 10, 11, SEP}, p[0]);
                return;
            }
        }
        throw new AssertionError("no positive example of the first document in 40 seeds: check the order of draws");
    }

    @Test
    @Points(value = 2, hint = "NSP negatives come from ANOTHER document; SOP negatives are the same two sentences swapped")
    void negatives() {
        Rng rng = new Rng(9);
        for (int k = 0; k < 300; k++) {
            int[][] n = PairBuilder.next(docs(), "NSP", 64, CLS, SEP, rng);
            int s = 1;
            while (n[0][s] != SEP) s++;
            if (n[2][0] == 0) assertNotEquals(n[0][1] / 100, n[0][s + 1] / 100, "an NSP negative's b comes from another document");
            int[][] o = PairBuilder.next(docs(), "SOP", 64, CLS, SEP, rng);
            int t = 1;
            while (o[0][t] != SEP) t++;
            assertEquals(o[0][1] / 100, o[0][t + 1] / 100, "SOP stays in one document");
            assertEquals(o[2][0] == 1, o[0][1] % 100 < o[0][t + 1] % 100, "SOP label 1 iff in order");
        }
    }

    @Test
    @Points(value = 3, hint = "the exact draws: document, sentence, coin, then (NSP negative) other document and its sentence; skip empty sentences and one-sentence documents")
    void exactExamplesForASeed() {
        for (SentencePairs.Task task : SentencePairs.Task.values())
            for (int maxLen : new int[] {9, 64}) {
                SentencePairs lib = new SentencePairs(docs(), CLS, SEP, maxLen);
                Rng a = new Rng(31 + maxLen), b = new Rng(31 + maxLen);
                for (int k = 0; k < 50; k++) {
                    SentencePairs.Pair want = lib.next(task, a);
                    int[][] got = PairBuilder.next(docs(), task.toString(), maxLen, CLS, SEP, b);
                    assertArrayEquals(want.ids(), got[0], task + " ids, example " + k + ", maxLen " + maxLen);
                    assertArrayEquals(want.types(), got[1], task + " types, example " + k);
                    assertEquals(want.label(), got[2][0], task + " label, example " + k);
                }
            }
    }
}
