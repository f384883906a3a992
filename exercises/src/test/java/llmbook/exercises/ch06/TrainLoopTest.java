package llmbook.exercises.ch06;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import llmbook.grading.Exercise;
import llmbook.grading.Points;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.optim.AdamW;
import llmbook.optim.Optimizer;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.train.Evaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Exercise(id = "ch06.train_loop", title = "Assemble the training loop (must reach a loss threshold)")
class TrainLoopTest {
    static final String TEXT = "the cat sat on the mat. the dog sat on the log. a cat and a dog sat on a mat. ";

    /** The tiny corpus as character ids, and its vocabulary size. */
    static int[] ids(int repeats) {
        String s = TEXT.repeat(repeats);
        String vocab = s.chars().distinct().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.chars().map(vocab::indexOf).toArray();
    }

    static int vocab() { return (int) TEXT.chars().distinct().count(); }

    static Decoder model(long seed) {
        return new Decoder(TransformerConfig.gpt2(vocab()).withContext(8).withLayers(1).withShape(2, 16, 64), new Rng(seed));
    }

    /** AdamW that records the learning rate of every step. */
    static final class Spy extends Optimizer {
        final AdamW inner;
        final List<Float> lrs = new ArrayList<>();
        Spy(List<ParamGroup> g, float lr) { super(g, lr); inner = new AdamW(g, lr); }
        @Override public void step() { lrs.add(lr); inner.setLr(lr); inner.step(); }
    }

    static Spy spy(Decoder m, float lr) { return new Spy(List.of(new ParamGroup(m.parameters(), 0.01f)), lr); }

    @Test
    @Points(value = 2, hint = "each row is a window of the stream; the target at a position is the NEXT token; windows start at random places and never run past the end")
    void batchesAreShiftedWindows() {
        int[] ids = new int[50];
        for (int i = 0; i < ids.length; i++) ids[i] = 100 + i;                 // id = 100 + its position
        Random rng = new Random(1);
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        for (int rep = 0; rep < 40; rep++) {
            int[][] xy = TrainLoop.batch(ids, 4, 7, rng);
            assertEquals(28, xy[0].length, "x is B·T");
            assertEquals(28, xy[1].length, "y is B·T");
            for (int r = 0; r < 4; r++) {
                int s = xy[0][r * 7] - 100;
                starts.add(s);
                assertTrue(s >= 0 && s + 7 < 50, "window at " + s + " runs past the end (its last target must exist)");
                for (int i = 0; i < 7; i++) {
                    assertEquals(100 + s + i, xy[0][r * 7 + i], "row " + r + " of x is a contiguous window");
                    assertEquals(100 + s + i + 1, xy[1][r * 7 + i], "row " + r + ": y is x shifted by one token");
                }
            }
        }
        assertTrue(starts.size() > 20, "windows start at random places: only " + starts.size() + " distinct starts in 160 windows");
        assertTrue(starts.contains(42) || starts.contains(41) || starts.contains(0) || starts.contains(1), "windows reach both ends of the stream");
    }

    @Test
    @Points(value = 1, hint = "warm up linearly over the first 10% of the steps, peak, then half a cosine down to peak/10 at the last step")
    void schedule() {
        assertEquals(0.1, TrainLoop.lr(0, 100, 1), 1e-9, "step 0 of 100: the first of 10 warm-up steps");
        assertEquals(1.0, TrainLoop.lr(9, 100, 1), 1e-9, "the end of warm-up is the peak");
        assertEquals(0.1, TrainLoop.lr(99, 100, 1), 1e-9, "the last step is at peak/10");
        assertEquals(0.55, TrainLoop.lr(54, 100, 1), 1e-2, "half-way through the decay: the mean of peak and peak/10");
        for (int s = 10; s < 99; s++) assertTrue(TrainLoop.lr(s + 1, 100, 1) <= TrainLoop.lr(s, 100, 1), "decays monotonically at step " + s);
        assertEquals(3e-3, TrainLoop.lr(0, 5, 3e-3), 1e-12, "5 steps: warm-up lasts one step");
    }

    @Test
    @Points(value = 2, hint = "zero the gradients before backward: after a step, the gradients are those of that batch alone; and return the loss")
    void oneStepIsOneBatch() {
        Decoder m = model(3), ref = model(3);
        int[] ids = ids(4);
        int[][] a = TrainLoop.batch(ids, 2, 8, new Random(5)), b = TrainLoop.batch(ids, 2, 8, new Random(6));
        Spy opt = spy(m, 0f);                                                 // lr 0: the weights stay put
        TrainLoop.step(m, opt, a[0], a[1], 2, 8);
        double loss = TrainLoop.step(m, opt, b[0], b[1], 2, 8);
        assertEquals(2, opt.lrs.size(), "one optimizer step per call");
        Tensor l = ref.loss(b[0], b[1], 2, 8);
        l.backward();
        assertEquals(l.item(), loss, 1e-5, "the returned loss is the batch's mean cross-entropy");
        var mine = m.namedParameters();
        for (var e : ref.namedParameters().entrySet())
            assertArrayEquals(e.getValue().grad().data(), mine.get(e.getKey()).grad().data(), 1e-5f,
                    "gradient of " + e.getKey() + " after the second step: not that batch's alone (were the gradients zeroed?)");
        Spy moving = spy(m, 1e-2f);
        float before = m.parameters().get(0).data()[0];
        TrainLoop.step(m, moving, b[0], b[1], 2, 8);
        assertNotEquals(before, m.parameters().get(0).data()[0], "the step must update the weights");
    }

    @Test
    @Timeout(60)
    @Points(value = 3, hint = "the whole loop: batches of 8 windows of the model's context, lr(s) set before each step; the held-out loss must fall below 1.2")
    void trainingReachesTheThreshold() {
        llmbook.kernels.Kernels.setThreads(1);                             // a tiny model: threads cost more than they give
        Decoder m = model(7);
        int[] ids = ids(30);
        int split = ids.length * 9 / 10;
        int[] train = java.util.Arrays.copyOf(ids, split), val = java.util.Arrays.copyOfRange(ids, split, ids.length);
        double start = Evaluation.loss(m, val);
        Spy opt = spy(m, 0f);
        long t0 = System.nanoTime();
        TrainLoop.train(m, opt, train, 80, 3e-2, 11);
        double seconds = (System.nanoTime() - t0) / 1e9, end = Evaluation.loss(m, val);
        assertEquals(80, opt.lrs.size(), "one optimizer step per training step");
        for (int s = 0; s < 80; s++) assertEquals(TrainLoop.lr(s, 80, 3e-2), opt.lrs.get(s), 1e-6, "learning rate set before step " + s);
        assertTrue(end < 1.2, String.format("held-out loss %.3f after 80 steps (started at %.3f, %.1f s): must be below 1.2", end, start, seconds));
    }
}
