package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import llmbook.data.Corpus;
import llmbook.io.Weights;
import llmbook.model.Checkpoint;
import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.nn.Module;
import llmbook.peft.BottleneckAdapter;
import llmbook.peft.Lora;
import llmbook.peft.Peft;
import llmbook.peft.PromptTuning;
import llmbook.tensor.Rng;
import llmbook.tokenizer.Tokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;
import llmbook.util.AtomicFiles;
import llmbook.util.Json;
import tech.tablesaw.api.Table;

/**
 * {@code ./llmbook finetune}: adapts a trained run to a new corpus with full fine-tuning, LoRA, QLoRA, BitFit,
 * bottleneck adapters or prompt tuning, and reports what it cost and what it forgot (the old corpus's validation loss before and after).
 * Q13, Q14, Q17.
 */
public final class Finetune {
    private Finetune() {}

    static final String HELP = """
            usage: ./llmbook finetune --run BASE --method M [--corpus sotu] [--out DIR] [--force] [flags]

            Fine-tunes the model of the run folder BASE (from ./llmbook train) on a corpus, with BASE's tokenizer, and
            writes DIR: metrics.csv (step, train_loss, val_loss, lr, tokens_per_s, elapsed_s, on the new corpus),
            finetune.json (method, trainable parameters, bytes, seconds per step, new- and old-domain validation loss
            before the first step — of the adapted model: for qlora the 4-bit base — and after) and the result:
              full, bitfit    model.safetensors + config.json + tokenizer.json: a run folder for ./llmbook generate
              lora:R, qlora:R adapter.safetensors (the adapters alone, a few KB) and the merged model as a run folder
              adapter:M       adapter.safetensors (bottleneck adapters of M units after every block's attention
                              output and MLP; they cannot be merged: ./llmbook generate --run BASE --adapter FILE)
              prompt:N        prompt.safetensors (the N virtual tokens; generate cannot use them)
            The old domain is BASE's training corpus when it was a named corpus. Errors are one line.

              --run DIR          the base run folder (required)
              --method M         full, lora:R, qlora:R (NF4 base, blocks of 64, double-quantised), bitfit, adapter:M
                                 or prompt:N
              --corpus NAME      the new domain: sotu (default) or moby-dick; validation = the last 10%
              --target T         LoRA/QLoRA layers: attn (q, k, v, o; default) or all (every linear layer)
              --alpha X          LoRA scale numerator α (default 2R)
              --out DIR          output folder (default runs/finetune); refused if it exists, unless --force
              --force            replace an existing output folder's files
              --steps N          optimizer steps (default 300)
              --lr X             peak learning rate (default 3e-4 for full, 1e-3 otherwise)
              --batch N          sequences per step (default 16)
              --warmup N         warm-up steps (default 20)
              --eval-interval N  evaluate every N steps (default 50)
              --eval-batches N   validation batches per evaluation (default 10)
              --seed N           random seed (default 1337)
              --threads N        kernel threads (default: all cores)
              --help             this text
            """;

    private static final Set<String> VALUED = Set.of("run", "method", "corpus", "target", "alpha", "out", "steps", "lr", "batch", "warmup",
            "eval-interval", "eval-batches", "seed", "threads");

    /** A parsed {@code --method}: its kind and its number (rank R or virtual tokens N; 0 for full and bitfit). */
    record Method(String kind, int n) {
        static Method parse(String spec) {
            String[] p = spec.split(":", -1);
            String usage = "--method must be full, lora:R, qlora:R, bitfit, adapter:M or prompt:N, got '" + spec + "'";
            switch (p[0]) {
                case "full", "bitfit" -> { if (p.length != 1) throw new Flags.UsageException(usage); return new Method(p[0], 0); }
                case "lora", "qlora", "adapter", "prompt" -> {
                    if (p.length != 2) throw new Flags.UsageException(usage);
                    try {
                        int n = Integer.parseInt(p[1]);
                        if (n < 1) throw new Flags.UsageException(usage + " (R, M and N are >= 1)");
                        return new Method(p[0], n);
                    } catch (NumberFormatException e) {
                        throw new Flags.UsageException(usage);
                    }
                }
                default -> throw new Flags.UsageException(usage);
            }
        }
    }

