package llmbook.exercises.ch12;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch12.kneser_ney", title = "Kneser–Ney bigram probabilities")
class KneserNeyBigramTest {
    static final int[] ABABC = {0, 1, 0, 1, 2};

    @Test
    @Points(value = 2, hint = "p(b|a) = (2 − 0.75)/2 + (0.75·1/2)·(1/3) = 0.75 for 'a b a b c'")
    void workedExample() {
        assertEquals(0.75, KneserNeyBigram.prob(ABABC, 3, 0.75, 0, 1), 1e-12);
        assertEquals(0.125, KneserNeyBigram.prob(ABABC, 3, 0.75, 0, 2), 1e-12);
    }

    @Test
    @Points(value = 1, hint = "an unseen context falls back to the continuation probability (bigram types ending in w / all bigram types)")
    void unseenContext() {
        assertEquals(1 / 3.0, KneserNeyBigram.prob(ABABC, 3, 0.75, 2, 0), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "the continuation probability counts distinct left neighbours, not occurrences: 'x x x x y' gives y as much as x")
    void continuationNotFrequency() {
        int[] t = {0, 0, 0, 0, 1};                           // types: 00, 01 → cont(0) = cont(1) = 1/2
        // after 1 (never a context): the continuation probability, not the unigram frequency 4/5
        assertEquals(0.5, KneserNeyBigram.prob(t, 2, 0.5, 1, 0), 1e-12);
        // after 0: c(00) = 3, c(0) = 4, two follower types: (3 − 0.5)/4 + 0.5·2/4 · 1/2
        assertEquals(2.5 / 4 + 0.125, KneserNeyBigram.prob(t, 2, 0.5, 0, 0), 1e-12);
    }

    @Test
    @Points(value = 2, hint = "for every context the probabilities over the vocabulary must sum to 1")
    void sumsToOne() {
        Random r = new Random(12);
        int V = 6;
        int[] t = new int[300];
        for (int i = 0; i < t.length; i++) t[i] = r.nextInt(4);   // tokens 4, 5 never appear
        for (int v = 0; v < V; v++) {
            double s = 0;
            for (int w = 0; w < V; w++) s += KneserNeyBigram.prob(t, V, 0.75, v, w);
            assertEquals(1, s, 1e-9, "context " + v);
        }
    }
}
