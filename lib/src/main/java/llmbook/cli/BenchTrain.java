package llmbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import llmbook.data.Corpus;
import llmbook.kernels.Kernels;
import llmbook.kernels.MatMul;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The "train step" rows of {@code ./llmbook bench}: one optimisation step of the reference GPT (vocab 65, 4 layers,
 * 4 heads, width 128, context 128, batch 16) — forward, cross-entropy, backward, clipping, AdamW — or of another
 * preset; the same step's matrix products alone ({@link #matmulsAlone}); and, with {@code --torch}, the same step in
 * PyTorch ({@code lib/src/test/python/reference_gpt.py --serve}). Two programs compared are timed in blocks that
 * alternate ({@link #alternate}).
 */
final class BenchTrain {
    private BenchTrain() {}

    static final int B = 16, T = 128, V = 65;

    /** A step of a fresh reference GPT (the {@code gpt2} preset) on a fixed random batch; {@code vector} picks the kernels. */
    static Runnable step(boolean vector) { return step(TransformerConfig.gpt2(V), vector); }

    /** A training step of a fresh model of {@code config} on a fixed random batch; {@code vector} picks the kernels for that step. */
    static Runnable step(TransformerConfig config, boolean vector) {
        Decoder gpt = new Decoder(config, new Rng(1337));
        AdamW opt = new AdamW(ParamGroup.decayMatricesOnly(gpt.namedParameters(), 0.1f), 1e-3f, 0.9f, 0.99f, 1e-8f);
        var params = opt.params();
        Rng rng = new Rng(7);
        int[] x = new int[B * T], y = new int[B * T];
        for (int i = 0; i < x.length; i++) { x[i] = rng.nextInt(V); y[i] = rng.nextInt(V); }
        return () -> {
            boolean was = Kernels.usingVector();
            Kernels.useVector(vector);
            try {
                opt.zeroGrad();
                Tensor loss = gpt.loss(x, y, B, T);
                loss.backwardAndRelease();
                GradClip.clipGlobalNorm(params, 1.0);
                opt.step();
            } finally {
                Kernels.useVector(was);
            }
        };
    }

    /**
     * The matrix products of one {@code step}, alone: the step is run once to record them ({@link MatMul#shapesOf}),
     * and the returned runnable computes the same products — shapes, transposes, accumulation, order — on random
     * operands, one set of buffers per distinct shape (so they stay warm in cache, as at best in the step). It times
     * how long the step would take if everything but its matmuls were free: a floor under the step time.
     */
    static Runnable matmulsAlone(Runnable step) {
        List<int[]> shapes = MatMul.shapesOf(step);
        if (shapes.isEmpty()) throw new IllegalStateException("matmulsAlone: the step ran no matmul on this thread");
        java.util.Map<String, float[][]> buffers = new java.util.HashMap<>();
        java.util.Random rng = new java.util.Random(3);
        float[][][] ops = new float[shapes.size()][][];
        for (int i = 0; i < ops.length; i++) {
            int[] s = shapes.get(i);
            ops[i] = buffers.computeIfAbsent(s[0] + "x" + s[1] + "x" + s[2], key -> new float[][] {
                    Bench.rand(rng, s[0] * s[1]), Bench.rand(rng, s[1] * s[2]), new float[s[0] * s[2]]});
        }
        return () -> {
            boolean was = Kernels.usingVector();
            Kernels.useVector(true);
            try {
                for (int i = 0; i < ops.length; i++) {
                    int[] s = shapes.get(i);
                    MatMul.matmul(ops[i][2], 0, ops[i][0], 0, ops[i][1], 0, s[0], s[1], s[2], s[3] == 1, s[4] == 1, s[5] == 1);
                }
            } finally {
                Kernels.useVector(was);
            }
        };
    }

    /** Median and min seconds from a mode of reference_gpt.py that prints {@code bench <median_s> <min_s>} (e.g. --decode-bench). */
    static Bench.Timing torch(int threads, String... scriptArgs) throws IOException {
        Process p = script(threads, BLAS_TIMEOUT, scriptArgs).start();
        String last = null, line;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while ((line = r.readLine()) != null) { all.append(line).append('\n'); if (line.startsWith("bench ")) last = line; }
        }
        try { p.waitFor(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new IOException(e); }
        if (last == null) throw new IOException("reference_gpt.py printed no 'bench' line:\n" + all);
        String[] f = last.trim().split("\\s+");                 // bench <median_s> <min_s>
        return new Bench.Timing(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.NaN);
    }

    /**
     * OPENBLAS_THREAD_TIMEOUT values tried for PyTorch's step on more than one thread ({@link TorchSteps#fastest}):
     * OpenBLAS's workers spin 2^N cycles after a product before they sleep. The best value depends on the host: on one,
     * 4 beat the default 28 (median 140 against 148 ms, 2 threads); on another, 4 ran 84 ms, 12–18 ran 72–74 ms, 24 ran
     * 85 ms (reference_gpt.py --bench, 200 steps each).
     */
    static final int[] BLAS_TIMEOUTS = {4, 12, 16, 20, 28};

    /** The timeout used where none is searched for (one thread, where OpenBLAS has no workers; decoding). */
    static final int BLAS_TIMEOUT = 16;

    /**
     * reference_gpt.py with these arguments on {@code threads} OpenBLAS/OpenMP threads (Debian's torch ignores
     * {@code torch.set_num_threads}), with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so OpenBLAS picks its kernel
     * for this CPU. OpenMP threads sleep when idle ({@code OMP_WAIT_POLICY=passive}; the default and "active" were
     * 1.7–3× slower at 2 threads: they spin on the cores OpenBLAS's workers need), and OpenBLAS's workers spin
     * 2^{@code blasTimeout} cycles after a product ({@link #BLAS_TIMEOUTS}). The script and the corpus are found in
     * {@code $LLMBOOK_HOME} (the launcher sets it), else in the repository around the working directory.
     */
    private static ProcessBuilder script(int threads, int blasTimeout, String... scriptArgs) throws IOException {
        Path home = Corpus.repository();
        if (home == null) home = Path.of(".");
        Path script = home.resolve("lib/src/test/python/reference_gpt.py");
        if (!Files.isRegularFile(script)) throw new IOException("no " + script);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        cmd.addAll(List.of(scriptArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(home.toFile());
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.environment().put("OMP_WAIT_POLICY", "passive");
        pb.environment().put("OPENBLAS_THREAD_TIMEOUT", Integer.toString(blasTimeout));
        pb.redirectErrorStream(true);
        return pb;
    }

    /**
     * PyTorch's training step kept running ({@code reference_gpt.py --serve}), timing blocks of steps on request, so
     * that they can alternate with ours: on a shared host the load drifts over tens of seconds, and two long runs one
     * after the other (ours, then PyTorch's) measured the same ratio anywhere from 1.6 to 1.8.
     */
    static final class TorchSteps implements AutoCloseable, Blocks {
        private final Process proc;
        private final java.io.Writer in;
        private final BufferedReader out;
        /** OPENBLAS_THREAD_TIMEOUT of this process and, when {@link #fastest} chose it, each value's probe median. */
        final int blasTimeout;
        String chosen = "";

        /** Starts PyTorch on {@code threads} threads and runs {@code warmSteps} untimed steps. */
        TorchSteps(int threads, int warmSteps) throws IOException { this(threads, warmSteps, BLAS_TIMEOUT); }

        TorchSteps(int threads, int warmSteps, int blasTimeout) throws IOException {
            this.blasTimeout = blasTimeout;
            proc = script(threads, blasTimeout, "--serve").start();
            in = new java.io.OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
            try {
                reply("torch ", "start");
                steps(warmSteps);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        /**
         * The next line starting with {@code prefix}; other lines (Python's warnings share the stream) are kept for the
         * message if the script exits or answers an error instead.
         */
        private String reply(String prefix, String what) throws IOException {
            StringBuilder other = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(prefix)) return line;
                if (line.startsWith("error:")) throw new IOException("reference_gpt.py --serve: " + line);
                if (other.length() < 4000) other.append("\n  ").append(line);
            }
            throw new IOException("reference_gpt.py --serve exited before it could " + what + other);
        }

        /**
         * PyTorch at its fastest OpenBLAS spin timeout on this host: on one thread the one process (OpenBLAS has no
         * workers to spin); on more, one process per value of {@link #BLAS_TIMEOUTS}, each warmed and then timed for
         * {@code probeSteps} steps, and the one with the lowest median kept (the others are closed). Picking the best
         * of several noisy medians favours PyTorch slightly, never us.
         */
        static TorchSteps fastest(int threads, int warmSteps, int probeSteps) throws IOException {
            return fastest(threads, warmSteps, probeSteps, BLAS_TIMEOUTS);
        }

        static TorchSteps fastest(int threads, int warmSteps, int probeSteps, int[] timeouts) throws IOException {
            if (threads == 1) return new TorchSteps(1, warmSteps);
            TorchSteps best = null;
            double bestMedian = Double.POSITIVE_INFINITY;
            StringBuilder tried = new StringBuilder();
            try {
                for (int timeout : timeouts) {
                    TorchSteps t = new TorchSteps(threads, warmSteps, timeout);   // closes itself if it fails to start
                    double median;
                    try { median = stats(t.steps(probeSteps)).median(); }
                    catch (IOException | RuntimeException e) { t.close(); throw e; }
                    tried.append(String.format(Locale.ROOT, "%s%d: %.1f", tried.isEmpty() ? "" : ", ", timeout, median * 1e3));
                    if (median < bestMedian) {
                        if (best != null) best.close();
                        best = t;
                        bestMedian = median;
                    } else t.close();
                }
            } catch (IOException | RuntimeException e) {
                if (best != null) best.close();
                throw e;
            }
            best.chosen = tried + " ms";
            return best;
        }

        /** Seconds of each of the next n steps. */
        @Override public double[] steps(int n) throws IOException {
            in.write("steps " + n + "\n");
            in.flush();
            String[] f = reply("times ", "time " + n + " steps").trim().split("\\s+");
            if (f.length != n + 1) throw new IOException("reference_gpt.py --serve timed " + (f.length - 1) + " steps, not " + n);
            double[] t = new double[n];
            for (int i = 0; i < n; i++) t[i] = Double.parseDouble(f[i + 1]);
            return t;
        }

        @Override public void close() {
            try { in.write("quit\n"); in.close(); } catch (IOException ignored) { }
            try { if (!proc.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) proc.destroyForcibly(); }
            catch (InterruptedException e) { proc.destroyForcibly(); Thread.currentThread().interrupt(); }
        }
    }

    /** The other side of {@link #alternate}: runs n steps when asked and returns the seconds of each. */
    interface Blocks {
        double[] steps(int n) throws IOException;

        /** Steps of a runnable in this JVM, each timed alone. */
        static Blocks of(Runnable r) {
            return n -> {
                double[] t = new double[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    r.run();
                    t[i] = (System.nanoTime() - t0) / 1e9;
                }
                return t;
            };
        }
    }

    /** Steps left out at the start of every block, on both sides. */
    static final int BLOCK_WARM = 2;

    /**
     * Ours and another step (PyTorch's, or another of ours: the baseline of a "÷" row) timed in alternating blocks —
     * {@code rounds} times {@code block} steps of ours (each timed alone, after the caller's warm-up) then
     * {@code block} of the other's — so both see the same stretches of the host's load. The first {@link #BLOCK_WARM}
     * steps of every block are left out on both sides: they start on caches the other program has just filled
     * (PyTorch's first step of a block ran 5-10% slower, also after an idle pause instead of ours). Returns
     * {ours, other}: median, min and max seconds per step over the kept steps.
     */
    static Bench.Timing[] alternate(Runnable ours, Blocks other, int rounds, int block) throws IOException {
        if (rounds < 1 || block <= BLOCK_WARM)
            throw new IllegalArgumentException("alternate: need rounds >= 1 and block > " + BLOCK_WARM + ", got " + rounds + ", " + block);
        int kept = block - BLOCK_WARM;
        double[] a = new double[rounds * kept], b = new double[rounds * kept];
        Blocks mine = Blocks.of(ours);
        for (int r = 0; r < rounds; r++) {
            System.arraycopy(mine.steps(block), BLOCK_WARM, a, r * kept, kept);
            double[] theirs = other.steps(block);
            if (theirs.length != block) throw new IOException("alternate: asked for " + block + " steps, got " + theirs.length + " times");
            System.arraycopy(theirs, BLOCK_WARM, b, r * kept, kept);
        }
        return new Bench.Timing[] {stats(a), stats(b)};
    }

    private static Bench.Timing stats(double[] t) {
        double[] s = t.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return new Bench.Timing(n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, s[0], s[n - 1]);
    }
}
