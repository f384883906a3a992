package llmbook.exercises.ch11;

/** Reference solution of ch11.class_mean (see the starter for the statement). Q45. */
public final class NearestClassMean {
    private NearestClassMean() {}

    public static int[] predict(float[][] train, int[] labels, int classes, float[][] test) {
        if (train.length != labels.length) throw new IllegalArgumentException(train.length + " training vectors but " + labels.length + " labels");
        int d = train[0].length;
        double[] mu = new double[d];
        for (float[] v : train) for (int j = 0; j < d; j++) mu[j] += v[j] / (double) train.length;
        double[][] means = new double[classes][d];
        int[] count = new int[classes];
        for (int i = 0; i < train.length; i++) {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) means[labels[i]][j] += train[i][j] - mu[j];
        }
        int[] out = new int[test.length];
        for (int t = 0; t < test.length; t++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if (count[k] == 0) continue;
                double dot = 0, nm = 0, nt = 0;
                for (int j = 0; j < d; j++) {
                    double x = test[t][j] - mu[j], m = means[k][j] / count[k];
                    dot += x * m; nm += m * m; nt += x * x;
                }
                double cos = dot / Math.sqrt(nm * nt);
                if (cos > best) { best = cos; out[t] = k; }
            }
        }
        return out;
    }
}
