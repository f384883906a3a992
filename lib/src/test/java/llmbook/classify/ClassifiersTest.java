package llmbook.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bag of words, naive Bayes by hand, logistic regression's gradient by finite differences. Q28. */
class ClassifiersTest {
    @Test
    void bagOfWordsCountsLowerCasedWords() {
        BagOfWords bow = BagOfWords.fit(List.of("Win money now", "money money"), 1, 10);
        assertEquals(3, bow.size());
        assertEquals("money", bow.word(0));
        Sparse x = bow.counts("money, MONEY! 42 dollars now");
        assertArrayEquals(new int[] {0, 1}, x.index());
        assertArrayEquals(new double[] {2, 1}, x.value());
        Sparse t = bow.tfidf(x);
        double n = 0;
        for (double v : t.value()) n += v * v;
        assertEquals(1, n, 1e-12, "TF-IDF rows have unit length");
        // idf(money) = ln(3/3) + 1 = 1, idf(now) = ln(3/2) + 1; tf: 1 + ln 2 and 1
        assertEquals((1 + Math.log(2)) / (1 + Math.log(1.5)), t.value()[0] / t.value()[1], 1e-12);
    }

    @Test
    void naiveBayesByHand() {
        // vocab {0: "free", 1: "meeting"}; spam (1): "free free", ham (0): "meeting", "free meeting"
        List<Sparse> xs = List.of(new Sparse(new int[] {0}, new double[] {2}), new Sparse(new int[] {1}, new double[] {1}),
                new Sparse(new int[] {0, 1}, new double[] {1, 1}));
        NaiveBayes nb = NaiveBayes.fit(xs, new int[] {1, 0, 0}, 2, 2, 1.0);
        assertEquals(Math.log(1.0 / 3), nb.logPrior(1), 1e-12);
        assertEquals(Math.log((2 + 1) / (2 + 2.0)), nb.logLikelihood(1, 0), 1e-12);     // P(free | spam) = 3/4
        assertEquals(Math.log((1 + 1) / (3 + 2.0)), nb.logLikelihood(0, 0), 1e-12);     // P(free | ham) = 2/5
        Sparse q = new Sparse(new int[] {0}, new double[] {3});                         // "free free free"
        double s1 = Math.log(1.0 / 3) + 3 * Math.log(0.75), s0 = Math.log(2.0 / 3) + 3 * Math.log(0.4);
        assertEquals(s1 - Math.log(Math.exp(s0) + Math.exp(s1)), nb.logProba(q)[1], 1e-12);
        assertEquals(1, nb.predict(q));
    }

    @Test
    void naiveBayesDoesNotUnderflowOnLongTexts() {
        List<Sparse> xs = List.of(new Sparse(new int[] {0}, new double[] {1}), new Sparse(new int[] {1}, new double[] {1}));
        NaiveBayes nb = NaiveBayes.fit(xs, new int[] {0, 1}, 2, 2, 1.0);
        Sparse huge = new Sparse(new int[] {0, 1}, new double[] {5000, 4990});       // a product of probabilities would be 0
        double[] lp = nb.logProba(huge);
        assertTrue(Double.isFinite(lp[0]) && Double.isFinite(lp[1]));
        assertEquals(0, nb.predict(huge));
    }

    static List<Sparse> randomRows(Random r, int n, int d) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) x[j] = r.nextDouble() < 0.5 ? 0 : r.nextGaussian();
            return Sparse.dense(x);
        }).toList();
    }

    @Test
    void logisticRegressionGradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        for (int k : new int[] {2, 3}) {
            int d = 5, n = 12;
            List<Sparse> xs = randomRows(r, n, d);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = r.nextInt(k);
            double[] theta = new double[LogisticRegression.size(k, d)], g = new double[theta.length], tmp = new double[theta.length];
            for (int j = 0; j < theta.length; j++) theta[j] = r.nextGaussian();
            LogisticRegression.objective(xs, y, k, d, 0.7, theta, g);
            for (int j = 0; j < theta.length; j++) {
                double keep = theta[j], h = 1e-6;
                theta[j] = keep + h;
                double fp = LogisticRegression.objective(xs, y, k, d, 0.7, theta, tmp);
                theta[j] = keep - h;
                double fm = LogisticRegression.objective(xs, y, k, d, 0.7, theta, tmp);
                theta[j] = keep;
                assertEquals((fp - fm) / (2 * h), g[j], 1e-6 * Math.max(1, Math.abs(g[j])), k + " classes, parameter " + j);
            }
        }
    }

    @Test
    void logisticRegressionSeparatesAndRefusesBadInput() {
        List<Sparse> xs = List.of(Sparse.dense(new double[] {1, 0}), Sparse.dense(new double[] {0, 1}), Sparse.dense(new double[] {2, 0}));
        LogisticRegression lr = LogisticRegression.fit(xs, new int[] {1, 0, 1}, 2, 2, 10);
        assertEquals(1.0, lr.accuracy(xs, new int[] {1, 0, 1}));
        double[] lp = lr.logProba(xs.get(0));
        assertEquals(1, Math.exp(lp[0]) + Math.exp(lp[1]), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(xs, new int[] {1, 0}, 2, 2, 1));
        assertEquals("LogisticRegression: 3 rows but 2 labels", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(xs, new int[] {1, 0, 2}, 2, 2, 1));
    }
}
