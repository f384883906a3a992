package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import llmbook.data.Corpus;
import llmbook.model.gpt.Checkpoint;
import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import tech.tablesaw.api.Table;

/** {@code ./llmbook train}: trains a GPT on a corpus and saves the run folder. Q12. */
public final class Train {
    private Train() {}

    static final String HELP = """
            usage: ./llmbook train [--out DIR] [--force] [flags]

            Trains a character-level GPT (defaults: the book's reference model on Moby Dick) and writes
            DIR/model.safetensors, config.json, tokenizer.json and metrics.csv (step, train_loss, val_loss,
            lr, tokens_per_s, elapsed_s). A progress bar shows the loss and speed.

              --out DIR          run folder (default runs/gpt); refused if it exists, unless --force
              --force            overwrite an existing run folder
              --corpus NAME      moby-dick (default) or sotu
              --tokenizer char   the tokenizer (only char in this version)
              --layers N         transformer blocks (default 4)
              --heads N          attention heads (default 4)
              --width N          model width (default 128)
              --context N        context length (default 128)
              --dropout P        dropout (default 0)
              --batch N          sequences per step (default 16)
              --steps N          optimisation steps (default 2000)
              --lr X             peak learning rate (default 0.001)
              --warmup N         warm-up steps (default 100)
              --weight-decay X   AdamW weight decay on matrices (default 0.1)
              --clip X           gradient clipping, global norm (default 1.0)
              --eval-interval N  evaluate every N steps (default 250)
              --seed N           random seed (default 1337)
              --threads N        kernel threads (default: all cores)
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Flags f = new Flags(args, Set.of("out", "corpus", "tokenizer", "layers", "heads", "width", "context", "dropout", "batch",
                    "steps", "lr", "warmup", "weight-decay", "clip", "eval-interval", "seed", "threads"), Set.of("force", "help"));
            if (f.has("help")) { out.print(HELP); return 0; }
            if (!f.string("tokenizer", "char").equals("char"))
                throw new Flags.UsageException("--tokenizer: only 'char' is available in this version, got '" + f.string("tokenizer", "") + "'");
            Path dir = Path.of(f.string("out", "runs/gpt"));
            if (Files.exists(dir) && !f.has("force"))
                throw new Flags.UsageException("run folder " + dir + " exists; choose another --out or add --force to overwrite it");
            Corpus corpus = Corpus.load(f.string("corpus", "moby-dick"));
            CharTokenizer tok = CharTokenizer.fit(corpus.text());
            GptConfig cfg = new GptConfig(tok.vocabSize(), f.integer("context", 128, 1), f.integer("layers", 4, 1), f.integer("heads", 4, 1),
                    f.integer("width", 128, 1), f.real("dropout", 0f, 0f, 0.99f));
            TrainConfig ref = TrainConfig.reference();
            int steps = f.integer("steps", ref.steps(), 1);
            TrainConfig tc = new TrainConfig(steps, f.integer("batch", ref.batch(), 1), f.real("lr", ref.lr(), 1e-8f, 10f),
                    f.integer("warmup", Math.min(ref.warmup(), steps), 0), f.real("weight-decay", ref.weightDecay(), 0f, 10f),
                    ref.beta1(), ref.beta2(), f.real("clip", ref.clip(), 1e-6f, 1e6f), f.integer("eval-interval", ref.evalInterval(), 1),
                    ref.evalBatches(), f.integer("seed", (int) ref.seed(), 0), f.integer("threads", ref.threads(), 1));
            out.println(cfg);
            out.println("corpus " + corpus.provenance() + "; " + tok.vocabSize() + " characters");
            Gpt model = new Gpt(cfg, new Rng(tc.seed()));
            Trainer trainer = new Trainer(model, tc, tok.encode(corpus.train()), tok.encode(corpus.validation()));
            Table m = trainer.run(null);
            Files.createDirectories(dir);
            Checkpoint.save(dir, model, tok, Map.of("steps", String.valueOf(steps), "corpus", corpus.name()));
            writeCsv(m, dir.resolve("metrics.csv"));
            double val = m.doubleColumn("val_loss").get(m.rowCount() - 1);
            out.printf("final validation loss %.4f (perplexity %.2f); saved to %s%n", val, Math.exp(val), dir);
            return 0;
        } catch (Flags.UsageException | IllegalArgumentException e) {
            err.println("llmbook train: " + e.getMessage());
            err.println("run ./llmbook train --help for the flags");
            return 2;
        } catch (IllegalStateException | IOException e) {
            err.println("llmbook train: " + e.getMessage());
            return 1;
        }
    }

    static void writeCsv(Table t, Path file) throws IOException {
        llmbook.util.AtomicFiles.replace(file, tmp -> t.write().csv(tmp.toFile()));
    }
}
