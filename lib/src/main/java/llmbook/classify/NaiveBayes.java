package llmbook.classify;

import java.util.List;

/**
 * Multinomial naive Bayes: the generative text classifier (Q28). It models how each class <em>writes</em> — a
 * class prior and one distribution over the vocabulary per class, every word drawn independently — and classifies
 * by Bayes' rule. Training is counting, in one pass:
 * <pre>
 *   log P(c)     = ln(N_c / N)
 *   log P(w | c) = ln((n_cw + α) / (n_c + α·V))        n_cw = count of word w in class c's texts, n_c = Σ_w n_cw
 *   score(c | x) = log P(c) + Σ_w x_w · log P(w | c)   (log space: a product of 500 small probabilities underflows)
 * </pre>
 * With Laplace smoothing (α = 1) a word never seen in a class costs a finite penalty instead of a log of zero. Ng &amp;
 * Jordan (2001): it reaches its (higher) asymptotic error with O(log V) examples, where logistic regression needs
 * O(V) to reach its lower one — so it often wins with little data and loses with much. scikit-learn's
 * {@code MultinomialNB(alpha)} gives the same log-probabilities (the oracle test).
 */
public final class NaiveBayes implements Classifier {
    private final double[] logPrior;        // (K)
    private final double[][] logLikelihood; // (K, V)

    private NaiveBayes(double[] logPrior, double[][] logLikelihood) {
        this.logPrior = logPrior;
        this.logLikelihood = logLikelihood;
    }

    /** Fits on count rows {@code xs} (columns below {@code vocab}) with labels in [0, {@code classes}) and smoothing α. */
    public static NaiveBayes fit(List<Sparse> xs, int[] labels, int classes, int vocab, double alpha) {
        Classifier.checkLabels("NaiveBayes", xs.size(), labels, classes);
        if (!(alpha > 0)) throw new IllegalArgumentException("NaiveBayes: smoothing alpha must be > 0, got " + alpha);
        double[] docs = new double[classes], total = new double[classes];
        double[][] n = new double[classes][vocab];
        for (int i = 0; i < labels.length; i++) {
            Sparse x = xs.get(i);
            if (x.width() > vocab) throw new IllegalArgumentException("NaiveBayes: row " + i + " has column " + (x.width() - 1) + ", vocabulary is " + vocab);
            int c = labels[i];
            docs[c]++;
            for (int j = 0; j < x.size(); j++) {
                if (x.value()[j] < 0) throw new IllegalArgumentException("NaiveBayes: negative count " + x.value()[j] + " in row " + i);
                n[c][x.index()[j]] += x.value()[j];
                total[c] += x.value()[j];
            }
        }
        double[] prior = new double[classes];
        for (int c = 0; c < classes; c++) {
            prior[c] = Math.log(docs[c] / labels.length);            // −∞ for a class with no example: never predicted
            double denom = Math.log(total[c] + alpha * vocab);
            for (int w = 0; w < vocab; w++) n[c][w] = Math.log(n[c][w] + alpha) - denom;
        }
        return new NaiveBayes(prior, n);
    }

    @Override public int classes() { return logPrior.length; }

    /** log P(c) + Σ_w x_w log P(w | c) for each class: the unnormalised log-posterior. */
    public double[] jointLogLikelihood(Sparse x) {
        double[] s = new double[logPrior.length];
        for (int c = 0; c < s.length; c++) {
            if (x.width() > logLikelihood[c].length)
                throw new IllegalArgumentException("NaiveBayes: column " + (x.width() - 1) + " outside the vocabulary of " + logLikelihood[c].length);
            s[c] = logPrior[c] + x.dot(logLikelihood[c], 0);
        }
        return s;
    }

    @Override
    public double[] logProba(Sparse x) {
        double[] s = jointLogLikelihood(x);
        double z = Classifier.logSumExp(s);
        for (int c = 0; c < s.length; c++) s[c] -= z;
        return s;
    }

    /** ln P(c). */
    public double logPrior(int c) { return logPrior[c]; }

    /** ln P(w | c). */
    public double logLikelihood(int c, int w) { return logLikelihood[c][w]; }
}
