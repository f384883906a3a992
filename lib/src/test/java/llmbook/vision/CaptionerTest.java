package llmbook.vision;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import llmbook.autograd.GradCheck;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.WordTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import org.junit.jupiter.api.Test;

class CaptionerTest {
    static final WordTokenizer WORDS = WordTokenizer.fit(String.join("\n", ShapeImages.scenes().stream().map(ShapeImages.Scene::caption).toList()), 100);
    static final int T = WORDS.encode(ShapeImages.scenes().get(0).caption()).length;

    @Test
    void aPrefixPerSequenceGivesEachRowTheLogitsOfItsOwnSharedPrefix() {
        Decoder d = new Decoder(TransformerConfig.gpt2(11).toBuilder().context(12).layers(1).heads(2).width(8).hidden(16).build(), new Rng(1));
        Tensor pre = Tensor.randn(new Rng(2), 2, 3, 8);
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] both = d.logits(pre, ids, 2, 5).toArray();
        for (int r = 0; r < 2; r++) {
            Tensor own = pre.slice(0, r, r + 1).reshape(3, 8).contiguous();
            float[] one = d.logits(own, java.util.Arrays.copyOfRange(ids, r * 5, r * 5 + 5), 1, 5).toArray();
            for (int i = 0; i < one.length; i++) assertEquals(one[i], both[r * one.length + i], 1e-5, "row " + r + " logit " + i);
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> d.logits(Tensor.randn(new Rng(3), 3, 3, 8), ids, 2, 5));
        assertTrue(bad.getMessage().contains("[3, 3, 8]") && bad.getMessage().contains("(2, P, 8)"), bad.getMessage());
    }

    @Test
    void gradientsReachEveryParameterThroughThePrefix() {
        Captioner c = Captioner.small(8, 4, WORDS, T, 8, 1, new Rng(1));
        var batch = ShapeImages.batch(ShapeImages.scenes().subList(0, 2), 8, 0.05f, WORDS::encode, T, new Rng(2));
        Tensor[] params = c.parameters().toArray(Tensor[]::new);
        var r = GradCheck.check(in -> c.loss(batch), 1e-2, 2e-2, params);
        assertTrue(r.ok(), r.toString());
        c.zeroGrad();
        c.loss(batch).backward();
        for (var e : c.namedParameters().entrySet())
            if (e.getKey().startsWith("vision.h") || e.getKey().startsWith("proj")) {
                float[] g = e.getValue().grad().toArray();
                assertTrue(java.util.stream.IntStream.range(0, g.length).anyMatch(i -> g[i] != 0), e.getKey() + " got no gradient");
            }
    }

    @Test
    void theConditionedModelIsTheCaptionersOwnForwardForOnePicture() {
        Captioner c = Captioner.small(8, 4, WORDS, T, 8, 1, new Rng(1));
        var batch = ShapeImages.batch(ShapeImages.scenes().subList(5, 7), 8, 0.05f, WORDS::encode, T, new Rng(2));
        c.train(false);
        int[] ids = java.util.Arrays.copyOfRange(batch.ids(), T, T + 4);                       // 4 caption tokens of picture 1
        float[] both = c.decoder().logits(c.prefix(batch.images(), 2), concat(ids, ids), 2, 4).toArray();
        float[] viaView = c.conditioned(java.util.Arrays.copyOfRange(batch.images(), 3 * 64, 6 * 64)).logits(ids, 1, 4).toArray();
        for (int i = 0; i < viaView.length; i++) assertEquals(both[viaView.length + i], viaView[i], 1e-5, "logit " + i);
        assertEquals(c.decoder().context() - c.prefixLength(), c.conditioned(java.util.Arrays.copyOf(batch.images(), 3 * 64)).context());
        assertEquals(5, c.prefixLength(), "[CLS] + 4 patches");
        float[] pos = c.namedParameters().get("vision.pos").data();
        double ss = 0;
        for (float v : pos) ss += v * v;
        assertEquals(Captioner.POSITION_STD, Math.sqrt(ss / pos.length), 0.15, "the ViT's positions start wide enough to tell patches apart");
        assertThrows(IllegalArgumentException.class, () -> new Captioner(c.vision(), c.decoder(), WordTokenizer.fit("a b", 10), new Rng(1)));
    }

    @Test
    void parseReadsEveryAttributeBackAndMarksMissingOnes() {
        for (ShapeImages.Scene s : ShapeImages.scenes()) assertEquals(s, ShapeImages.parse(s.caption()));
        ShapeImages.Scene p = ShapeImages.parse("a red thing on the top");
        assertEquals(-1, p.shape());
        assertEquals(-1, p.size());
        assertEquals(ShapeImages.COLOURS.indexOf("red"), p.colour());
        assertEquals(ShapeImages.POSITIONS.indexOf("top"), p.position());
        var ex = List.of(new ShapeImages.Example(new ShapeImages.Scene(0, 0, 0, 0), new float[0]), new ShapeImages.Example(new ShapeImages.Scene(1, 2, 1, 3), new float[0]));
        var score = Captioner.score(ex, List.of("a small red circle on the left", "a large blue circle on the bottom"));
        assertEquals(0.5, score.exact());
        assertEquals(0.5, score.shape());
        assertEquals(1.0, score.colour());
        assertEquals(1.0, score.position());
        assertEquals(0.5, score.shapeAndColour());
    }

    @Test
    void trainedWithTheOneTrainerItCaptionsFreshPicturesOfItsScenes() {
        var scenes = List.of(new ShapeImages.Scene(0, 0, 1, 0), new ShapeImages.Scene(1, 2, 1, 1), new ShapeImages.Scene(2, 1, 1, 2), new ShapeImages.Scene(3, 3, 1, 3));
        Captioner c = Captioner.small(16, 4, WORDS, T, 32, 1, new Rng(3));
        var tc = TrainConfig.reference().withSteps(120).withBatch(4).withLr(3e-3f).withWarmup(10).withThreads(2).withEvalInterval(120).withEvalBatches(1);
        var data = ShapeImages.batches(scenes, 16, 0.05f, WORDS::encode);
        new Trainer(c, tc, data, data, c::loss).label("captioner").run();
        var fresh = ShapeImages.sample(scenes, 12, 16, 0.05f, new Rng(9));
        Captioner.Score s = c.score(fresh, T + 2);
        assertTrue(s.exact() >= 0.75, "exact match on fresh renderings of 4 trained scenes (chance ≈ 0): " + s + " e.g. '" + c.caption(fresh.get(0).pixels(), T + 2) + "'");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
