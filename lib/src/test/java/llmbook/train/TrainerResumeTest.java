package llmbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import llmbook.util.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerResumeTest {
    @TempDir Path dir;

    static final String TEXT = "the cat sat on the mat. the dog sat on the log. a cat and a dog. ".repeat(30);
    static final CharTokenizer TOK = CharTokenizer.fit(TEXT);
    static final int[] IDS = TOK.encode(TEXT);
    // dropout on, so the dropout RNG must be restored too; two micro-batches per step
    static final GptConfig MODEL = new GptConfig(TOK.vocabSize(), 16, 1, 2, 16, 0.1f);

    static TrainConfig config(int steps) {
        return new TrainConfig(steps, 3, 3e-3f, 4, 0.1f, 0.9f, 0.99f, 1f, 5, 2, 42L, 1, 2, 0);
    }

    static Trainer trainer(TrainConfig c) { return new Trainer(new Gpt(MODEL, new Rng(5)), c, IDS, IDS); }

    static double[] col(Trainer t, String name) { return t.metrics().doubleColumn(name).asDoubleArray(); }

    @Test
    void aResumedRunContinuesTheSameLossCurveBitForBit() throws IOException {
        Trainer straight = trainer(config(20));
        straight.run(null);

        Trainer first = trainer(config(20));
        first.runUntil(10, null);
        Path f = dir.resolve(TrainState.FILE);
        first.save(f, Map.of("note", "half-way"));
        Trainer second = trainer(config(20));                           // a fresh process: new model, new optimizer
        assertEquals("half-way", second.resume(f).get("note"));
        assertEquals(10, second.step());
        assertEquals(10, second.optimizer().steps());
        second.run(null);

        assertArrayEquals(col(straight, "train_loss"), col(second, "train_loss"), "train loss, every step");
        assertArrayEquals(col(straight, "val_loss"), col(second, "val_loss"), "validation loss, every evaluation");
        assertArrayEquals(col(straight, "lr"), col(second, "lr"));
        var a = straight.model().parameters();
        var b = second.model().parameters();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data(), "final weights " + i);
    }

    // issue 10, item 10: saves happen mid-run (at each evaluation), and elapsed_s goes on from them after a resume
    @Test
    void elapsedTimeContinuesAfterAResume() throws IOException {
        Path f = dir.resolve(TrainState.FILE);
        Trainer first = trainer(config(20));
        first.runUntil(10, m -> {
            try {
                first.save(f, Map.of());                                 // as ./llmbook train does, from inside the run
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        double before = col(first, "elapsed_s")[9];
        assertTrue(before > 0);
        Trainer second = trainer(config(20));
        second.resume(f);
        second.run(null);
        double[] elapsed = col(second, "elapsed_s");
        assertEquals(before, elapsed[9], "restored with the metrics");
        for (int i = 10; i < 20; i++) assertTrue(elapsed[i] >= before, "step " + (i + 1) + ": " + elapsed[i] + " < " + before);
    }

    @Test
    void accumulatingTwoHalfBatchesIsOneFullBatch() {
        // the batch RNG draws the same 6 windows either way: as one batch of 6, or as two micro-batches of 3
        TrainConfig full = new TrainConfig(1, 6, 1e-3f, 0, 0f, 0.9f, 0.99f, 1e6f, 1, 1, 7L, 1, 1, 0);
        TrainConfig acc = new TrainConfig(1, 3, 1e-3f, 0, 0f, 0.9f, 0.99f, 1e6f, 1, 1, 7L, 1, 2, 0);
        GptConfig noDrop = new GptConfig(TOK.vocabSize(), 16, 1, 2, 16, 0f);
        Trainer a = new Trainer(new Gpt(noDrop, new Rng(5)), full, IDS, IDS), b = new Trainer(new Gpt(noDrop, new Rng(5)), acc, IDS, IDS);
        a.run(null);
        b.run(null);
        assertEquals(col(a, "train_loss")[0], col(b, "train_loss")[0], 1e-5, "the reported loss is the mean over micro-batches");
        var pa = a.model().parameters();
        var pb = b.model().parameters();
        for (int i = 0; i < pa.size(); i++) {
            float[] ga = pa.get(i).grad().data(), gb = pb.get(i).grad().data();
            for (int j = 0; j < ga.length; j++) assertEquals(ga[j], gb[j], 1e-5f, "gradient of parameter " + i + " at " + j);
        }
    }

    @Test
    void earlyStoppingStopsAndPutsTheBestWeightsBack() {
        // a tiny training slice and a different validation text: the model memorises the slice and val loss rises
        int[] train = Arrays.copyOf(IDS, 40);
        int[] val = TOK.encode("a dog and a cat sat on a log and a mat. ".repeat(3));
        TrainConfig c = new TrainConfig(400, 4, 1e-2f, 0, 0f, 0.9f, 0.99f, 1f, 5, 2, 3L, 1, 1, 3);
        Trainer t = new Trainer(new Gpt(new GptConfig(TOK.vocabSize(), 16, 1, 2, 32, 0f), new Rng(5)), c, train, val);
        t.run(null);
        assertTrue(t.stoppedEarly(), "stopped before step 400: at " + t.step());
        assertEquals(t.bestStep() + 3 * 5, t.step(), "three evaluations (5 steps apart) after the best one");
        assertEquals(t.bestValLoss(), t.evaluate(16), 1e-9, "the model holds the best weights again");
        assertTrue(t.finished());
    }

    @Test
    void sameSeedAndThreadCountGiveTheSameCurve() {
        Trainer a = trainer(config(12)), b = trainer(config(12));
        a.run(null);
        b.run(null);
        assertArrayEquals(col(a, "train_loss"), col(b, "train_loss"));
        assertArrayEquals(col(a, "val_loss"), col(b, "val_loss"));
    }

    @Test
    void badCheckpointsAreRefusedWithTheReason() throws IOException {
        Trainer t = trainer(config(20));
        t.runUntil(5, null);
        Path f = dir.resolve(TrainState.FILE);
        t.save(f, Map.of());
        byte[] good = Files.readAllBytes(f);

        Files.write(f, Arrays.copyOf(good, good.length - 100));
        assertMessage(f, config(20), MODEL, "truncated");

        byte[] flipped = good.clone();
        flipped[flipped.length - 7] ^= 0x40;                            // one bit of one weight
        Files.write(f, flipped);
        assertMessage(f, config(20), MODEL, "corrupt");

        Files.write(f, good);
        assertMessage(f, config(20), new GptConfig(TOK.vocabSize(), 16, 1, 2, 24, 0.1f), "width=16");
        assertMessage(f, config(30), MODEL, "saved steps=20, now steps=30");
        assertMessage(dir.resolve("nothing-here"), config(20), MODEL, "no training checkpoint");

        Files.writeString(f, "not a checkpoint at all, just text");
        assertMessage(f, config(20), MODEL, "header length");
    }

    @Test
    void aCrashWhileSavingLeavesTheLastGoodCheckpoint() throws IOException {
        Trainer t = trainer(config(20));
        t.runUntil(5, null);
        Path f = dir.resolve(TrainState.FILE);
        t.save(f, Map.of());
        byte[] good = Files.readAllBytes(f);
        t.runUntil(8, null);
        // the writer dies half-way through the new file
        assertThrows(IOException.class, () -> AtomicFiles.replace(f, tmp -> {
            Files.write(tmp, Arrays.copyOf(good, good.length / 2));
            throw new IOException("simulated crash");
        }));
        assertArrayEquals(good, Files.readAllBytes(f), "the previous checkpoint is untouched");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        Trainer back = trainer(config(20));
        back.resume(f);
        assertEquals(5, back.step());
        assertFalse(back.finished());
    }

    private static void assertMessage(Path f, TrainConfig c, GptConfig m, String expected) {
        Trainer t = new Trainer(new Gpt(m, new Rng(5)), c, IDS, IDS);
        float[] before = t.model().parameters().get(0).data().clone();
        IOException e = assertThrows(IOException.class, () -> t.resume(f));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertArrayEquals(before, t.model().parameters().get(0).data(), "a refused checkpoint changes nothing");
        assertEquals(0, t.step());
    }

}
