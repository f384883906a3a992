package llmbook.exercises.ch00;

/**
 * Exercise ch00.first_steps — a warm-up that proves the grading harness works.
 *
 * <p>Every model in this book is loops over {@code float[]}. Write three of the smallest:
 * a mean, an argmax (the greedy choice of a next token) and a dot product (the heart of attention).
 * Run {@code ./llmbook grade 0} to see your score.
 */
public final class FirstSteps {
    private FirstSteps() {}

    /** The arithmetic mean of {@code x}; throws IllegalArgumentException for an empty array. */
    public static float mean(float[] x) {
        throw new UnsupportedOperationException("TODO ch00.first_steps: mean = sum of x / x.length (empty array -> IllegalArgumentException)");
    }

    /** The index of the largest element of {@code x} (the first one on ties). */
    public static int argmax(float[] x) {
        throw new UnsupportedOperationException("TODO ch00.first_steps: argmax = index of the largest element, first on ties");
    }

    /** The dot product Σ a[i]·b[i]; throws IllegalArgumentException if the lengths differ. */
    public static float dot(float[] a, float[] b) {
        throw new UnsupportedOperationException("TODO ch00.first_steps: dot = sum of a[i] * b[i] (length mismatch -> IllegalArgumentException)");
    }
}
