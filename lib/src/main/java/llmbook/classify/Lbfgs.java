package llmbook.classify;

/**
 * Limited-memory BFGS for a smooth convex function of a few thousand to a million doubles: the last {@code m} steps
 * and gradient changes stand in for the inverse Hessian (the two-loop recursion), and a backtracking line search
 * (Armijo, halving) keeps every step a descent. What scikit-learn's default {@code lbfgs} solver does, in 60 lines.
 */
final class Lbfgs {
    private Lbfgs() {}

    /** f(x), writing ∇f(x) into the second argument. */
    interface Objective { double value(double[] x, double[] grad); }

    /** Minimises {@code f} from {@code x} (updated in place) until max |∇f| ≤ tol, f stops decreasing (relative 1e-15) or maxIter iterations; returns f. */
    static double minimize(Objective f, double[] x, double tol, int maxIter) {
        int n = x.length, m = 10;
        double[][] s = new double[m][n], yv = new double[m][n];
        double[] rho = new double[m], alpha = new double[m];
        double[] g = new double[n], gNew = new double[n], dir = new double[n], xNew = new double[n];
        double fx = f.value(x, g);
        int stored = 0, head = 0;
        for (int it = 0; it < maxIter && maxAbs(g) > tol; it++) {
            System.arraycopy(g, 0, dir, 0, n);                       // dir = −H·g by the two-loop recursion
            for (int j = 0; j < stored; j++) {
                int i = Math.floorMod(head - 1 - j, m);
                alpha[i] = rho[i] * dot(s[i], dir);
                axpy(-alpha[i], yv[i], dir);
            }
            if (stored > 0) {
                int last = Math.floorMod(head - 1, m);
                scale(dir, dot(s[last], yv[last]) / dot(yv[last], yv[last]));
            } else {
                scale(dir, 1 / Math.max(1, Math.sqrt(dot(g, g))));
            }
            for (int j = stored - 1; j >= 0; j--) {
                int i = Math.floorMod(head - 1 - j, m);
                axpy(alpha[i] - rho[i] * dot(yv[i], dir), s[i], dir);
            }
            scale(dir, -1);
            double slope = dot(g, dir);
            if (slope >= 0) { for (int i = 0; i < n; i++) dir[i] = -g[i]; slope = -dot(g, g); stored = 0; }
            double step = 1, fNew;
            while (true) {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + step * dir[i];
                fNew = f.value(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope || step < 1e-20) break;
                step *= 0.5;
            }
            if (step < 1e-20) break;                                  // no progress possible in float64
            for (int i = 0; i < n; i++) { s[head][i] = xNew[i] - x[i]; yv[head][i] = gNew[i] - g[i]; }
            double sy = dot(s[head], yv[head]);
            if (sy > 1e-12) { rho[head] = 1 / sy; head = (head + 1) % m; stored = Math.min(stored + 1, m); }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            boolean flat = fx - fNew <= 1e-15 * Math.max(1, Math.abs(fx));  // f stopped moving: float64 has nothing left to give
            fx = fNew;
            if (flat) break;
        }
        return fx;
    }

    private static double dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }
    private static void axpy(double a, double[] x, double[] y) { for (int i = 0; i < x.length; i++) y[i] += a * x[i]; }
    private static void scale(double[] x, double a) { for (int i = 0; i < x.length; i++) x[i] *= a; }
    private static double maxAbs(double[] x) { double m = 0; for (double v : x) m = Math.max(m, Math.abs(v)); return m; }
}
