package llmbook.vision;

import static org.junit.jupiter.api.Assertions.*;

import llmbook.tensor.Rng;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class ImageClassifierTest {
    @Test
    void aProbeTrainsOnlyItsHeadAndLearnsColours() {
        Clip clip = Clip.small(8, 4, 5, 3, 16, 1, 8, new Rng(1));
        ImageClassifier probe = new ImageClassifier(clip.vision(), 4, new Rng(2)).probe();
        assertEquals(16 * 4 + 4, probe.numTrainable());
        float[] before = clip.vision().namedParameters().get("patch.proj.weight").toArray();
        var data = ShapeImages.sample(ShapeImages.scenes(), 64, 8, 0.02f, new Rng(3));
        double chance = probe.accuracy(data, ShapeImages.Scene::colour);
        new Trainer(probe, TrainConfig.reference().withSteps(60).withBatch(16).withLr(1e-2f).withWarmup(5).withThreads(1).withEvalInterval(60).withEvalBatches(1),
                ImageClassifier.batches(data, ShapeImages.Scene::colour), null, probe::loss).run();
        assertArrayEquals(before, clip.vision().namedParameters().get("patch.proj.weight").toArray(), "the encoder is frozen");
        double after = probe.accuracy(data, ShapeImages.Scene::colour);
        assertTrue(after > 0.5 && after > chance, "colour from a random frozen ViT's [CLS]: " + chance + " -> " + after);
    }

    @Test
    void fromScratchEveryWeightLearns() {
        Clip clip = Clip.small(8, 4, 5, 3, 16, 1, 8, new Rng(1));
        ImageClassifier c = new ImageClassifier(clip.vision(), 4, new Rng(2));
        assertEquals(clip.vision().numParameters() + 16 * 4 + 4, c.numTrainable());
        var bad = assertThrows(IllegalArgumentException.class, () -> ImageClassifier.batches(java.util.List.of(), ShapeImages.Scene::shape));
        assertTrue(bad.getMessage().contains("no labelled examples"));
    }
}
