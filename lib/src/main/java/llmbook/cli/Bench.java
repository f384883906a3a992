package llmbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import llmbook.kernels.Activations;
import llmbook.kernels.Attention;
import llmbook.kernels.Kernels;
import llmbook.kernels.MatMul;
import llmbook.kernels.Norms;
import llmbook.kernels.Softmax;

/**
 * {@code ./llmbook bench}: times every kernel against its scalar twin (and matmul against numpy's OpenBLAS).
 *
 * <p>Harness: each case is warmed up in 0.1 s rounds until its mean call time has not improved for three rounds (and for
 * at least 1 s, or 0.3 s with {@code --quick}; a training step for at least 300 steps, 75 with {@code --quick}) so C2
 * has compiled it, then timed
 * as {@code samples} samples of ≥ 20 ms each (several calls per sample for small ops); we report the median and
 * the spread (min–max of the samples). The scalar twin of each op is timed the same way in the same run, after the vector timings, on one
 * thread (it has no threads), and the ratio is scalar-median / vector-median (how many times faster). With
 * {@code --numpy}, numpy's OpenBLAS {@code a @ b} is timed right after each matmul case with the same thread
 * count, and two ratios are printed: numpy-median / ours-median and numpy-min / ours-min ("best", the least
 * disturbed by other processes). The "train step" row is one optimisation step of the reference GPT in tokens/s
 * ({@link BenchTrain}); its scalar twin is the same step with {@code Kernels.useVector(false)}, and with
 * {@code --torch} PyTorch runs the same step ({@code reference_gpt.py --serve}) with the same thread count, in blocks of
 * steps alternating with blocks of ours (both rows' medians come from those blocks), printed in the ×numpy columns.
 * Rows named "(÷ X)" divide by another vector configuration instead of a scalar twin (the llama preset ÷ the gpt2
 * preset, an attention layer's fused path ÷ its composed path, a step's matmuls alone ÷ the whole step): X is timed at
 * the row's own thread count, in blocks alternating with the row's, its ×scalar column is X's median ÷ the row's
 * (above 1: the row is faster), and the "÷ baseline" lines give X's times.
 * With {@code --ort}, ONNX Runtime embeds the same sentences of the "minilm embed" rows right after ours
 * ({@link BenchOrt}, same harness, same thread count), ratio ORT-median / ours-median (above 1: ours faster).
 * Timings on a shared machine are noisy: compare ratios, and repeat runs.
 */
public final class Bench {
    private Bench() {}

    static final String USAGE = """
            usage: ./llmbook bench [--filter REGEX] [--threads 1,2] [--json FILE] [--quick] [--numpy] [--torch] [--ort]
              --filter REGEX  only cases whose "op size" matches REGEX (e.g. 'matmul', 'softmax|layernorm')
              --threads LIST  thread counts to run the vector kernels with (default 1,<cores>)
              --json FILE     also write the rows as JSON to FILE
              --quick         fewer, shorter samples (a smoke test; the numbers are rougher)
              --numpy         also time numpy's a @ b (OpenBLAS, Debian /usr/bin/python3) on the matmul shapes
              --torch         also time PyTorch's training step (reference_gpt.py, Debian /usr/bin/python3) on "train step"
              --ort           also time ONNX Runtime on "minilm embed" (test scope: the launcher supplies its classpath)
              --serve         instead: load-test the completions server on 127.0.0.1 (./llmbook bench --serve --help)
              --help          this text""";

    /**
     * One timed case: setup allocates, run executes the op once. {@code scalar} is the op's scalar twin, timed on one
     * thread; when {@code paired} it is instead another vector configuration the row is divided by (a "÷" row: the
     * llama preset ÷ the gpt2 preset, ...), timed at every thread count in blocks alternating with {@code vector}.
     */
    record Case(String op, String size, double work, String unit, Runnable vector, Runnable scalar, int[] mkn, boolean paired) {
        Case(String op, String size, double work, String unit, Runnable vector, Runnable scalar, int[] mkn) {
            this(op, size, work, unit, vector, scalar, mkn, false);
        }

        /** A "÷" row: {@code vector} against {@code baseline}, both at the same thread count. */
        static Case paired(String op, String size, double work, String unit, Runnable vector, Runnable baseline) {
            return new Case(op, size, work, unit, vector, baseline, null, true);
        }
    }

    record Row(String op, String size, int threads, double value, String unit, double medianMs, double minMs, double maxMs,
               double scalarRatio, double numpyRatio, double numpyBestRatio) {}

    /** Parsed command line. */
    record Options(String filter, int[] threads, String json, boolean quick, boolean numpy, boolean torch, boolean help, boolean ort) {
        Options(String filter, int[] threads, String json, boolean quick, boolean numpy, boolean torch, boolean help) {
            this(filter, threads, json, quick, numpy, torch, help, false);
        }
    }

