package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import llmbook.data.Corpus;
import llmbook.kernels.Kernels;
import llmbook.model.gpt.Checkpoint;
import llmbook.model.gpt.Generator;
import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;

/** {@code ./llmbook generate}: continues a prompt with a model saved by {@code ./llmbook train}. Q19–Q21. */
public final class Generate {
    private Generate() {}

    static final String HELP = """
            usage: ./llmbook generate [--run DIR] [--prompt TEXT] [flags]

              --run DIR          run folder written by ./llmbook train (default runs/gpt)
              --prompt TEXT      text to continue (default "Call me Ishmael.")
              --max-tokens N     tokens to generate (default 300)
              --temperature T    0 = greedy; higher = more random (default 0.8)
              --top-k K          keep the K most likely tokens (0 = all, default 0)
              --top-p P          keep the smallest set of tokens with probability >= P (default 1.0)
              --seed N           random seed (default 1)
              --no-cache         recompute the whole window for every token (slow; same greedy text)
              --bench            time greedy generation of --max-tokens (default 256) tokens with and without the
                                 KV cache and print both medians and their ratio; uses --run if it exists, else
                                 an untrained reference model (speed does not depend on the weights)
              --quick            with --bench: shorter warm-up and fewer samples
              --threads N        kernel threads (default 1)
            """;

    /** Greedy generation of {@code maxTokens} tokens, timed with and without the KV cache (the harness of {@link Bench}). */
    static int bench(Path run, boolean useRun, String prompt, int maxTokens, boolean quick, PrintStream out) throws IOException {
        Gpt model;
        int[] ids;
        if (useRun) {
            Checkpoint.Loaded c = Checkpoint.load(run);
            model = c.model();
            ids = c.tokenizer().encode(prompt);
            out.println("model from " + run + ": " + model.config);
        } else {
            CharTokenizer tok = CharTokenizer.fit(Corpus.load("moby-dick").text());
            model = new Gpt(GptConfig.reference(tok.vocabSize()), new Rng(1337));
            ids = tok.encode(prompt);
            out.println("untrained " + model.config);
        }
        Generator gen = new Generator(model);
        out.printf(Locale.ROOT, "greedy, batch 1, prompt %d tokens, %d new tokens, %d kernel thread(s)%n", ids.length, maxTokens, Kernels.threads());
        Bench.Timing cached = Bench.time(() -> gen.greedy(ids, maxTokens, true), quick);
        out.printf(Locale.ROOT, "  KV cache     median %9.2f ms  (min %.2f, max %.2f)  %,10.0f tokens/s%n",
                cached.median() * 1e3, cached.min() * 1e3, cached.max() * 1e3, maxTokens / cached.median());
        Bench.Timing plain = Bench.time(() -> gen.greedy(ids, maxTokens, false), quick);
        out.printf(Locale.ROOT, "  no cache     median %9.2f ms  (min %.2f, max %.2f)  %,10.0f tokens/s%n",
                plain.median() * 1e3, plain.min() * 1e3, plain.max() * 1e3, maxTokens / plain.median());
        out.printf(Locale.ROOT, "  the KV cache is %.1fx faster (ratio of medians)%n", plain.median() / cached.median());
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Flags f = new Flags(args, Set.of("run", "prompt", "max-tokens", "temperature", "top-k", "top-p", "seed", "threads"),
                    Set.of("help", "no-cache", "bench", "quick"));
            if (f.has("help")) { out.print(HELP); return 0; }
            // Every flag is checked before the (slower) model load, so a typo fails at once.
            String prompt = f.string("prompt", "Call me Ishmael.");
            int maxTokens = f.integer("max-tokens", f.has("bench") ? 256 : 300, 0), topK = f.integer("top-k", 0, 0), seed = f.integer("seed", 1, 0);
            float temperature = f.real("temperature", 0.8f, 0f, 100f), topP = f.real("top-p", 1f, 1e-6f, 1f);
            if (prompt.isEmpty()) throw new Flags.UsageException("--prompt must not be empty");
            Kernels.setThreads(f.integer("threads", 1, 1));
            Path run = Path.of(f.string("run", "runs/gpt"));
            if (f.has("bench")) return bench(run, f.has("run") || Files.isDirectory(run), prompt, maxTokens, f.has("quick"), out);
            Checkpoint.Loaded c = Checkpoint.load(run);
            int[] ids = c.tokenizer().encode(prompt);
            int[] all = new Generator(c.model()).generate(ids, maxTokens, temperature, topK, topP, new Rng(seed), !f.has("no-cache"));
            out.println(c.tokenizer().decode(all));
            return 0;
        } catch (Flags.UsageException | IllegalArgumentException e) {
            err.println("llmbook generate: " + e.getMessage());
            err.println("run ./llmbook generate --help for the flags");
            return 2;
        } catch (IOException e) {
            err.println("llmbook generate: " + e.getMessage());
            return 1;
        }
    }
}
