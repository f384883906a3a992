package llmbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import llmbook.kernels.Kernels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.optim.AdamW;
import llmbook.optim.GradClip;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;

/**
 * The "train step" row of {@code ./llmbook bench}: one optimisation step of the reference GPT (vocab 65, 4 layers,
 * 4 heads, width 128, context 128, batch 16) — forward, cross-entropy, backward, clipping, AdamW — and, with
 * {@code --torch}, the same step in PyTorch ({@code lib/src/test/python/reference_gpt.py --bench}).
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
                loss.backward();
                GradClip.clipGlobalNorm(params, 1.0);
                opt.step();
                loss.releaseGraph();
            } finally {
                Kernels.useVector(was);
            }
        };
    }

    /**
     * Median and min seconds per step of PyTorch on the same config, {@code threads} OpenBLAS/OpenMP threads
     * (Debian's torch ignores {@code torch.set_num_threads}), with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so
     * OpenBLAS picks its kernel for this CPU. PyTorch at its fastest setting measured here: OpenMP threads that sleep
     * when idle ({@code OMP_WAIT_POLICY=passive}; the default and "active" were 1.7-3× slower at 2 threads) and
     * OpenBLAS threads that stop spinning soon after a product ({@code OPENBLAS_THREAD_TIMEOUT=4}, 2⁴ cycles instead of
     * 2²⁸: otherwise they keep the core busy while PyTorch's own threads run the next elementwise op; median of six
     * 2-thread runs 140 ms against 148 ms, and no slow run of 190 ms). Needs {@code $LLMBOOK_HOME} (the launcher sets
     * it) for the script and the corpus.
     */
    static Bench.Timing torch(int threads, int steps) throws IOException {
        return torch(threads, "--bench", "--steps", Integer.toString(steps));
    }

    /** As above for any mode of reference_gpt.py that prints {@code bench <median_s> <min_s>} (e.g. --decode-bench). */
    static Bench.Timing torch(int threads, String... scriptArgs) throws IOException {
        Path home = Path.of(System.getenv().getOrDefault("LLMBOOK_HOME", "."));
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
        pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "4");
        pb.redirectErrorStream(true);
        Process p = pb.start();
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
}
