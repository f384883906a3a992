package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import llmbook.model.gpt.Checkpoint;
import llmbook.model.gpt.Sampler;
import llmbook.tensor.Rng;

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
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Flags f = new Flags(args, Set.of("run", "prompt", "max-tokens", "temperature", "top-k", "top-p", "seed"), Set.of("help"));
            if (f.has("help")) { out.print(HELP); return 0; }
            // Every flag is checked before the (slower) model load, so a typo fails at once.
            String prompt = f.string("prompt", "Call me Ishmael.");
            int maxTokens = f.integer("max-tokens", 300, 0), topK = f.integer("top-k", 0, 0), seed = f.integer("seed", 1, 0);
            float temperature = f.real("temperature", 0.8f, 0f, 100f), topP = f.real("top-p", 1f, 1e-6f, 1f);
            if (prompt.isEmpty()) throw new Flags.UsageException("--prompt must not be empty");
            Checkpoint.Loaded c = Checkpoint.load(Path.of(f.string("run", "runs/gpt")));
            int[] ids = c.tokenizer().encode(prompt);
            int[] all = new Sampler(c.model()).generate(ids, maxTokens, temperature, topK, topP, new Rng(seed));
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
