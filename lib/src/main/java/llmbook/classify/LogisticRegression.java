package llmbook.classify;

import java.util.List;

/**
 * L2-regularised logistic regression: the discriminative text classifier (Q28). It models only P(c | x) — a linear
 * score per class through a sigmoid (two classes) or a softmax (more) — and fits the weights by minimising, exactly as
 * scikit-learn's {@code LogisticRegression(C)} does,
 * <pre>
 *   f(W, b) = ½‖W‖² + C · Σ_i −log P(y_i | x_i)            (the intercepts b are not penalised)
 *   two classes:  P(1 | x) = σ(w·x + b)                   ∂f/∂w = w + C Σ_i (p_i − y_i) x_i
 *   K classes:    P(c | x) = softmax_c(W_c·x + b_c)       ∂f/∂W_c = W_c + C Σ_i (p_ic − [y_i = c]) x_i
 * </pre>
 * f is strictly convex, so the minimiser is unique and any good optimiser finds the same weights: we use L-BFGS
 * (full batch, {@link Lbfgs}) to a gradient of ~1e-8, and the oracle test checks scikit-learn's predictions and
 * probabilities on the same features. The gradient is checked against finite differences in the tests.
 */
public final class LogisticRegression implements Classifier {
    private final int k, d;
    private final double[] theta;         // binary: (w (D), b); K classes: (W (K, D) row-major, b (K))

    private LogisticRegression(int k, int d, double[] theta) {
        this.k = k;
        this.d = d;
        this.theta = theta;
    }

    /** Number of parameters for {@code k} classes over {@code d} features. */
    static int size(int k, int d) { return k == 2 ? d + 1 : k * (d + 1); }

    /** Fits on rows {@code xs} (columns below {@code width}) with labels in [0, {@code classes}), inverse penalty C. */
    public static LogisticRegression fit(List<Sparse> xs, int[] labels, int classes, int width, double c) {
        return fit(xs, labels, classes, width, c, 1e-8, 2000);
    }

    /** As {@link #fit(List, int[], int, int, double)}, stopping at max |gradient| ≤ {@code tol} or {@code maxIter} iterations. */
    public static LogisticRegression fit(List<Sparse> xs, int[] labels, int classes, int width, double c, double tol, int maxIter) {
        Classifier.checkLabels("LogisticRegression", xs.size(), labels, classes);
        if (classes < 2) throw new IllegalArgumentException("LogisticRegression: need at least 2 classes, got " + classes);
        if (!(c > 0)) throw new IllegalArgumentException("LogisticRegression: C must be > 0, got " + c);
        for (int i = 0; i < xs.size(); i++)
            if (xs.get(i).width() > width) throw new IllegalArgumentException("LogisticRegression: row " + i + " has column " + (xs.get(i).width() - 1) + ", width is " + width);
        double[] theta = new double[size(classes, width)];
        Lbfgs.minimize((t, g) -> objective(xs, labels, classes, width, c, t, g), theta, tol, maxIter);
        return new LogisticRegression(classes, width, theta);
    }

    /**
     * f(θ) of the class comment, its gradient written into {@code grad} (same layout as θ). Public for the
     * finite-difference test.
     */
    public static double objective(List<Sparse> xs, int[] y, int k, int d, double c, double[] theta, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        double f = 0;
        int nw = k == 2 ? d : k * d;
        for (int j = 0; j < nw; j++) { f += 0.5 * theta[j] * theta[j]; grad[j] = theta[j]; }
        double[] z = new double[k];
        for (int i = 0; i < y.length; i++) {
            Sparse x = xs.get(i);
            if (k == 2) {
                double s = x.dot(theta, 0) + theta[d];
                f += c * (Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - (y[i] == 1 ? s : 0));   // −log P(y | x), stable
                double r = c * (sigmoid(s) - y[i]);
                for (int j = 0; j < x.size(); j++) grad[x.index()[j]] += r * x.value()[j];
                grad[d] += r;
            } else {
                for (int m = 0; m < k; m++) z[m] = x.dot(theta, m * d) + theta[nw + m];
                double lse = Classifier.logSumExp(z);
                f += c * (lse - z[y[i]]);
                for (int m = 0; m < k; m++) {
                    double r = c * (Math.exp(z[m] - lse) - (m == y[i] ? 1 : 0));
                    for (int j = 0; j < x.size(); j++) grad[m * d + x.index()[j]] += r * x.value()[j];
                    grad[nw + m] += r;
                }
            }
        }
        return f;
    }

    static double sigmoid(double s) { return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s)); }

    @Override public int classes() { return k; }

    /** Number of features. */
    public int width() { return d; }

    /** The linear scores (logits): one for two classes (of class 1), K otherwise. */
    public double[] scores(Sparse x) {
        if (x.width() > d) throw new IllegalArgumentException("LogisticRegression: column " + (x.width() - 1) + " outside the width " + d);
        if (k == 2) return new double[] {x.dot(theta, 0) + theta[d]};
        double[] z = new double[k];
        for (int m = 0; m < k; m++) z[m] = x.dot(theta, m * d) + theta[k * d + m];
        return z;
    }

    @Override
    public double[] logProba(Sparse x) {
        double[] z = scores(x);
        if (k == 2) {
            double s = z[0];                      // log σ(s) = −softplus(−s), log(1 − σ(s)) = −softplus(s)
            return new double[] {-(Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)))), -(Math.max(-s, 0) + Math.log1p(Math.exp(-Math.abs(s))))};
        }
        double lse = Classifier.logSumExp(z);
        for (int m = 0; m < k; m++) z[m] -= lse;
        return z;
    }

    /** Weight of feature {@code j} for class {@code c} (two classes: the single weight vector, {@code c} ignored). */
    public double weight(int c, int j) { return k == 2 ? theta[j] : theta[c * d + j]; }
}
