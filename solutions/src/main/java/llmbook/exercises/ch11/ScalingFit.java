package llmbook.exercises.ch11;

/** Reference solution of ch11.scaling_fit (see the starter for the statement). Q43. */
public final class ScalingFit {
    private ScalingFit() {}

    public static double[] fit(double[] n, double[] loss, double c) {
        if (n.length != loss.length) throw new IllegalArgumentException("N has " + n.length + " values but L has " + loss.length);
        if (n.length < 2) throw new IllegalArgumentException("a line needs at least 2 models, got " + n.length);
        int k = n.length;
        double[] x = new double[k], y = new double[k];
        double mx = 0, my = 0;
        for (int i = 0; i < k; i++) {
            if (loss[i] <= c) throw new IllegalArgumentException("loss " + loss[i] + " is not above the floor c = " + c);
            mx += x[i] = Math.log(n[i]);
            my += y[i] = Math.log(loss[i] - c);
        }
        mx /= k;
        my /= k;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < k; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        double slope = sxy / sxx;
        return new double[] {Math.exp(my - slope * mx), -slope};
    }

    public static double predict(double[] n, double[] loss, double c, double nNew) {
        double[] ab = fit(n, loss, c);
        return ab[0] * Math.pow(nNew, -ab[1]) + c;
    }
}