    public static void main(String[] args) {
        if (BenchServe.wants(args)) { int s = BenchServe.run(args, System.out, System.err); if (s != 0) System.exit(s); return; }   // the serve load test
        int status = Cli.guard("bench", System.err, () -> { bench(args); return 0; });
        if (status != 0) System.exit(status);
    }

    private static void bench(String[] args) throws java.io.IOException {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        if (o.help()) { System.out.println(USAGE); return; }
        List<Row> rows = run(cases(), Pattern.compile(o.filter()), o.threads(), o.quick(), o.numpy(), o.torch(), o.ort());
        if (o.json() != null) writeJson(Path.of(o.json()), rows);
    }

    /** Parses the flags; throws IllegalArgumentException with the message to print on a usage error. */
    static Options parse(String[] args) {
        String filter = ".*", json = null;
        boolean quick = false, numpy = false, torch = false, help = false, ort = false;
        int cores = Runtime.getRuntime().availableProcessors();
        int[] threads = cores > 1 ? new int[]{1, cores} : new int[]{1};
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--quick" -> quick = true;
                case "--numpy" -> numpy = true;
                case "--torch" -> torch = true;
                case "--ort" -> ort = true;
                case "--filter", "--threads", "--json" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + a);
                    String v = args[++i];
                    if (a.equals("--filter")) filter = v;
                    else if (a.equals("--json")) json = v;
                    else threads = parseThreads(v);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        try {
            Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad --filter regex '" + filter + "': " + e.getDescription());
        }
        return new Options(filter, threads, json, quick, numpy, torch, help, ort);
    }

    static void usage(String msg) {
        System.err.println("bench: " + msg);
        System.err.println(USAGE);
        System.exit(2);
    }

    static int[] parseThreads(String v) {
        int[] t;
        try {
            t = Arrays.stream(v.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threads takes a comma-separated list of integers, got '" + v + "'");
        }
        for (int x : t) if (x < 1 || x > 256) throw new IllegalArgumentException("--threads values must be in [1, 256], got " + x);
        return t;
    }

    // ---- the cases ----

    static float[] rand(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        Random rng = new Random(1);
        int[][] mm = {
                {256, 256, 256, 0, 0}, {512, 512, 512, 0, 0}, {1024, 1024, 1024, 0, 0},
                // the reference GPT (B·T = 2048, C = 128, 4C = 512, vocab 65): forward ...
                {2048, 128, 512, 0, 0}, {2048, 512, 128, 0, 0}, {2048, 128, 65, 0, 0},
                // ... and backward: dX = dY·Wᵀ (transB), dW = Xᵀ·dY (transA)
                {2048, 512, 128, 0, 1}, {128, 2048, 512, 1, 0}, {2048, 128, 512, 0, 1}, {512, 2048, 128, 1, 0},
                {2048, 65, 128, 0, 1}, {128, 2048, 65, 1, 0},
        };
        for (int[] s : mm) {
            int m = s[0], k = s[1], n = s[2];
            boolean ta = s[3] == 1, tb = s[4] == 1;
            float[] a = rand(rng, m * k), b = rand(rng, k * n), c = new float[m * n];
            String size = m + "x" + k + "x" + n + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "");
            cs.add(new Case("matmul", size, 2.0 * m * k * n, "GFLOP/s",
                    () -> MatMul.matmul(c, 0, a, 0, b, 0, m, k, n, ta, tb, false),
                    () -> MatMul.matmulScalar(c, 0, a, 0, b, 0, m, k, n, ta, tb, false), new int[]{m, k, n, s[3], s[4]}));
        }
        int rows = 16 * 128, cols = 512, n = rows * cols;  // (B, T, C) = (16, 128, 512)
        String sz = "16x128x512";
        float[] x = rand(rng, n), y = new float[n], dy = rand(rng, n), dx = new float[n];
        float[] w = rand(rng, cols), bb = rand(rng, cols), dw = new float[cols], db = new float[cols], mean = new float[rows], rstd = new float[rows];
        double bytes2 = 8.0 * n, bytes3 = 12.0 * n; // read x write y; read two, read-modify-write one (counted once)
        cs.add(new Case("softmax fwd", sz, bytes2, "GB/s", () -> Softmax.softmaxForward(y, 0, x, 0, rows, cols),
                () -> Softmax.softmaxForwardScalar(y, 0, x, 0, rows, cols), null));
        cs.add(new Case("softmax bwd", sz, bytes3, "GB/s", () -> Softmax.softmaxBackward(dx, 0, y, 0, dy, 0, rows, cols),
                () -> Softmax.softmaxBackwardScalar(dx, 0, y, 0, dy, 0, rows, cols), null));
        cs.add(new Case("layernorm fwd", sz, bytes2, "GB/s", () -> Norms.layerNormForward(y, 0, mean, rstd, x, 0, w, bb, rows, cols, 1e-5f),
                () -> Norms.layerNormForwardScalar(y, 0, mean, rstd, x, 0, w, bb, rows, cols, 1e-5f), null));
        cs.add(new Case("layernorm bwd", sz, bytes3, "GB/s", () -> Norms.layerNormBackward(dx, 0, dw, db, dy, 0, x, 0, mean, rstd, w, rows, cols),
                () -> Norms.layerNormBackwardScalar(dx, 0, dw, db, dy, 0, x, 0, mean, rstd, w, rows, cols), null));
        cs.add(new Case("gelu fwd", sz, bytes2, "GB/s", () -> Activations.geluTanhForward(y, 0, x, 0, n),
                () -> Activations.geluTanhForwardScalar(y, 0, x, 0, n), null));
        cs.add(new Case("gelu bwd", sz, bytes3, "GB/s", () -> Activations.geluTanhBackward(dx, 0, x, 0, dy, 0, n),
                () -> Activations.geluTanhBackwardScalar(dx, 0, x, 0, dy, 0, n), null));
        for (int T : new int[]{128, 256, 512, 1024}) {
            int d = 32, td = T * d;
            float scale = (float) (1 / Math.sqrt(d));
            float[] q = rand(rng, td), k = rand(rng, td), v = rand(rng, td), g = rand(rng, td);
            float[] out = new float[td], lse = new float[T], dq = new float[td], dk = new float[td], dv = new float[td];
            // causal: T²/2 score entries, each 2d flops for q·k and 2d for p·v forward, 4 more such products backward
            double flops = 6.0 * T * T * d;
            cs.add(new Case("attention fwd+bwd", "T=" + T + " d=" + d, flops, "GFLOP/s", () -> {
                Attention.causalForward(out, 0, lse, q, 0, k, 0, v, 0, T, d, scale);
                Attention.causalBackward(dq, 0, dk, 0, dv, 0, g, 0, q, 0, k, 0, v, 0, out, 0, lse, T, d, scale);
            }, () -> {
                Attention.causalForwardScalar(out, 0, lse, 0, q, 0, k, 0, v, 0, T, d, scale);
                Attention.causalBackwardScalar(dq, 0, dk, 0, dv, 0, g, 0, q, 0, k, 0, v, 0, out, 0, lse, 0, T, d, scale);
            }, null));
        }
        int tokens = BenchTrain.B * BenchTrain.T;
        cs.add(new Case("train step", "GPT ref B=16 T=128", tokens, "tok/s", BenchTrain.step(true), BenchTrain.step(false), null));
        // the LLaMA recipe at the same parameter count; its baseline is the gpt2 preset's vector step, not a scalar twin
        var llama = llmbook.model.transformer.TransformerConfig.llama(BenchTrain.V);
        cs.add(Case.paired("train step", "llama preset (÷ gpt2 preset) B=16 T=128", tokens, "tok/s", BenchTrain.step(llama, true),
                BenchTrain.step(true)));
        // the kernels' spinning worker team against the plain sleeping pool it replaced (identical results)
        Runnable teamStep = BenchTrain.step(true), plainStep = BenchTrain.step(true);
        cs.add(Case.paired("train step", "team workers (÷ plain pool) B=16 T=128", tokens, "tok/s", teamStep,
                () -> { Kernels.useTeam(false); try { plainStep.run(); } finally { Kernels.useTeam(true); } }));
        // the same step's matrix products alone (a floor: the step if everything else were free), ÷ the whole step
        Runnable whole = BenchTrain.step(true);
        cs.add(Case.paired("train step", "matmuls alone (÷ whole step) B=16 T=128", tokens, "tok/s", BenchTrain.matmulsAlone(whole), whole));
        cs.addAll(attentionLayerCases(rng));
        cs.addAll(decodeKernelCases(rng));
        cs.addAll(attentionVariantCases());
        cs.addAll(miniLmCases());
        return cs;
    }

    /**
     * The decoding kernels: {@code MatMul.matvec} (a linear layer on one token; rows × cols of W) and
     * {@code Attention.cachedForward} (one new query per head against a full KV cache), each against its scalar twin.
     */
    static List<Case> decodeKernelCases(Random rng) {
        List<Case> cs = new ArrayList<>();
        for (int[] rc : new int[][] {{384, 128}, {65, 128}, {768, 768}, {3072, 768}}) {
            int rows = rc[0], cols = rc[1];
            float[] w = rand(rng, rows * cols), x = rand(rng, cols), y = new float[rows];
            cs.add(new Case("matvec", rows + "x" + cols, 2.0 * rows * cols, "GFLOP/s", () -> MatMul.matvec(y, 0, w, 0, x, 0, rows, cols),
                    () -> MatMul.matvecScalar(y, 0, w, 0, x, 0, rows, cols), null));
        }
        for (int[] hgdt : new int[][] {{4, 4, 32, 128}, {12, 12, 64, 1024}, {12, 4, 64, 1024}}) {
            int H = hgdt[0], G = hgdt[1], d = hgdt[2], cap = hgdt[3], start = cap - 1;
            float scale = (float) (1 / Math.sqrt(d));
            float[] q = rand(rng, H * d), k = rand(rng, G * cap * d), v = rand(rng, G * cap * d), out = new float[H * d];
            cs.add(new Case("decode attn", "H=" + H + " G=" + G + " d=" + d + " T=" + cap, 4.0 * H * cap * d, "GFLOP/s",
                    () -> Attention.cachedForward(1, H, G, 1, start, d, d, scale, out, q, 0, k, 0, d, v, 0, d, cap),
                    () -> Attention.cachedForwardScalar(1, H, G, 1, start, d, d, scale, out, q, 0, k, 0, d, v, 0, d, cap), null));
        }
        return cs;
    }

    /**
     * One attention layer of each variant at the reference shape (B = 16, T = 128, C = 128, H = 4), forward + backward
     * through autograd, in tokens/s. "attn fused" is the training path (weights not captured: one fused op); its
     * "×scalar" baseline is NOT a scalar twin but the same layer on the composed path (weights captured: matmul, mask,
     * softmax, matmul, on the vector kernels, timed at the same thread count), so the ratio is fused over composed. "attn decode" feeds one token at a
     * time through a preallocated cache of 128 positions (reset when full): its time is ms per token for one layer
     * (batch 1); its baseline is the same with {@code Kernels.useVector(false)}.
     */
    static List<Case> attentionVariantCases() {
        List<Case> cs = new ArrayList<>();
        int B = 16, T = 128, C = 128, H = 4;
        String[] names = {"MHA", "GQA2", "MQA", "MHA+rope", "GQA2+rope", "MLA"};
        for (int vi = 0; vi < names.length; vi++) {
            int variant = vi;
            java.util.function.Supplier<llmbook.attention.SelfAttention> make = () -> {
                llmbook.tensor.Rng r = new llmbook.tensor.Rng(7);
                return switch (variant) {
                    case 0 -> new llmbook.attention.GroupedQueryAttention(C, H, H, r);
                    case 1 -> new llmbook.attention.GroupedQueryAttention(C, H, 2, r);
                    case 2 -> new llmbook.attention.GroupedQueryAttention(C, H, 1, r);
                    case 3 -> new llmbook.attention.GroupedQueryAttention(new llmbook.attention.AttentionConfig(C, H, H, false, true), r);
                    case 4 -> new llmbook.attention.GroupedQueryAttention(new llmbook.attention.AttentionConfig(C, H, 2, false, true), r);
                    default -> new llmbook.attention.MultiHeadLatentAttention(C, H, 4 * C / H, C / H / 2, r);
                };
            };
            llmbook.attention.SelfAttention fused = make.get(), composed = make.get().captureWeights(true);
            llmbook.tensor.Tensor x = llmbook.tensor.Tensor.randn(new llmbook.tensor.Rng(8), B, T, C).requiresGrad(true);
            float[] seed = llmbook.tensor.Tensor.randn(new llmbook.tensor.Rng(9), B * T * C).toArray();
            String size = names[vi] + " B16 T128 C128 (÷ composed)";
            cs.add(Case.paired("attn fused f+b", size, B * T, "tok/s", () -> layerStep(fused, x, seed), () -> layerStep(composed, x, seed)));
            if (vi < 3 || vi == 5) {                 // the attention core alone: q (B,H,T,dk), k (B,G,T,dk), v (B,G,T,dv)
                int G = vi == 0 || vi == 5 ? H : vi == 1 ? 2 : 1, dk = vi == 5 ? C / H + C / H / 2 : C / H, dv = C / H;
                llmbook.tensor.Rng r = new llmbook.tensor.Rng(10);
                llmbook.tensor.Tensor q = llmbook.tensor.Tensor.randn(r, B, H, T, dk).requiresGrad(true);
                llmbook.tensor.Tensor k = llmbook.tensor.Tensor.randn(r, B, G, T, dk).requiresGrad(true);
                llmbook.tensor.Tensor v = llmbook.tensor.Tensor.randn(r, B, G, T, dv).requiresGrad(true);
                float[] g = llmbook.tensor.Tensor.randn(r, B * H * T * dv).toArray();
                float sc = (float) (1 / Math.sqrt(dk));
                Runnable core = () -> coreStep(q, k, v, g, sc, false), coreComposed = () -> coreStep(q, k, v, g, sc, true);
                cs.add(Case.paired("attn core f+b", names[vi] + " dk=" + dk + " dv=" + dv + " (÷ composed)", B * T, "tok/s", core, coreComposed));
            }
            llmbook.attention.SelfAttention dec = make.get();
            llmbook.attention.KvCache cache = dec.newCache(1, T);
            llmbook.tensor.Tensor[] tokens = new llmbook.tensor.Tensor[T];
            for (int t = 0; t < T; t++) tokens[t] = llmbook.tensor.Tensor.randn(new llmbook.tensor.Rng(100 + t), 1, 1, C);
            Runnable step = () -> {
                if (cache.length() == T) cache.reset();
                try (var g = llmbook.tensor.Tensor.noGrad()) { dec.forward(tokens[cache.length()], cache); }
            };
            cs.add(new Case("attn decode", names[vi] + " B1 T<=128 C128", 1, "tok/s", step, () -> {
                Kernels.useVector(false);
                try { step.run(); } finally { Kernels.useVector(true); }
            }, null));
        }
        return cs;
    }

    /**
     * The pretrained sentence encoder all-MiniLM-L6-v2 ({@link llmbook.model.MiniLm}): 32 sentences of 9 to 40 tokens,
     * embedded one at a time and as one batch of 32; the model loads on first use. ONNX Runtime is not a runtime
     * dependency of llmbook: {@code --ort} times it on the same sentences in a test-scope process ({@link BenchOrt}).
     */
    static List<Case> miniLmCases() {
        List<String> text = miniLmTexts();
        List<Case> cs = new ArrayList<>();
        for (int batch : new int[] {1, 32}) {
            Runnable vector = () -> MiniLmHolder.MODEL.embed(text, batch);
            Runnable scalar = () -> {
                Kernels.useVector(false);
                try { vector.run(); } finally { Kernels.useVector(true); }
            };
            cs.add(new Case("minilm embed", "32 sentences batch=" + batch, text.size(), "sent/s", vector, scalar, null));
        }
        return cs;
    }

    /** The 32 sentences of the MiniLM rows (9 to 40 tokens), also read by the ONNX Runtime runner. */
    static List<String> miniLmTexts() {
        String[] base = {
                "We the People of the United States, in Order to form a more perfect Union, establish Justice and insure domestic Tranquility.",
                "The price of cotton fell again this year.",
                "A treaty of peace and friendship was concluded with the powers of Europe, and commerce has since revived in every port.",
                "Congress passed a new tariff on wool.",
                "The army and the navy stand ready, but our first hope is for a lasting peace among the nations of the world.",
                "Call me Ishmael.",
                "The whale, the white whale, was seen again off the coast of Japan by the crew of the Pequod.",
                "Education is the foundation of a free and prosperous people."};
        List<String> text = new ArrayList<>();
        for (int i = 0; i < 32; i++) text.add(base[i % base.length] + (i >= base.length ? " (" + i + ")" : ""));
        return text;
    }

    /** Forward + backward of the attention core alone: the fused op, or the composed function (weights requested). */
    private static void coreStep(llmbook.tensor.Tensor q, llmbook.tensor.Tensor k, llmbook.tensor.Tensor v, float[] g, float scale, boolean composed) {
        q.zeroGrad(); k.zeroGrad(); v.zeroGrad();
        llmbook.tensor.Tensor y = composed
                ? llmbook.attention.ScaledDotProductAttention.attendComposed(q, k, v, llmbook.attention.Mask.CAUSAL, scale, null)
                : llmbook.attention.FusedAttention.causal(q, k, v, scale);
        y.backward(g);
        y.releaseGraph();
    }

    /** Forward + backward of one layer on x with output gradient seed, graph released as in training. */
    private static void layerStep(llmbook.attention.SelfAttention a, llmbook.tensor.Tensor x, float[] seed) {
        x.zeroGrad();
        for (llmbook.tensor.Tensor p : a.parameters()) p.zeroGrad();
        llmbook.tensor.Tensor y = a.forward(x, llmbook.attention.Mask.CAUSAL);
        y.backward(seed);
        y.releaseGraph();
    }

    /** The MiniLM model, loaded once on first use (class initialisation is lazy and thread-safe). */
    private static final class MiniLmHolder {
        static final llmbook.model.MiniLm MODEL;
        static {
            try { MODEL = llmbook.model.MiniLm.load(); }
            catch (IOException e) { throw new java.io.UncheckedIOException(e); }
        }
    }

    /**
     * Multi-head causal attention through the autograd graph, forward + backward, batch 1, 4 heads × 32 dims, from the
     * packed projections {@code qkv (1, T, 3C)}: the fused op ({@link llmbook.attention.FusedAttention#causalPacked}, one fused
     * kernel per head, no T×T scores) and the same function composed from primitives ({@code q·kᵀ}, scale, causal
     * mask, softmax, {@code ·v}, each a separate op storing its (1, 4, T, T) result) on the vector kernels. The baseline
     * of both rows is the composed path on the scalar kernels ({@code Kernels.useVector(false)}). Q3, Q33: time ∝ T².
     */
    static List<Case> attentionLayerCases(Random rng) {
        List<Case> cs = new ArrayList<>();
        int heads = 4, d = 32, c = heads * d;
        for (int T : new int[]{128, 256, 512, 1024}) {
            llmbook.tensor.Tensor qkv = llmbook.tensor.Tensor.wrap(rand(rng, T * 3 * c), 1, T, 3 * c).requiresGrad(true);
            float[] seed = rand(rng, T * c);
            Runnable fused = () -> {
                qkv.zeroGrad();
                llmbook.attention.FusedAttention.causalPacked(qkv, heads, heads, (float) (1.0 / Math.sqrt(d))).backward(seed);
            };
            Runnable composed = () -> {
                qkv.zeroGrad();
                List<llmbook.tensor.Tensor> p = qkv.split(2, c, c, c);                       // 3 × (1, T, C)
                llmbook.tensor.Tensor[] h = new llmbook.tensor.Tensor[3];
                for (int i = 0; i < 3; i++) h[i] = p.get(i).reshape(1, T, heads, d).transpose(1, 2);  // (1, H, T, d)
                llmbook.tensor.Tensor y = llmbook.attention.ScaledDotProductAttention.attendComposed(h[0], h[1], h[2], llmbook.attention.Mask.CAUSAL,
                        Float.NaN, null);
                y.transpose(1, 2).reshape(1, T, c).backward(seed);                              // (1, T, C)
            };
            Runnable composedScalar = () -> {
                Kernels.useVector(false);
                try { composed.run(); } finally { Kernels.useVector(true); }
            };
            double flops = 6.0 * T * T * d * heads;   // as "attention fwd+bwd", times H heads (causal half counted)
            String size = "T=" + T + " B=1 H=" + heads + " d=" + d;
            cs.add(new Case("mha fused f+b", size, flops, "GFLOP/s", fused, composedScalar, null));
            cs.add(new Case("mha composed f+b", size, flops, "GFLOP/s", composed, composedScalar, null));
        }
        return cs;
    }

    /** Work units per reported unit: GFLOP/s and GB/s count in 1e9, tokens/s and sentences/s in ones. */
    static double unitDiv(String unit) { return unit.equals("tok/s") || unit.equals("sent/s") ? 1 : 1e9; }

    // ---- the harness ----

    /** Median, min and max seconds per call. */
    record Timing(double median, double min, double max) {}

    static Timing time(Runnable r, boolean quick) { return time(r, quick, 0); }

    /**
     * As {@link #time(Runnable, boolean)}, warming up for at least {@code minWarmCalls} calls: a whole training step
     * goes through dozens of methods that C2 compiles one by one, which took ~20 s of a loaded machine, and its
     * noisy step times fooled the "no longer improving" test into timing half-compiled code.
     */
    static Timing time(Runnable r, boolean quick, int minWarmCalls) {
        long warmNs = quick ? 300_000_000L : 1_000_000_000L;
        int samples = quick ? 5 : 15;
        long sampleNs = 20_000_000L;
        // Warm-up in rounds of ~0.1 s until three rounds in a row fail to beat the best by 5%, and at least warmNs
        // have passed: Vector API code runs ~100× slower before C2 compiles it (which takes a while on a loaded
        // machine), and a deoptimisation can restart that.
        long t0 = System.nanoTime();
        double prev = Double.MAX_VALUE;
        int stableRounds = 0, warmCalls = 0;
        while (true) {
            long rs = System.nanoTime();
            int calls = 0;
            do { r.run(); calls++; } while (System.nanoTime() - rs < 100_000_000L || calls < 3);
            double mean = (double) (System.nanoTime() - rs) / calls;
            warmCalls += calls;
            stableRounds = mean > 0.95 * prev ? stableRounds + 1 : 0;   // no round beat the best by 5%
            prev = Math.min(prev, mean);
            long elapsed = System.nanoTime() - t0;
            boolean enough = warmCalls >= (quick ? minWarmCalls / 4 : minWarmCalls);
            if (enough && ((stableRounds >= 3 && elapsed >= warmNs) || elapsed > 10_000_000_000L)) break;
        }
        int reps = (int) Math.max(1, Math.min(1_000_000, sampleNs / Math.max(1, prev)));
        if (prev > 0.3e9) samples = Math.min(samples, 5);   // a slow call (a scalar training step): fewer samples
        double[] t = new double[samples];
        for (int i = 0; i < samples; i++) {
            long s = System.nanoTime();
            for (int j = 0; j < reps; j++) r.run();
            t[i] = (System.nanoTime() - s) / 1e9 / reps;
        }
        Arrays.sort(t);
        return new Timing(t[samples / 2], t[0], t[samples - 1]);
    }

    static List<Row> run(List<Case> all, Pattern filter, int[] threads, boolean quick, boolean numpy, boolean torch) {
        return run(all, filter, threads, quick, numpy, torch, false);
    }

    /** The line under a row with its baseline's speed and times: the scalar twin's, or a "÷" row's X at one thread count. */
    private static void printBaseline(String label, int threads, Case c, Timing t) {
        System.out.printf(Locale.ROOT, "%-18s %-22s %3d %10.1f %-8s %10.3f %9.3f..%-9.3f%n", label, "", threads,
                c.work() / t.median() / unitDiv(c.unit()), c.unit(), t.median() * 1e3, t.min() * 1e3, t.max() * 1e3);
    }

    /** "torch", and with more than one thread the OpenBLAS spin timeout it ran with and the medians it was chosen from. */
    private static String torchLabel(BenchTrain.TorchSteps ts) {
        return ts == null || ts.chosen.isEmpty() ? "torch" : "torch, OPENBLAS_THREAD_TIMEOUT=" + ts.blasTimeout + ": the fastest of " + ts.chosen;
    }

    static List<Row> run(List<Case> all, Pattern filter, int[] threads, boolean quick, boolean numpy, boolean torch, boolean ort) {
        List<Case> cs = all.stream().filter(c -> filter.matcher(c.op() + " " + c.size()).find()).toList();
        List<Row> rows = new ArrayList<>();
        if (cs.isEmpty()) { System.out.println("bench: no case matches the filter"); return rows; }
        System.out.println(llmbook.Version.describe());
        System.out.printf(Locale.ROOT, "%-18s %-22s %3s %10s %-8s %10s %19s %8s%s%n", "op", "size", "thr", "speed", "unit",
                "median ms", "min..max ms", "×scalar", numpy || torch ? "   ×numpy  ×np-best" : ort ? "     ×ORT ×ORT-best" : "");
        Map<Integer, Numpy> np = new HashMap<>();
        Map<Integer, BenchTrain.TorchSteps> torchSteps = new HashMap<>();     // one PyTorch process per thread count
        if (numpy) {
            try { for (int t : threads) np.put(t, new Numpy(t)); }
            catch (IOException e) { System.out.println("bench: numpy baseline unavailable (" + e.getMessage() + ")"); }
        }
        List<String> npLines = new ArrayList<>();
        for (Case c : cs) {
            // The vector timings come first: the train step's scalar twin runs the same call sites with the scalar
            // branches taken, and timed first it left the JIT's profile skewed for the vector run that followed.
            Timing[] vt = new Timing[threads.length], base = new Timing[threads.length], pair = new Timing[threads.length];
            double[] pairRatio = new double[threads.length];
            for (int ti = 0; ti < threads.length; ti++) {
                int t = threads[ti];
                Kernels.setThreads(t);
                // A training step keeps getting faster for ~300 steps as C2 compiles its methods (medians of 25-step
                // blocks of the 2-thread step from a cold JVM: 54-66 ms at 25, ~44 at 100-200, ~42 from 300 on); a
                // training run spends nearly all its steps past that, so that is the speed timed.
                int minWarm = c.op().equals("train step") ? 300 : 0;
                vt[ti] = time(c.vector(), quick, minWarm);
                if (c.paired()) {                    // the "÷" baseline at this thread count, in blocks alternating with ours
                    Timing warm = time(c.scalar(), quick, minWarm);
                    double per = Math.max(vt[ti].median(), warm.median());
                    int block = (int) Math.max(BenchTrain.BLOCK_WARM + 3, Math.min(200, (quick ? 0.3 : 1.0) / per));   // ~1 s blocks
                    try {
                        Timing[] both = BenchTrain.alternate(c.vector(), BenchTrain.Blocks.of(c.scalar()), quick ? 2 : 5, block);
                        vt[ti] = both[0];
                        pair[ti] = both[1];
                    } catch (IOException e) { throw new java.io.UncheckedIOException(e); }   // not thrown by runnables in this JVM
                    pairRatio[ti] = pair[ti].median() / vt[ti].median();
                }
                if (np.containsKey(t) && c.mkn() != null) {
                    try { base[ti] = np.get(t).time(c.mkn(), c.work(), quick); }
                    catch (IOException | RuntimeException e) { System.out.println("bench: numpy failed: " + e.getMessage()); np.remove(t); }
                }
                if (torch && c.op().equals("train step")) {
                    try {
                        BenchTrain.TorchSteps ts = torchSteps.get(t);
                        if (ts == null) {
                            torchSteps.put(t, ts = BenchTrain.TorchSteps.fastest(t, 20, quick ? 8 : 30));
                            // one round of the alternation, not kept: without it the first row's PyTorch blocks ran
                            // slower than the later rows' with the same process (median 90.5 against 74.3-77.3 ms, 2 threads)
                            BenchTrain.alternate(c.vector(), ts, 1, quick ? 8 : 20);
                        }
                        Timing[] both = BenchTrain.alternate(c.vector(), ts, quick ? 2 : 5, quick ? 8 : 20);
                        vt[ti] = both[0];
                        base[ti] = both[1];
                    } catch (IOException | RuntimeException e) { System.out.println("bench: torch failed: " + e.getMessage()); }
                }
                if (ort && c.op().equals("minilm embed")) base[ti] = BenchOrt.time(t, c.size(), quick);
            }
            Kernels.setThreads(1);
            Timing s = c.paired() ? null : time(c.scalar(), quick);
            for (int ti = 0; ti < threads.length; ti++) {
                int t = threads[ti];
                Timing v = vt[ti], n = base[ti];
                double value = c.work() / v.median() / unitDiv(c.unit());
                double ratio = c.paired() ? pairRatio[ti] : s.median() / v.median();
                double npRatio = n == null ? Double.NaN : n.median() / v.median();
                double npBest = n == null ? Double.NaN : n.min() / v.min();
                Row row = new Row(c.op(), c.size(), t, value, c.unit(), v.median() * 1e3, v.min() * 1e3, v.max() * 1e3, ratio,
                        npRatio, npBest);
                rows.add(row);
                System.out.printf(Locale.ROOT, "%-18s %-22s %3d %10.1f %-8s %10.3f %9.3f..%-9.3f %8.1f%s%n", row.op(), row.size(), t, value,
                        c.unit(), row.medianMs(), row.minMs(), row.maxMs(), ratio,
                        numpy || torch || ort ? (n == null ? "        -" : String.format(Locale.ROOT, " %8.2f %8.2f", npRatio, npBest)) : "");
                if (n != null)
                    npLines.add(String.format(Locale.ROOT, "  %-22s %3d %10.1f %-8s median %8.3f ms  min %8.3f ms  (%s)",
                            c.size(), t, c.work() / n.median() / unitDiv(c.unit()), c.unit(), n.median() * 1e3, n.min() * 1e3,
                            c.mkn() != null ? "numpy a @ b" : c.op().equals("minilm embed") ? "ONNX Runtime" : torchLabel(torchSteps.get(t))));
            }
            if (c.paired()) for (int ti = 0; ti < threads.length; ti++) printBaseline("  ÷ baseline", threads[ti], c, pair[ti]);
            else printBaseline("  scalar twin", 1, c, s);
        }
        np.values().forEach(Numpy::close);
        torchSteps.values().forEach(BenchTrain.TorchSteps::close);
        BenchOrt.closeAll();
        if (!npLines.isEmpty()) {
            System.out.println("baselines (OpenBLAS / torch with OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = thr; ONNX Runtime with thr intra-op threads), "
                    + "each timed right after ours (torch: in blocks alternating with ours):");
            npLines.forEach(System.out::println);
        }
        Kernels.setThreads(Runtime.getRuntime().availableProcessors());
        return rows;
    }

    /**
     * A long-running {@code /usr/bin/python3} timing numpy's {@code a @ b} on request, so that each OpenBLAS
     * measurement is taken right next to ours (same moment, same machine load). One process per thread count.
     */
    static final class Numpy implements AutoCloseable {
        private final Process proc;
        private final OutputStream in;
        private final BufferedReader out;

        Numpy(int threads) throws IOException {
            Path py = Files.createTempFile("llmbook-numpy", ".py");
            try (InputStream script = Bench.class.getResourceAsStream("numpy_matmul.py")) {
                Files.write(py, script.readAllBytes());
            }
            py.toFile().deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", py.toString());
            pb.environment().remove("OPENBLAS_CORETYPE");   // let OpenBLAS pick its kernel for this CPU
            pb.environment().remove("OPENBLAS_L2_SIZE");
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            proc = pb.start();
            in = proc.getOutputStream();
            out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Median and min seconds of numpy's matmul for {m, k, n, transA, transB}. */
        Timing time(int[] s, double flops, boolean quick) throws IOException {
            int reps = (int) Math.max(quick ? 5 : 15, Math.min(201, (quick ? 0.3e9 : 1e9) / flops * 100));
            in.write((s[0] + " " + s[1] + " " + s[2] + " " + s[3] + " " + s[4] + " " + reps + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line = out.readLine();
            if (line == null) throw new IOException("python exited");
            String[] f = line.trim().split("\\s+");
            return new Timing(Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.NaN);
        }

        @Override public void close() {
            try { in.close(); proc.waitFor(); } catch (IOException | InterruptedException e) { proc.destroy(); }
        }
    }

    static void writeJson(Path file, List<Row> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(Locale.ROOT,
                    "  {\"op\": \"%s\", \"size\": \"%s\", \"threads\": %d, \"value\": %.3f, \"unit\": \"%s\", \"median_ms\": %.4f, "
                            + "\"min_ms\": %.4f, \"max_ms\": %.4f, \"ratio_to_scalar\": %.3f, \"ratio_to_numpy\": %s, \"ratio_to_numpy_best\": %s}%s%n",
                    r.op(), r.size(), r.threads(), r.value(), r.unit(), r.medianMs(), r.minMs(), r.maxMs(), r.scalarRatio(),
                    Double.isNaN(r.numpyRatio()) ? "null" : String.format(Locale.ROOT, "%.3f", r.numpyRatio()),
                    Double.isNaN(r.numpyBestRatio()) ? "null" : String.format(Locale.ROOT, "%.3f", r.numpyBestRatio()),
                    i + 1 < rows.size() ? "," : ""));
        }
        sb.append("]\n");
        try {
            Files.writeString(file, sb.toString());
            System.out.println("wrote " + rows.size() + " rows to " + file);
        } catch (IOException e) {
            System.err.println("bench: cannot write " + file + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
