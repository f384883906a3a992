package llmbook.exercises.ch06;

/** Reference solution of ch06.cross_entropy (see the starter for the statement). Q34. */
public final class CrossEntropy {
    private CrossEntropy() {}

    public static double mean(float[] logits, int[] targets, int vocab) {
        double total = 0;
        for (int r = 0; r < targets.length; r++) {
            int o = r * vocab;                                   // row r starts at r·V
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) m = Math.max(m, logits[o + j]);
            double s = 0;
            for (int j = 0; j < vocab; j++) s += Math.exp(logits[o + j] - m);
            total += m + Math.log(s) - logits[o + targets[r]];
        }
        return total / targets.length;
    }

    /** Per row: (softmax − one-hot(target)) / rows. */
    public static double[] gradient(float[] logits, int[] targets, int vocab) {
        int rows = targets.length;
        double[] g = new double[rows * vocab];
        for (int r = 0; r < rows; r++) {
            int o = r * vocab;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) m = Math.max(m, logits[o + j]);
            double s = 0;
            for (int j = 0; j < vocab; j++) s += Math.exp(logits[o + j] - m);
            for (int j = 0; j < vocab; j++) g[o + j] = Math.exp(logits[o + j] - m) / s / rows;
            g[o + targets[r]] -= 1.0 / rows;
        }
        return g;
    }
}
