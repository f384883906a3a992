package llmbook.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import llmbook.io.Llama2c;
import llmbook.model.Checkpoint;

/** {@code ./llmbook export}: a run folder's model in another program's format (llama2.c's {@code run.c}). Q50. */
public final class Export {
    private Export() {}

    static final String HELP = """
            usage: ./llmbook export --run DIR --format llama2c --out FILE [--tokenizer-out FILE]

            Writes a model trained with --preset llama in llama2.c's checkpoint format (run.c, legacy version 0:
            a header of seven int32, then float32 weights in its order; RoPE rows of wq/wk reordered to its
            neighbour pairs). Other presets are refused with the reason.
              --run DIR             run folder written by ./llmbook train
              --format llama2c      the only format so far
              --out FILE            the checkpoint to write (e.g. model.bin)
              --tokenizer-out FILE  also write run.c's tokenizer.bin (each token's text as one piece)
            """;

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("export", err, () -> {
            Path run, file, tokFile;
            try {
                Flags f = new Flags(args, Set.of("run", "format", "out", "tokenizer-out"), Set.of("help"));
                if (f.has("help")) { out.print(HELP); return 0; }
                if (!f.has("run") || !f.has("out")) throw new Flags.UsageException("--run DIR and --out FILE are required");
                String format = f.string("format", "llama2c");
                if (!format.equals("llama2c")) throw new Flags.UsageException("--format must be llama2c, got '" + format + "'");
                run = Path.of(f.string("run", ""));
                file = Path.of(f.string("out", ""));
                tokFile = f.has("tokenizer-out") ? Path.of(f.string("tokenizer-out", "")) : null;
                if (!Files.isDirectory(run)) throw new Flags.UsageException("--run: no run folder " + run);
            } catch (Flags.UsageException e) {
                err.println("llmbook export: " + e.getMessage() + " (see ./llmbook export --help)");
                return 2;
            }
            Checkpoint.Loaded c = Checkpoint.load(run);
            String why = Llama2c.incompatibility(c.model().config);
            if (why != null) {
                err.println("llmbook export: error: " + run + " is not a llama-preset model (" + why + "); train one with ./llmbook train --preset llama");
                return 1;
            }
            Llama2c.write(c.model(), file);
            if (tokFile != null) Llama2c.writeTokenizer(c.tokenizer(), tokFile);
            var h = Llama2c.read(file).header();
            out.printf("wrote %s (%,d bytes): dim %d, hidden %d, layers %d, heads %d, kv heads %d, vocab %d, seq_len %d, %s classifier%s%n", file,
                    Files.size(file), h.dim(), h.hiddenDim(), h.layers(), h.heads(), h.kvHeads(), h.vocab(), h.seqLen(),
                    h.sharedClassifier() ? "shared" : "separate", tokFile == null ? "" : "; tokenizer " + tokFile);
            return 0;
        });
    }
}
