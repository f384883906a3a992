package llmbook.exercises.ch10;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.classify.BagOfWords;
import llmbook.classify.NaiveBayes;
import llmbook.classify.Sparse;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import org.junit.jupiter.api.Test;

@Exercise(id = "ch10.spam_filter", title = "A naive Bayes spam filter, from raw texts to accuracy")
class SpamFilterTest {
    @Test
    @Points(value = 2, hint = "score(c) = ln P(c) + Σ ln((n_cw + 1) / (n_c + V)); for the worked example spam scores ln ½ + 2 ln(2/6)")
    void workedExample() {
        SpamFilter f = new SpamFilter(List.of("free money", "meeting today"), new int[] {1, 0});
        double[] s = f.scores("Free FREE!");
        assertEquals(Math.log(0.5) + 2 * Math.log(2.0 / 6), s[1], 1e-12, "spam score");
        assertEquals(Math.log(0.5) + 2 * Math.log(1.0 / 6), s[0], 1e-12, "ham score");
        assertEquals(1, f.predict("free free"));
    }

    @Test
    @Points(value = 1, hint = "words never seen in training are skipped, not smoothed into the score")
    void unknownWordsAreSkipped() {
        SpamFilter f = new SpamFilter(List.of("free money", "meeting today", "team meeting"), new int[] {1, 0, 0});
        assertEquals(f.scores("money")[1], f.scores("money zebra quantum")[1], 1e-12);
        assertEquals(Math.log(1.0 / 3), f.scores("zebra")[1], 1e-12, "only the prior is left");
    }

    @Test
    @Points(value = 1, hint = "work in log space: a product of 3,000 probabilities underflows to 0 for both classes")
    void longTextsDoNotUnderflow() {
        SpamFilter f = new SpamFilter(List.of("free money now", "meeting today now"), new int[] {1, 0});
        String longSpam = "free money ".repeat(1500) + "meeting";
        double[] s = f.scores(longSpam);
        assertTrue(Double.isFinite(s[0]) && Double.isFinite(s[1]), "scores must stay finite");
        assertEquals(1, f.predict(longSpam));
    }

    static String text(Random r, String[] words, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(words[r.nextInt(words.length)]).append(i % 7 == 6 ? ". " : " ");
        return b.toString();
    }

    @Test
    @Points(value = 3, hint = "the same log-scores as multinomial naive Bayes with α = 1 over the training vocabulary (llmbook.classify.NaiveBayes)")
    void matchesTheLibraryOnRandomTexts() {
        Random r = new Random(42);
        String[] spamWords = {"free", "money", "win", "offer", "click", "now", "the", "you"}, hamWords = {"meeting", "project", "today", "the", "you", "report", "lunch", "now"};
        List<String> texts = new ArrayList<>();
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) { y[i] = i % 3 == 0 ? 1 : 0; texts.add(text(r, y[i] == 1 ? spamWords : hamWords, 5 + r.nextInt(20))); }
        SpamFilter f = new SpamFilter(texts, y);
        BagOfWords bow = BagOfWords.fit(texts, 1, Integer.MAX_VALUE);
        NaiveBayes nb = NaiveBayes.fit(bow.counts(texts), y, 2, bow.size(), 1.0);
        for (int i = 0; i < 20; i++) {
            String q = text(r, r.nextBoolean() ? spamWords : hamWords, 1 + r.nextInt(30)) + " unseen";
            Sparse x = bow.counts(q);
            double[] want = nb.jointLogLikelihood(x), got = f.scores(q);
            assertEquals(want[0], got[0], 1e-9, "ham score of \"" + q + "\"");
            assertEquals(want[1], got[1], 1e-9, "spam score of \"" + q + "\"");
        }
    }

    @Test
    @Points(value = 2, hint = "accuracy = hits / texts, on texts the filter did not train on")
    void accuracyOnHeldOutTexts() {
        Random r = new Random(7);
        String[] spamWords = {"free", "money", "win", "offer", "click", "now", "the"}, hamWords = {"meeting", "project", "today", "the", "report", "lunch", "now"};
        List<String> train = new ArrayList<>(), test = new ArrayList<>();
        int[] ytr = new int[80], yte = new int[40];
        for (int i = 0; i < 80; i++) { ytr[i] = i % 2; train.add(text(r, ytr[i] == 1 ? spamWords : hamWords, 12)); }
        for (int i = 0; i < 40; i++) { yte[i] = i % 2; test.add(text(r, yte[i] == 1 ? spamWords : hamWords, 12)); }
        SpamFilter f = new SpamFilter(train, ytr);
        double acc = f.accuracy(test, yte);
        assertTrue(acc > 0.95, "two clearly different vocabularies should be separated, got " + acc);
        int[] flipped = new int[40];
        for (int i = 0; i < 40; i++) flipped[i] = 1 - yte[i];
        assertEquals(1 - acc, f.accuracy(test, flipped), 1e-12);
    }
}
