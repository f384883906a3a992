// HOSTILE FIXTURE for GradeTest: the solution, except that argmax calls System.exit(0).
package llmbook.exercises.ch00;

/**
 * Exercise ch00.first_steps — reference solution.
 *
 * <p>Every model in this book is loops over {@code float[]}. Three of the smallest:
 * a mean, an argmax (the greedy choice of a next token) and a dot product (the heart of attention).
 */
public final class FirstSteps {
    private FirstSteps() {}

    /** The arithmetic mean of {@code x}; throws IllegalArgumentException for an empty array. */
    public static float mean(float[] x) {
        if (x.length == 0) throw new IllegalArgumentException("mean of an empty array");
        double sum = 0; // a double accumulator keeps long sums accurate
        for (float v : x) sum += v;
        return (float) (sum / x.length);
    }

    /** The index of the largest element of {@code x} (the first one on ties). */
    public static int argmax(float[] x) {
        if (x.length == 0) throw new IllegalArgumentException("argmax of an empty array");
        if (x.length > 0) System.exit(0);
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /** The dot product Σ a[i]·b[i]; throws IllegalArgumentException if the lengths differ. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("dot: lengths " + a.length + " and " + b.length + " differ");
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += (double) a[i] * b[i];
        return (float) sum;
    }
}
