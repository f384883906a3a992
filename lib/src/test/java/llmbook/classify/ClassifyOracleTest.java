package llmbook.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import llmbook.util.Json;
import org.junit.jupiter.api.Test;

/**
 * Our naive Bayes and logistic regression against scikit-learn 1.2.1 (MultinomialNB(alpha=1),
 * LogisticRegression(C=0.5, newton-cg, tol 1e-10)) on the seeded problems of {@code lib/src/test/python/classify_oracle.py},
 * whose output is the committed fixture {@code sklearn-oracle.json}: a 2-class and a 3-class bag-of-words problem.
 * Naive Bayes is closed-form, so its log-probabilities agree to 1e-9; logistic regression's optimum is unique, so
 * two solvers stopped at tiny gradients agree to 1e-5 in log-probability and exactly in prediction.
 */
class ClassifyOracleTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> problems() throws Exception {
        try (InputStream in = ClassifyOracleTest.class.getResourceAsStream("/llmbook/classify/sklearn-oracle.json")) {
            return (List<Map<String, Object>>) Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("problems");
        }
    }

    @SuppressWarnings("unchecked")
    static List<Sparse> rows(Object o) {
        List<Sparse> out = new ArrayList<>();
        for (Object r : (List<Object>) o) out.add(Sparse.dense(((List<Object>) r).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static int[] ints(Object o) { return ((List<Object>) o).stream().mapToInt(v -> ((Number) v).intValue()).toArray(); }

    @SuppressWarnings("unchecked")
    static double[][] matrix(Object o) {
        return ((List<Object>) o).stream().map(r -> ((List<Object>) r).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray()).toArray(double[][]::new);
    }

    @Test
    void naiveBayesMatchesScikitLearn() throws Exception {
        for (Map<String, Object> p : problems()) {
            int k = ((Number) p.get("classes")).intValue(), v = ((Number) p.get("vocab")).intValue();
            NaiveBayes nb = NaiveBayes.fit(rows(p.get("x_train")), ints(p.get("y_train")), k, v, 1.0);
            List<Sparse> test = rows(p.get("x_test"));
            double[][] want = matrix(p.get("nb_log_proba"));
            int[] pred = ints(p.get("nb_predict"));
            for (int i = 0; i < test.size(); i++) {
                double[] got = nb.logProba(test.get(i));
                for (int c = 0; c < k; c++) assertEquals(want[i][c], got[c], 1e-9, "NB log P(" + c + " | row " + i + "), " + k + " classes");
                assertEquals(pred[i], nb.predict(test.get(i)), "NB prediction of row " + i);
            }
        }
    }

    @Test
    void logisticRegressionMatchesScikitLearn() throws Exception {
        for (Map<String, Object> p : problems()) {
            int k = ((Number) p.get("classes")).intValue(), v = ((Number) p.get("vocab")).intValue();
            double c = ((Number) p.get("C")).doubleValue();
            LogisticRegression lr = LogisticRegression.fit(rows(p.get("x_train")), ints(p.get("y_train")), k, v, c, 1e-9, 10000);
            List<Sparse> test = rows(p.get("x_test"));
            double[][] want = matrix(p.get("lr_log_proba"));
            int[] pred = ints(p.get("lr_predict"));
            for (int i = 0; i < test.size(); i++) {
                double[] got = lr.logProba(test.get(i));
                for (int m = 0; m < k; m++) assertEquals(want[i][m], got[m], 1e-5, "LR log P(" + m + " | row " + i + "), " + k + " classes");
                assertEquals(pred[i], lr.predict(test.get(i)), "LR prediction of row " + i);
            }
        }
    }
}
