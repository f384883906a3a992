package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench command line (parsing only: no timing in unit tests). */
class BenchTest {
    @Test
    void parsesEveryFlag() {
        Bench.Options o = Bench.parse(new String[]{"--filter", "matmul", "--threads", "1,2", "--json", "out.json", "--quick", "--numpy", "--torch"});
        assertEquals("matmul", o.filter());
        assertArrayEquals(new int[]{1, 2}, o.threads());
        assertEquals("out.json", o.json());
        assertTrue(o.quick() && o.numpy() && o.torch() && !o.help() && !o.ort());
        assertTrue(Bench.parse(new String[]{"--ort"}).ort());
    }

    /** bench --ort's child process: ONNX Runtime on the test classpath answers a timing request for the minilm rows. */
    @Test
    void onnxRuntimeRunnerTimesTheMiniLmSentences() {
        String before = System.getProperty("llmbook.ort.classpath");
        System.setProperty("llmbook.ort.classpath", System.getProperty("java.class.path"));
        try {
            Bench.Timing t = BenchOrt.time(1, "32 sentences batch=32", true);
            assertTrue(t != null && t.min() > 0 && t.min() <= t.median() && t.median() <= t.max(), String.valueOf(t));
        } finally {
            BenchOrt.closeAll();
            if (before == null) System.clearProperty("llmbook.ort.classpath");
            else System.setProperty("llmbook.ort.classpath", before);
        }
    }

    /**
     * bench --torch: PyTorch's step kept running answers blocks of steps, alternating with ours; the first steps of
     * each block are left out on both sides. Skipped where Debian's python3-torch is not installed.
     */
    @Test
    void torchStepsAlternateWithOurs() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(check.waitFor() == 0, "python3-torch is not installed");
        int[] ran = {0};
        try (BenchTrain.TorchSteps torch = new BenchTrain.TorchSteps(1, 1)) {
            double[] t = torch.steps(2);
            assertTrue(t.length == 2 && t[0] > 0 && t[1] > 0, java.util.Arrays.toString(t));
            Bench.Timing[] both = BenchTrain.alternate(() -> ran[0]++, torch, 2, BenchTrain.BLOCK_WARM + 1);
            assertEquals(2 * (BenchTrain.BLOCK_WARM + 1), ran[0]);     // 2 rounds of a block of ours each
            for (Bench.Timing x : both) assertTrue(x.min() > 0 && x.min() <= x.median() && x.median() <= x.max(), String.valueOf(x));
            assertTrue(both[1].min() > both[0].max(), "a PyTorch step takes longer than incrementing a counter: " + both[0] + " " + both[1]);
            assertThrows(IllegalArgumentException.class, () -> BenchTrain.alternate(() -> { }, torch, 1, BenchTrain.BLOCK_WARM));
        }
    }

    /**
     * bench --torch on more than one thread keeps the PyTorch process whose OpenBLAS spin timeout ran its probe
     * fastest, names every probe's median, and that process still answers; on one thread there is nothing to choose.
     */
    @Test
    void torchOnTwoThreadsKeepsTheFastestBlasTimeout() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(check.waitFor() == 0, "python3-torch is not installed");
        try (BenchTrain.TorchSteps torch = BenchTrain.TorchSteps.fastest(2, 1, 3, new int[]{4, 16})) {
            assertTrue(torch.blasTimeout == 4 || torch.blasTimeout == 16, String.valueOf(torch.blasTimeout));
            assertTrue(torch.chosen.matches("4: [0-9.]+, 16: [0-9.]+ ms"), torch.chosen);
            String[] f = torch.chosen.replace(" ms", "").split("[:,] ");
            double at4 = Double.parseDouble(f[1]), at16 = Double.parseDouble(f[3]);
            assertEquals(at4 <= at16 ? 4 : 16, torch.blasTimeout, torch.chosen);
            assertEquals(2, torch.steps(2).length);
        }
        try (BenchTrain.TorchSteps one = BenchTrain.TorchSteps.fastest(1, 1, 3)) {
            assertEquals("", one.chosen);
            assertEquals(BenchTrain.BLAS_TIMEOUT, one.blasTimeout);
        }
    }

    @Test
    void rejectsBadArgumentsWithAMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--fast"})).getMessage().contains("--fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--threads", "0"})).getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--threads", "a"})).getMessage().contains("'a'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--json"})).getMessage().contains("missing value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[]{"--filter", "("})).getMessage().contains("regex"));
    }

    @Test
    void everyCaseHasAScalarTwinAndWork() {
        for (Bench.Case c : Bench.cases()) assertTrue(c.work() > 0 && c.scalar() != null && c.vector() != null, c.op() + " " + c.size());
    }

    /**
     * The "matmuls alone" row replays a training step's products: as many as the step ran, the same shapes and flags,
     * and it takes less time than the whole step. A "÷" row's baseline alternates with it in blocks.
     */
    @Test
    void matmulsAloneReplaysTheStepsProductsAndAlternatesWithTheStep() throws Exception {
        Runnable step = BenchTrain.step(llmbook.model.transformer.TransformerConfig.gpt2(BenchTrain.V).withLayers(1), true);
        step.run();
        var shapes = llmbook.kernels.MatMul.shapesOf(step);
        // one layer: 6 linears forward and 2 backward products each (the input's gradient of the first one too), + the tied head's 3
        assertEquals(6 * 3 + 3, shapes.size(), "products of a one-layer step");
        Runnable alone = BenchTrain.matmulsAlone(step);
        var replayed = llmbook.kernels.MatMul.shapesOf(alone);
        assertEquals(shapes.size(), replayed.size());
        for (int i = 0; i < shapes.size(); i++) assertArrayEquals(shapes.get(i), replayed.get(i), "product " + i);
        int[] ran = {0};
        Bench.Timing[] both = BenchTrain.alternate(alone, BenchTrain.Blocks.of(() -> { ran[0]++; step.run(); }), 2, BenchTrain.BLOCK_WARM + 2);
        assertEquals(2 * (BenchTrain.BLOCK_WARM + 2), ran[0], "the baseline ran its blocks");
        assertTrue(both[0].median() < both[1].median(), "the products alone take less than the step: " + both[0] + " " + both[1]);
        assertThrows(IllegalStateException.class, () -> BenchTrain.matmulsAlone(() -> { }));
    }

    @Test
    void divideRowsAreTimedAgainstTheirBaselineAtTheirOwnThreadCount() {
        for (Bench.Case c : Bench.cases())
            if (c.size().contains("(÷")) assertTrue(c.paired() && c.mkn() == null, c.op() + " " + c.size() + " is a paired row");
            else assertTrue(!c.paired(), c.op() + " " + c.size() + ": a paired row says what it divides by");
    }
}
