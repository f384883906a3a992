package llmbook.exercises.ch12;

/** Reference solution of ch12.weat (see the starter for the statement). Q48. */
public final class Weat {
    private Weat() {}

    public static double effectSize(float[][] X, float[][] Y, float[][] A, float[][] B) {
        double[] all = new double[X.length + Y.length];
        double mx = 0, my = 0;
        for (int i = 0; i < X.length; i++) mx += all[i] = lean(X[i], A, B);
        for (int i = 0; i < Y.length; i++) my += all[X.length + i] = lean(Y[i], A, B);
        mx /= X.length;
        my /= Y.length;
        double mean = 0, var = 0;
        for (double s : all) mean += s;
        mean /= all.length;
        for (double s : all) var += (s - mean) * (s - mean);
        return (mx - my) / Math.sqrt(var / (all.length - 1));
    }

    static double lean(float[] w, float[][] A, float[][] B) {
        double a = 0, b = 0;
        for (float[] v : A) a += cos(w, v);
        for (float[] v : B) b += cos(w, v);
        return a / A.length - b / B.length;
    }

    static double cos(float[] u, float[] v) {
        double d = 0, nu = 0, nv = 0;
        for (int i = 0; i < u.length; i++) { d += u[i] * v[i]; nu += u[i] * u[i]; nv += v[i] * v[i]; }
        return d / Math.sqrt(nu * nv);
    }
}
