package llmbook.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear probe (Q26): logistic regression on <em>frozen</em> features (a model's pooled hidden states), each
 * feature standardised with the training rows' mean and standard deviation. How much a pre-trained representation
 * already "knows" about a label is how well a linear map can read the label off it; the encoder is never updated.
 * <pre>
 *   LinearProbe p = LinearProbe.fit(trainFeatures, trainLabels, classes, 1.0);
 *   double acc = p.accuracy(testFeatures, testLabels);
 * </pre>
 */
public final class LinearProbe {
    private final double[] mean, std;
    public final LogisticRegression model;

    private LinearProbe(double[] mean, double[] std, LogisticRegression model) {
        this.mean = mean;
        this.std = std;
        this.model = model;
    }

    /** Standardises {@code x} (N, D) with its own statistics and fits logistic regression with inverse penalty C. */
    public static LinearProbe fit(double[][] x, int[] labels, int classes, double c) {
        if (x.length == 0) throw new IllegalArgumentException("LinearProbe: no training rows");
        int d = x[0].length;
        double[] mean = new double[d], std = new double[d];
        for (double[] r : x) {
            if (r.length != d) throw new IllegalArgumentException("LinearProbe: rows of " + d + " and " + r.length + " features");
            for (int j = 0; j < d; j++) mean[j] += r[j] / x.length;
        }
        for (double[] r : x) for (int j = 0; j < d; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / x.length;
        for (int j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) + 1e-8;
        LinearProbe p = new LinearProbe(mean, std, null);
        return new LinearProbe(mean, std, LogisticRegression.fit(p.rows(x), labels, classes, d, c, 1e-6, 500));
    }

    List<Sparse> rows(double[][] x) {
        List<Sparse> out = new ArrayList<>(x.length);
        for (double[] r : x) {
            if (r.length != mean.length) throw new IllegalArgumentException("LinearProbe: " + r.length + " features, trained on " + mean.length);
            double[] z = new double[r.length];
            for (int j = 0; j < z.length; j++) z[j] = (r[j] - mean[j]) / std[j];
            out.add(Sparse.dense(z));
        }
        return out;
    }

    /** Accuracy on {@code x} (N, D) with labels. */
    public double accuracy(double[][] x, int[] labels) { return model.accuracy(rows(x), labels); }

    /** Rows of a (N, D) float tensor's data as doubles: pooled features to probe. */
    public static double[][] rows(float[] data, int n, int d) {
        if (data.length != n * d) throw new IllegalArgumentException("LinearProbe: " + data.length + " values do not make (" + n + ", " + d + ")");
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = data[i * d + j];
        return x;
    }
}
