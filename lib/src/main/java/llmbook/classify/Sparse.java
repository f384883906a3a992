package llmbook.classify;

import java.util.Arrays;

/**
 * One row of a sparse feature matrix: the columns that are not zero, increasing, and their values. A bag of words
 * of a 2,000-word e-mail over a 20,000-word vocabulary holds a few hundred entries, not 20,000.
 * <pre>
 *   "the cat saw the dog" over vocab {the:0, cat:1, dog:2, saw:3}  →  index [0, 1, 2, 3], value [2, 1, 1, 1]
 * </pre>
 */
public record Sparse(int[] index, double[] value) {
    public Sparse {
        if (index.length != value.length)
            throw new IllegalArgumentException("Sparse: " + index.length + " indices but " + value.length + " values");
        for (int i = 1; i < index.length; i++)
            if (index[i] <= index[i - 1]) throw new IllegalArgumentException("Sparse: indices must increase, got " + index[i - 1] + " then " + index[i]);
    }

    /** A dense vector as a sparse row (every column stored): how frozen encoder features enter the same classifiers. */
    public static Sparse dense(double[] x) {
        int[] idx = new int[x.length];
        for (int i = 0; i < x.length; i++) idx[i] = i;
        return new Sparse(idx, x.clone());
    }

    /** Number of stored entries. */
    public int size() { return index.length; }

    /** Σ value: the word count of a bag of words. */
    public double total() { return Arrays.stream(value).sum(); }

    /** Largest column index + 1 (0 for an empty row). */
    public int width() { return index.length == 0 ? 0 : index[index.length - 1] + 1; }

    /** x · w for a dense weight vector {@code w} starting at {@code offset}. */
    public double dot(double[] w, int offset) {
        double s = 0;
        for (int i = 0; i < index.length; i++) s += value[i] * w[offset + index[i]];
        return s;
    }

    /** The dense form of this row, {@code width} columns. */
    public double[] toDense(int width) {
        double[] d = new double[width];
        for (int i = 0; i < index.length; i++) {
            if (index[i] >= width) throw new IllegalArgumentException("Sparse: column " + index[i] + " outside a width of " + width);
            d[index[i]] = value[i];
        }
        return d;
    }
}
