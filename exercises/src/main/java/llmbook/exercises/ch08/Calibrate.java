package llmbook.exercises.ch08;

/**
 * Exercise ch08.calibrate — "calibrate before use": remove a prompt's label bias measured on a content-free input. Q22.
 *
 * <p>A few-shot prompt makes a model lean towards some labels whatever the input. Zhao et al. (2021) measure the lean by
 * asking the same prompt about a content-free input such as {@code "N/A"}: an unbiased model would give it a uniform
 * distribution over the labels. {@link #calibrate} rescales a real input's label probabilities so that the content-free
 * input's would have become uniform, and renormalises them to sum to 1; {@link #predict} returns the label index with the
 * largest calibrated probability (equal values: the smaller index). Arrays of different lengths are an
 * {@link IllegalArgumentException} naming both lengths.
 *
 * <p>Worked example: the prompt gives "N/A" the probabilities {@code [0.8, 0.2]} (it leans four to one towards label 0).
 * An input scored {@code [0.6, 0.4]} looks like label 0, but against that lean it is evidence for label 1: calibrated it
 * is {@code [0.6/0.8, 0.4/0.2] = [0.75, 2.0]}, renormalised {@code [0.2727…, 0.7273…]}, and {@code predict} gives 1.
 * Run {@code ./llmbook grade 8} to see your score.
 */
public final class Calibrate {
    private Calibrate() {}

    public static double[] calibrate(double[] contentFree, double[] probs) {
        throw new UnsupportedOperationException("TODO ch08.calibrate: rescale so the content-free input would be uniform, renormalise");
    }

    public static int predict(double[] contentFree, double[] probs) {
        throw new UnsupportedOperationException("TODO ch08.calibrate: the label with the largest calibrated probability");
    }
}
