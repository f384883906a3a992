package llmbook.train;

import llmbook.model.TestModels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbook.io.SafeTensors;
import llmbook.model.Checkpoint;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.sample.Generator;
import llmbook.sample.Sampler;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
    @TempDir Path dir;

    static final String TEXT = "the cat sat on the mat. the dog sat on the log. ".repeat(40);

    @Test
    void warmupThenCosineHitsTheHandWorkedValues() {
        LrSchedule s = new LrSchedule(1e-3f, 1e-4f, 10, 110);
        assertEquals(1e-4f, s.lr(0), 1e-9f);            // (0 + 1) / 10 of the peak
        assertEquals(1e-3f, s.lr(9), 1e-9f);            // end of warm-up
        assertEquals(1e-3f, s.lr(10), 1e-9f);           // cosine starts at the peak
        assertEquals(5.5e-4f, s.lr(60), 1e-9f);         // halfway: the mean of peak and floor
        assertEquals(1e-4f, s.lr(110), 1e-9f);          // the floor at the end
        assertEquals(1e-4f, s.lr(500), 1e-9f);          // and after it
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1e-3f, 1e-2f, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1e-3f, 0f, 20, 10));
    }

    private static TrainConfig config(int steps) {
        return TrainConfig.reference().withSteps(steps).withBatch(4).withLr(3e-3f).withWarmup(5).withEvalInterval(10).withEvalBatches(2)
                .withSeed(99).withThreads(1);
    }

    private static double[] losses(int steps) {
        CharTokenizer tok = CharTokenizer.fit(TEXT);
        int[] ids = tok.encode(TEXT);
        Decoder gpt = new Decoder(TestModels.gpt(tok.vocabSize(), 16, 1, 2, 16, 0f), new Rng(3));
        return new Trainer(gpt, config(steps), ids, ids).run(null).doubleColumn("train_loss").asDoubleArray();
    }

    @Test
    void sameSeedAndThreadsGiveTheSameLossCurveAndItFalls() {
        double[] a = losses(30), b = losses(30);
        assertArrayEquals(a, b, "same seed, one thread: identical curves");
        assertTrue(a[29] < a[0] - 0.5, "a repetitive text is learned quickly: " + a[0] + " -> " + a[29]);
    }

    @Test
    void checkpointRoundTripsAndGreedyGenerationIsRepeatable() throws IOException {
        CharTokenizer tok = CharTokenizer.fit(TEXT);
        Decoder gpt = new Decoder(TestModels.gpt(tok.vocabSize(), 16, 1, 2, 16, 0f), new Rng(4));
        new Trainer(gpt, config(20), tok.encode(TEXT), tok.encode(TEXT)).run(null);
        Checkpoint.save(dir, gpt, tok, Map.of("steps", "20"));
        Checkpoint.Loaded back = Checkpoint.load(dir);
        int[] prompt = tok.encode("the ");
        int[] a = new Generator(gpt).greedy(prompt, 20);
        int[] b = new Generator(back.model()).greedy(prompt, 20);
        assertArrayEquals(a, b, "the loaded model generates exactly what the saved one did (greedy)");
        assertEquals("20", back.metadata().get("steps"));
        int[] sampled = new Generator(back.model()).generate(prompt, 30, Sampler.of(1f, 5, 0.9f, new Rng(7)));
        assertEquals(34, sampled.length);
        assertArrayEquals(sampled, new Generator(back.model()).generate(prompt, 30, Sampler.of(1f, 5, 0.9f, new Rng(7))), "seeded sampling repeats");
    }

    @Test
    void aCheckpointWithAWrongShapeIsRefusedNamingBothShapes() throws IOException {
        CharTokenizer tok = CharTokenizer.fit(TEXT);
        Decoder gpt = new Decoder(TestModels.gpt(tok.vocabSize(), 16, 1, 2, 16, 0f), new Rng(4));
        Checkpoint.save(dir, gpt, tok, Map.of());
        Map<String, SafeTensors.Entry> w = new java.util.LinkedHashMap<>(SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS)).tensors());
        w.put("wpe.weight", new SafeTensors.Entry(new int[] {8, 16}, new float[8 * 16]));
        SafeTensors.write(dir.resolve(Checkpoint.WEIGHTS), w, Map.of());
        var e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("[8, 16]") && e.getMessage().contains("[16, 16]"), e.getMessage());
        Files.delete(dir.resolve(Checkpoint.TOKENIZER));
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(dir)).getMessage().contains("tokenizer.json"));
    }
}
