package llmbook.exercises.ch11;

/**
 * Exercise ch11.clip — CLIP's contrastive loss. Q44.
 *
 * <p>Row i of {@code images} and row i of {@code texts} are a matching image and caption. Scale every row to unit
 * length, score every image against every caption by their dot product times {@code exp(logScale)}, and ask two
 * B-way classifications: each image must pick its own caption (cross-entropy along a row), and each caption its own
 * image (along a column). The loss is the average of the two mean cross-entropies.
 * Worked example: if all rows are equal, every score is the same and the loss is ln B whatever the scale; for
 * B = 2 identical-but-for-sign pairs {@code images = texts = [[1, 0], [-1, 0]]} at logScale = 0 the scores are
 * {@code [[1, −1], [−1, 1]]} and the loss is {@code ln(1 + e^−2)} ≈ 0.1269.
 */
public final class ClipContrastive {
    private ClipContrastive() {}

    public static double loss(double[][] images, double[][] texts, double logScale) {
        throw new UnsupportedOperationException("TODO ch11.clip: unit rows, scaled similarities, cross-entropy along rows and along columns, averaged");
    }
}
