package llmbook.exercises.ch12;

/**
 * Exercise ch12.weat — the WEAT effect size (Caliskan et al. 2017). Q48.
 *
 * <p>Goal: how much more the target words X (say, career words) lean toward attribute set A (male names) than the
 * target words Y (family words) do, in standard deviations. For one word w, its lean is its mean cosine similarity to
 * the words of A minus its mean cosine similarity to the words of B. The effect size is the mean lean over X minus the
 * mean lean over Y, divided by the sample standard deviation (n − 1) of the leans of all the words of X and Y together.
 *
 * <p>Worked example (2-d vectors): X = {(1,0)}, Y = {(0,1)}, A = {(1,0)}, B = {(0,1)}: leans +1 and −1, mean
 * difference 2, sample std √2, effect size √2 ≈ 1.414. Swapping A and B flips the sign.
 * Run {@code ./llmbook grade 12} to see your score.
 */
public final class Weat {
    private Weat() {}

    public static double effectSize(float[][] X, float[][] Y, float[][] A, float[][] B) {
        throw new UnsupportedOperationException("TODO ch12.weat: lean(w) = mean cos(w, A) − mean cos(w, B); (mean_X − mean_Y) / std_{X∪Y}");
    }
}
