package llmbook.embed;

/**
 * Eigen-decomposition of a real symmetric matrix, {@code A = Q Λ Qᵀ} (Q37), two ways.
 *
 * <p><b>Jacobi</b> ({@link #jacobi}): repeatedly pick an off-diagonal entry {@code a_pq} and
 * rotate rows and columns p, q by the angle θ with {@code tan 2θ = 2 a_pq / (a_qq - a_pp)}, which
 * zeroes it: {@code A ← JᵀAJ}. Each rotation keeps the eigenvalues and lowers the off-diagonal
 * sum of squares, so sweeping over all pairs until it is ~0 leaves Λ on the diagonal; the product
 * of the rotations is Q. All eigenpairs, O(n³) per sweep, a handful of sweeps.
 *
 * <p><b>Power iteration with deflation</b> ({@link #power}): {@code v ← Av / |Av|} converges to the
 * eigenvector of the eigenvalue largest in absolute value, at rate |λ₂/λ₁| per step; its
 * eigenvalue is the Rayleigh quotient {@code vᵀAv}. Subtracting {@code λ v vᵀ} ("deflation")
 * removes that pair, and the next run finds the next one. Cheap when only the top few are needed,
 * as in PCA.
 *
 * <p>Results are sorted by eigenvalue, largest first; {@code vectors[k]} is the unit eigenvector of
 * {@code values[k]}.
 */
public final class SymmetricEigen {
    /** Eigenvalues (descending) and matching unit eigenvectors, {@code vectors[k]} of length n. */
    public record Result(double[] values, double[][] vectors) {}

    private SymmetricEigen() {}

    private static double[][] checkedCopy(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " entries, expected " + n);
            m[i] = a[i].clone();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double tol = 1e-9 * (Math.abs(m[i][j]) + Math.abs(m[j][i]) + 1);
                if (Math.abs(m[i][j] - m[j][i]) > tol) {
                    throw new IllegalArgumentException("matrix is not symmetric: a[" + i + "][" + j + "] = " + m[i][j] + " but a[" + j + "][" + i + "] = " + m[j][i]);
                }
            }
        }
        return m;
    }

    /** All eigenpairs by cyclic Jacobi rotations. */
    public static Result jacobi(double[][] a) {
        double[][] m = checkedCopy(a);
        int n = m.length;
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) q[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, scale = 0;
            for (int i = 0; i < n; i++) {
                scale += m[i][i] * m[i][i];
                for (int j = i + 1; j < n; j++) off += m[i][j] * m[i][j];
            }
            if (off <= 1e-30 * Math.max(scale, 1e-300) || off == 0) break;
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    if (m[p][r] == 0) continue;
                    double theta = (m[r][r] - m[p][p]) / (2 * m[p][r]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {                // columns p, r of M J
                        double mkp = m[k][p], mkr = m[k][r];
                        m[k][p] = c * mkp - s * mkr;
                        m[k][r] = s * mkp + c * mkr;
                    }
                    for (int k = 0; k < n; k++) {                // rows p, r of Jᵀ (M J)
                        double mpk = m[p][k], mrk = m[r][k];
                        m[p][k] = c * mpk - s * mrk;
                        m[r][k] = s * mpk + c * mrk;
                    }
                    for (int k = 0; k < n; k++) {                // Q ← Q J
                        double qkp = q[k][p], qkr = q[k][r];
                        q[k][p] = c * qkp - s * qkr;
                        q[k][r] = s * qkp + c * qkr;
                    }
                }
            }
        }
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i][i];
            for (int k = 0; k < n; k++) vectors[i][k] = q[k][i];
        }
        return sorted(values, vectors);
    }

    /** The top {@code k} eigenpairs (by |λ|) by power iteration with deflation. */
    public static Result power(double[][] a, int k, int maxIterations, double tolerance, long seed) {
        double[][] m = checkedCopy(a);
        int n = m.length;
        if (k < 1 || k > n) throw new IllegalArgumentException("k = " + k + " must be in [1, " + n + "]");
        java.util.Random rnd = new java.util.Random(seed);
        double[] values = new double[k];
        double[][] vectors = new double[k][];
        for (int e = 0; e < k; e++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
            normalise(v);
            double lambda = 0;
            for (int it = 0; it < maxIterations; it++) {
                double[] w = multiply(m, v);
                double norm = normalise(w);
                if (norm == 0) break;                               // v is in the null space
                double next = dot(w, multiply(m, w));
                double change = 0;                                 // compare up to sign (λ < 0 flips v)
                double same = 0, flip = 0;
                for (int i = 0; i < n; i++) {
                    same += (w[i] - v[i]) * (w[i] - v[i]);
                    flip += (w[i] + v[i]) * (w[i] + v[i]);
                }
                change = Math.sqrt(Math.min(same, flip));
                v = w;
                lambda = next;
                if (change < tolerance) break;
            }
            values[e] = lambda;
            vectors[e] = v;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] -= lambda * v[i] * v[j];   // deflate
        }
        return new Result(values, vectors);
    }

    static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < m.length; i++) out[i] = dot(m[i], v);
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double normalise(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        if (norm > 0) for (int i = 0; i < v.length; i++) v[i] /= norm;
        return norm;
    }

    private static Result sorted(double[] values, double[][] vectors) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] v = new double[values.length];
        double[][] q = new double[values.length][];
        for (int i = 0; i < order.length; i++) {
            v[i] = values[order[i]];
            q[i] = vectors[order[i]];
        }
        return new Result(v, q);
    }
}
