package llmbook.embed;

/**
 * Principal component analysis (Q37). For n points in d dimensions (rows of X), centre each
 * column, form the covariance {@code C = XᵀX / (n - 1)} (d × d, symmetric, positive
 * semi-definite) and take its eigenvectors: the first is the direction of greatest variance, the
 * next the greatest variance orthogonal to it, and so on. Eigenvalue λ_k is the variance along
 * component k, so {@code λ_k / Σλ} is the fraction of variance it explains. Projecting a point on
 * the first two components gives the best 2-D picture in the least-squares sense.
 */
public final class Pca {
    private final double[] mean;
    private final double[] variances;          // eigenvalues of C, descending
    private final double[][] components;       // unit eigenvectors, components[k] of length d
    private final int dim;

    private Pca(double[] mean, SymmetricEigen.Result eig) {
        this.mean = mean;
        this.dim = mean.length;
        this.variances = eig.values().clone();
        for (int i = 0; i < variances.length; i++) variances[i] = Math.max(0, variances[i]);   // rounding can give -1e-17
        this.components = eig.vectors();
    }

    /** PCA of {@code rows} points, {@code data} (rows, dim) row-major, with the Jacobi eigensolver. */
    public static Pca fit(float[] data, int rows, int dim) {
        if (data.length != rows * dim) {
            throw new IllegalArgumentException("data has " + data.length + " floats, expected rows*dim = " + rows + "*" + dim);
        }
        if (rows < 2) throw new IllegalArgumentException("PCA needs at least 2 rows, got " + rows);
        double[] mean = new double[dim];
        for (int r = 0; r < rows; r++) for (int j = 0; j < dim; j++) mean[j] += data[r * dim + j];
        for (int j = 0; j < dim; j++) mean[j] /= rows;
        double[][] cov = new double[dim][dim];
        double[] x = new double[dim];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dim; j++) x[j] = data[r * dim + j] - mean[j];
            for (int i = 0; i < dim; i++) for (int j = 0; j <= i; j++) cov[i][j] += x[i] * x[j];
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j <= i; j++) {
                cov[i][j] /= rows - 1;
                cov[j][i] = cov[i][j];
            }
        }
        return new Pca(mean, SymmetricEigen.jacobi(cov));
    }

    /** Variance along each component, descending (the eigenvalues of the covariance). */
    public double[] variances() {
        return variances.clone();
    }

    /** Fraction of the total variance explained by each component; sums to 1. */
    public double[] explainedVarianceRatio() {
        double total = 0;
        for (double v : variances) total += v;
        double[] out = new double[variances.length];
        for (int i = 0; i < out.length; i++) out[i] = total == 0 ? 0 : variances[i] / total;
        return out;
    }

    /** Unit vector of component k. */
    public double[] component(int k) {
        return components[k].clone();
    }

    /** Coordinates of a point on the first {@code k} components: {@code (x - mean) · component_i}. */
    public double[] project(float[] point, int offset, int k) {
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < dim; j++) s += (point[offset + j] - mean[j]) * components[c][j];
            out[c] = s;
        }
        return out;
    }
}