    public static void main(String[] args) { System.exit(run(args, System.out, System.err)); }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("finetune", err, () -> {
            try {
                Flags f = new Flags(args, VALUED, Set.of("force", "help"));
                if (f.has("help")) { out.print(HELP); return 0; }
                return finetune(f, out);
            } catch (Flags.UsageException | IllegalArgumentException e) {
                err.println("llmbook finetune: " + e.getMessage());
                err.println("run ./llmbook finetune --help for the flags");
                return 2;
            } catch (IllegalStateException | IOException e) {
                err.println("llmbook finetune: " + e.getMessage());
                return 1;
            }
        });
    }

    private static int finetune(Flags f, PrintStream out) throws IOException {
        if (!f.has("run")) throw new Flags.UsageException("--run BASE is required (a run folder from ./llmbook train)");
        if (!f.has("method")) throw new Flags.UsageException("--method is required: full, lora:R, qlora:R, bitfit, adapter:M or prompt:N");
        Method method = Method.parse(f.string("method", ""));
        String target = f.string("target", "attn");
        if (!target.equals("attn") && !target.equals("all")) throw new Flags.UsageException("--target must be attn or all, got '" + target + "'");
        String corpusName = f.string("corpus", "sotu");
        if (!Corpus.available().contains(corpusName))
            throw new Flags.UsageException("--corpus: unknown corpus '" + corpusName + "'; known: " + String.join(", ", Corpus.available()));
        int steps = f.integer("steps", 300, 1), warmup = f.integer("warmup", Math.min(20, steps), 0);
        if (warmup > steps) throw new Flags.UsageException("--warmup " + warmup + " must be at most --steps " + steps);
        float lr = f.real("lr", method.kind.equals("full") ? 3e-4f : 1e-3f, 1e-8f, 10f);
        float alpha = f.real("alpha", 2f * Math.max(1, method.n), 1e-6f, 1e6f);
        int threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), 1);
        TrainConfig tc = TrainConfig.reference().withSteps(steps).withLr(lr).withWarmup(warmup).withBatch(f.integer("batch", 16, 1))
                .withEvalInterval(f.integer("eval-interval", 50, 1)).withEvalBatches(f.integer("eval-batches", 10, 1))
                .withSeed(f.integer("seed", 1337, 0)).withThreads(threads);
        Path base = Path.of(f.string("run", "")), dir = Path.of(f.string("out", "runs/finetune"));
        if (!Files.isDirectory(base)) throw new Flags.UsageException("--run: no run folder " + base);
        if (Files.exists(dir) && !f.has("force"))
            throw new Flags.UsageException("output folder " + dir + " exists; choose another --out or add --force to replace it");

        Checkpoint.Loaded loaded = Checkpoint.load(base);
        Decoder decoder = loaded.model();
        Tokenizer tok = loaded.tokenizer();
        Corpus corpus = Corpus.load(corpusName);
        int[] trainIds = tok.encode(corpus.train()), valIds = tok.encode(corpus.validation());
        String oldName = loaded.metadata().get("corpus");
        Corpus old = oldName != null && Corpus.available().contains(oldName) && !oldName.equals(corpusName) ? Corpus.load(oldName) : null;
        int[] oldVal = old == null ? null : tok.encode(old.validation());
        out.printf("base %s (%s, %,d parameters); new domain %s: %,d training and %,d validation tokens%s%n", base, oldName == null ? "?" : oldName,
                decoder.numParameters(), corpusName, trainIds.length, valIds.length, unknownNote(tok, trainIds));

        Rng rng = new Rng(tc.seed());
        LanguageModel model = decoder;
        switch (method.kind) {
            case "full" -> { }
            case "bitfit" -> Peft.bitFit(decoder);
            case "lora", "qlora" -> {
                String[] patterns = target.equals("attn") ? new String[] {"h.*.attn.q", "h.*.attn.k", "h.*.attn.v", "h.*.attn.o"}
                        : Lora.linearPaths(decoder).toArray(String[]::new);
                for (String p : patterns) {
                    if (method.kind.equals("lora")) Lora.apply(decoder, p, method.n, alpha, rng);
                    else Lora.applyQuantized(decoder, p, method.n, alpha, 0f, rng);
                }
            }
            case "adapter" -> {
                for (String p : new String[] {"h.*.attn.o", "h.*.mlp"}) BottleneckAdapter.apply(decoder, p, decoder.config.width(), method.n, rng);
            }
            case "prompt" -> model = new PromptTuning(decoder, method.n, rng);
            default -> throw new IllegalStateException("unreachable");
        }
        Module m = (Module) model;
        double newBefore = evaluate(model, tc, valIds), oldBefore = oldVal == null ? Double.NaN : evaluate(model, tc, oldVal);
        long weightBytes = Peft.weightBytes(m), stateBytes = Peft.trainingStateBytes(m);
        out.printf("%s: %,d trainable of %,d parameters (%.3f%%); weights %s, gradients + AdamW moments %s%n", method.kind + (method.n > 0 ? ":" + method.n : ""),
                m.numTrainable(), m.numParameters(), 100.0 * m.numTrainable() / m.numParameters(), MemoryEstimate.size(weightBytes), MemoryEstimate.size(stateBytes));
        Files.createDirectories(dir);
        Trainer trainer = new Trainer(model, tc, trainIds, valIds).label("finetune " + f.string("method", ""));
        Table metrics = trainer.run(t -> writeCsv(t, dir));
        writeCsv(metrics, dir);
        double seconds = metrics.doubleColumn("elapsed_s").get(metrics.rowCount() - 1);
        double newAfter = trainer.evaluate(), oldAfter = oldVal == null ? Double.NaN : evaluate(model, tc, oldVal);

        Map<String, String> meta = Map.of("corpus", corpusName, "base", base.toString(), "method", f.string("method", ""));
        switch (method.kind) {
            case "full", "bitfit" -> Checkpoint.save(dir, decoder, tok, meta);
            case "lora", "qlora" -> {
                Lora.save(dir.resolve("adapter.safetensors"), decoder, meta);
                Lora.mergeAndUnwrap(decoder);
                Checkpoint.save(dir, decoder, tok, meta);
            }
            case "adapter" -> BottleneckAdapter.save(dir.resolve("adapter.safetensors"), decoder, meta);
            case "prompt" -> Weights.save(dir.resolve("prompt.safetensors"), Map.of("prompt", ((PromptTuning) model).prompt), meta);
            default -> throw new IllegalStateException("unreachable");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("base", base.toString());
        summary.put("corpus", corpusName);
        summary.put("old_corpus", old == null ? "" : oldName);
        summary.put("method", f.string("method", ""));
        summary.put("target", method.kind.contains("lora") ? target : "");
        summary.put("trainable_params", m.numTrainable());
        summary.put("total_params", m.numParameters());
        summary.put("weight_bytes", weightBytes);
        summary.put("training_state_bytes", stateBytes);
        summary.put("seconds_per_step", seconds / steps);
        summary.put("new_val_before", newBefore);
        summary.put("new_val_after", newAfter);
        summary.put("old_val_before", Double.isNaN(oldBefore) ? "" : oldBefore);
        summary.put("old_val_after", Double.isNaN(oldAfter) ? "" : oldAfter);
        AtomicFiles.writeString(dir.resolve("finetune.json"), Json.write(summary) + "\n");
        out.printf("new domain (%s) validation loss %.4f → %.4f%s; %.3f s per step; saved to %s%n", corpusName, newBefore, newAfter,
                old == null ? "" : String.format("; old domain (%s) %.4f → %.4f", oldName, oldBefore, oldAfter), seconds / steps, dir);
        return 0;
    }

    /** The trainer's validation loss (the same fixed windows of {@code ids}) of {@code model} as it is now. */
    static double evaluate(LanguageModel model, TrainConfig tc, int[] ids) {
        Module m = (Module) model;
        var trainable = m.trainableParameters();
        if (!trainable.isEmpty()) return new Trainer(model, tc, ids, ids).evaluate();
        throw new IllegalStateException("finetune: nothing to evaluate with: every parameter is frozen");
    }

    private static String unknownNote(Tokenizer tok, int[] ids) {
        if (!(tok instanceof llmbook.tokenizer.CharTokenizer)) return "";
        long unk = 0;
        for (int id : ids) if (id == 0) unk++;
        return unk == 0 ? "" : String.format(" (%,d characters unknown to the base's tokenizer read as <unk>)", unk);
    }

    private static void writeCsv(Table t, Path dir) {
        try {
            Train.writeCsv(t, dir.resolve("metrics.csv"));
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + dir.resolve("metrics.csv") + ": " + e.getMessage(), e);
        }
    }
}
