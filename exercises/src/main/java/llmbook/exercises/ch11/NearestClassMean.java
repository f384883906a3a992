package llmbook.exercises.ch11;

/**
 * Exercise ch11.class_mean — the cheapest way to use a frozen foundation model: classify its feature vectors by the
 * nearest class mean. Q45.
 *
 * <p>Goal: a pretrained encoder (CLIP's image tower, MiniLM) is frozen; you have its feature vectors for a few
 * labelled examples and want labels for new ones, with no training at all. Features of such encoders share a large
 * common direction, so first centre: subtract the mean feature of the <em>labelled training</em> vectors (only
 * those: a test vector must get the same label whether it arrives alone or in a batch). Then average the centred
 * training vectors of each class, and give each test vector the class whose mean has the highest cosine
 * similarity with the centred test vector. Ties go to the smaller class index.
 *
 * <p>Worked example: training vectors (10, 3) and (10, 1) of class 0 and (10, −3) of class 1; their mean is
 * (10, 1/3). Centred, class 0 has mean (0, 5/3) and class 1 has (0, −10/3). The test vector (10, 0.2) centres to
 * (0, −0.133): class 1. Without centring it would point almost exactly along both raw means and go to class 0.
 * Run {@code ./llmbook grade 11} to see your score.
 */
public final class NearestClassMean {
    private NearestClassMean() {}

    /** Labels 0..classes−1 for each row of {@code test}, from the labelled rows of {@code train}. */
    public static int[] predict(float[][] train, int[] labels, int classes, float[][] test) {
        throw new UnsupportedOperationException("TODO ch11.class_mean: centre by the training mean, class means, highest cosine");
    }
}
