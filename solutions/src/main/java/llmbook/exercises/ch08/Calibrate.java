package llmbook.exercises.ch08;

/** Solution of ch08.calibrate (see the starter for the exercise). Q22. */
public final class Calibrate {
    private Calibrate() {}

    public static double[] calibrate(double[] contentFree, double[] probs) {
        if (contentFree.length != probs.length)
            throw new IllegalArgumentException("content-free input has " + contentFree.length + " labels, the input has " + probs.length);
        double[] q = new double[probs.length];
        double sum = 0;
        for (int i = 0; i < q.length; i++) sum += q[i] = probs[i] / contentFree[i];
        for (int i = 0; i < q.length; i++) q[i] /= sum;
        return q;
    }

    public static int predict(double[] contentFree, double[] probs) {
        double[] q = calibrate(contentFree, probs);
        int best = 0;
        for (int i = 1; i < q.length; i++) if (q[i] > q[best]) best = i;
        return best;
    }
}
