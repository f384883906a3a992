package llmbook.vision;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.WordTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class ClipTest {
    @Test
    void clipLossGradientsIncludingTheTemperature() {
        Tensor i = Tensor.randn(new Rng(1), 5, 4).requiresGrad(true), t = Tensor.randn(new Rng(2), 5, 4).requiresGrad(true);
        Tensor s = Tensor.full(0.7f, 1).requiresGrad(true);
        var r = GradCheck.check(in -> ClipLoss.loss(in[0], in[1], in[2]), i, t, s);
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void lossIsLnBWhenNothingIsDistinguishedAndSmallWhenPairsMatch() {
        Tensor same = Tensor.ones(6, 3);
        assertEquals(Math.log(6), ClipLoss.loss(same, same, Tensor.full(2f, 1)).item(), 1e-5);
        float[] eye = new float[36];
        for (int k = 0; k < 6; k++) eye[k * 6 + k] = 1f;
        Tensor e = Tensor.of(eye, 6, 6);
        double matched = ClipLoss.loss(e, e, Tensor.full((float) Math.log(100), 1)).item();
        assertTrue(matched < 1e-3, "perfectly matched pairs at scale 100: " + matched);
        // by hand: S = 100·I, each row CE = −log(e^100 / (e^100 + 5)) ≈ 5·e^−100
        var bad = assertThrows(IllegalArgumentException.class, () -> ClipLoss.loss(Tensor.ones(3, 2), Tensor.ones(4, 2), Tensor.full(1f, 1)));
        assertTrue(bad.getMessage().contains("[3, 2]") && bad.getMessage().contains("[4, 2]"), bad.getMessage());
    }

    @Test
    void patchifyKeepsEachPatchTogetherChannelMajor() {
        PatchEmbedding pe = new PatchEmbedding(4, 2, 3, 5, new Rng(1));
        float[] img = new float[3 * 16];
        for (int i = 0; i < img.length; i++) img[i] = i;                 // value = c·16 + y·4 + x
        float[] p = pe.patchify(img, 1);
        assertEquals(4 * 12, p.length);
        // patch 1 = top-right: rows 0-1, columns 2-3; channel 0 first
        assertArrayEquals(new float[] {2, 3, 6, 7, 18, 19, 22, 23, 34, 35, 38, 39}, java.util.Arrays.copyOfRange(p, 12, 24));
        assertThrows(IllegalArgumentException.class, () -> new PatchEmbedding(10, 3, 3, 5, new Rng(1)));
    }

    @Test
    void visionTransformerGradientsReachPatchesClsAndPositions() {
        Clip clip = Clip.small(8, 4, 7, 3, 8, 1, 6, new Rng(3));
        float[] img = ShapeImages.render(new ShapeImages.Scene(0, 0, 1, 0), 8, 0.1f, new Rng(4));
        VisionTransformer v = clip.vision();
        var ps = v.namedParameters();
        Rng r0 = new Rng(5);                      // unit-scale cls and positions: at N(0, 0.02) the first LayerNorm sees a near-zero vector
        for (String n : new String[] {"cls", "pos"}) { float[] d = ps.get(n).data(); for (int i = 0; i < d.length; i++) d[i] = r0.nextGaussian(); }
        var r = GradCheck.check(in -> v.forward(img, 1), ps.get("cls"), ps.get("pos"), ps.get("patch.proj.weight"));
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void rendersTheAskedColourWhereTheShapeIs() {
        float[] px = ShapeImages.render(new ShapeImages.Scene(1, 0, 1, 0), 16, 0f, new Rng(1));   // large red square on the left
        int S = 16, at = 8 * S + 4;                                           // row 8, column 4: inside it
        assertTrue(px[at] > 0.3f && px[S * S + at] < 0f && px[2 * S * S + at] < 0f, "red at the left centre");
        int far = 8 * S + 14;                                                 // right edge: background grey
        assertEquals(128 / 255f - 0.5f, px[far], 1e-6f);
        assertEquals("a large red square on the left", new ShapeImages.Scene(1, 0, 1, 0).caption());
        assertEquals(128, ShapeImages.scenes().size());
    }

    @Test
    void hardNegativeBatchesGroupScenesThatDifferOnlyInShape() {
        var scenes = ShapeImages.scenes();
        var b = ShapeImages.batches(scenes, 8, 0f, s -> new int[] {s.length()}, true).next(new Rng(1), 8).scenes();
        assertEquals(8, b.size());
        assertEquals(8, b.stream().distinct().count(), "distinct scenes");
        var first = b.get(0);
        assertEquals(4, b.stream().filter(s -> s.colour() == first.colour() && s.size() == first.size() && s.position() == first.position()).count(),
                "the first scene brings its three other shapes: " + b);
        var plain = ShapeImages.batches(scenes, 8, 0f, s -> new int[] {s.length()}, false).next(new Rng(1), 8).scenes();
        assertEquals(8, plain.stream().distinct().count());
    }

    @Test
    void aFewStepsOfTrainingLowerTheContrastiveLoss() {
        var scenes = ShapeImages.scenes();
        WordTokenizer tok = WordTokenizer.fit(String.join("\n", scenes.stream().map(ShapeImages.Scene::caption).toList()), 100);
        var batches = ShapeImages.batches(scenes, 8, 0.05f, tok::encode);
        int T = tok.encode(scenes.get(0).caption()).length;
        Clip clip = Clip.small(8, 4, tok.vocabSize(), T, 16, 1, 16, new Rng(5));
        var fixed = ShapeImages.batch(scenes.subList(0, 16), 8, 0.05f, tok::encode, T, new Rng(6));
        double before = clip.loss(fixed).item();
        new Trainer(clip, TrainConfig.reference().withSteps(40).withBatch(16).withLr(3e-3f).withWarmup(5).withThreads(1).withEvalInterval(40).withEvalBatches(1),
                batches, batches, clip::loss).run();
        double after = clip.loss(fixed).item();
        assertTrue(before > Math.log(16) - 0.3, "at random initialisation the loss is about ln B or above: " + before);
        assertTrue(after < before - 0.5, before + " -> " + after);
        assertEquals(List.of(16), List.of(Clip.classify(clip.embedImages(fixed.images(), 16), clip.embedTexts(fixed.ids(), 16, T)).length));
    }
}
