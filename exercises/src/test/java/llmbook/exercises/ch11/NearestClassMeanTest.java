package llmbook.exercises.ch11;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import llmbook.grading.Exercise;
import llmbook.grading.Points;

@Exercise(id = "ch11.class_mean", title = "Nearest class mean on frozen features")
class NearestClassMeanTest {
    static final float[][] TRAIN = {{10, 3}, {10, 1}, {10, -3}};
    static final int[] LABELS = {0, 0, 1};

    @Test
    @Points(value = 2, hint = "the worked example: centred means (0, 5/3) and (0, −10/3); (10, 0.2) centres to (0, −0.133), class 1")
    void theWorkedExample() {
        assertArrayEquals(new int[] {1, 0, 1}, NearestClassMean.predict(TRAIN, LABELS, 2, new float[][] {{10, 0.2f}, {10, 2}, {9, -1}}));
    }

    @Test
    @Points(value = 2, hint = "centre with the mean of the TRAINING vectors only: a test vector's label must not depend on the rest of its batch")
    void centreOnTheTrainingSplit() {
        float[][] test = {{10, 0.2f}, {10, 0.5f}, {10, 0.6f}};
        assertArrayEquals(new int[] {1, 0, 0}, NearestClassMean.predict(TRAIN, LABELS, 2, test));
        for (float[] t : test)
            assertEquals(NearestClassMean.predict(TRAIN, LABELS, 2, test)[indexOf(test, t)],
                    NearestClassMean.predict(TRAIN, LABELS, 2, new float[][] {t})[0], "alone vs in a batch");
    }

    @Test
    @Points(value = 2, hint = "hidden clusters behind a large shared offset: average per class (not sum), compare by cosine after centring")
    void hiddenClusters() {
        Random r = new Random(45);
        int d = 16, classes = 4;
        float[][] centres = new float[classes][d];
        float[] offset = new float[d];
        for (int j = 0; j < d; j++) offset[j] = 20 + 5 * (float) r.nextGaussian();
        for (float[] c : centres) for (int j = 0; j < d; j++) c[j] = (float) r.nextGaussian();
        int[] perClass = {2, 9, 4, 6};  // unequal counts: summing instead of averaging favours the big class
        int nTrain = 0;
        for (int c : perClass) nTrain += c;
        float[][] train = new float[nTrain][];
        int[] labels = new int[nTrain];
        for (int k = 0, i = 0; k < classes; k++)
            for (int m = 0; m < perClass[k]; m++, i++) { train[i] = sample(r, offset, centres[k], 0.3); labels[i] = k; }
        float[][] test = new float[40][];
        int[] want = new int[40];
        for (int i = 0; i < 40; i++) { want[i] = i % classes; test[i] = sample(r, offset, centres[want[i]], 0.3); }
        assertArrayEquals(want, NearestClassMean.predict(train, labels, classes, test));
    }

    private static float[] sample(Random r, float[] offset, float[] centre, double noise) {
        float[] v = new float[offset.length];
        for (int j = 0; j < v.length; j++) v[j] = offset[j] + centre[j] + (float) (noise * r.nextGaussian());
        return v;
    }

    private static int indexOf(float[][] a, float[] x) {
        for (int i = 0; i < a.length; i++) if (a[i] == x) return i;
        return -1;
    }
}
