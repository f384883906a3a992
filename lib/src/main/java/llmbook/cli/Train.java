package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import llmbook.data.Corpus;
import llmbook.model.Checkpoint;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.model.transformer.TransformerConfig.Ffn;
import llmbook.model.transformer.TransformerConfig.Norm;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.tensor.Rng;
import llmbook.tokenizer.BpeTrainer;
import llmbook.tokenizer.CharTokenizer;
import llmbook.tokenizer.Tokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.TrainState;
import llmbook.train.Trainer;
import llmbook.util.AtomicFiles;
import llmbook.util.Json;
import llmbook.util.TextFiles;
import tech.tablesaw.api.Table;

/**
 * {@code ./llmbook train}: trains a decoder-only language model (any variant of {@link TransformerConfig}: the
 * {@code gpt2} or {@code llama} preset, changed by flags) on a corpus and saves the run folder; {@code --resume}
 * continues one. Q12, Q16.
 */
public final class Train {
    private Train() {}

    static final String HELP = """
            usage: ./llmbook train [--out DIR] [--force] [flags]
                   ./llmbook train --resume [--out DIR] [--threads N]

            Trains a language model (defaults: the book's reference GPT, characters of Moby Dick) and writes the run folder
            DIR: model.safetensors (weights), config.json (model shape), tokenizer.json (+ tokenizer.bpe),
            metrics.csv (step, train_loss, val_loss, lr, tokens_per_s, elapsed_s), run.json (these settings) and
            train_state.safetensors (optimizer moments, RNG positions, metrics: what --resume needs). The folder is
            saved at every evaluation, atomically, so an interrupted run can be resumed and continues the same loss
            curve. Then: ./llmbook generate --run DIR. Before anything is loaded, the memory the run needs (weights,
            gradients, AdamW moments, activations) is estimated and a run that cannot fit in the heap is refused
            (raise it with LLMBOOK_JAVA_OPTS=-Xmx8g). Errors are one line; LLMBOOK_DEBUG=1 adds the stack trace.

              --out DIR          run folder (default runs/gpt); refused if it exists, unless --force or --resume
              --force            replace the run files in an existing folder
              --resume           continue the run in DIR from its last save, with its saved settings
              --corpus NAME      moby-dick (default) or sotu; validation = the last 10%
              --text FILE        train on a UTF-8 text file instead (split 90/10 at a line break)
              --tokenizer T      char (default), or bpe:N to train a byte-level BPE tokenizer of N ids
                                 (257..65536) on the training split
              --preset P         gpt2 (default: learned positions, LayerNorm, GELU, MHA, biases, tied output) or
                                 llama (RoPE, RMSNorm, SwiGLU, GQA with 2 key/value heads, no biases, untied);
                                 the flags below change one part of it
              --attention A      mha, gqa:G (G key/value heads, dividing --heads), mqa, or mla:DC:DR (latent width
                                 DC, decoupled-RoPE width DR, even)
              --moe E:K          every block's MLP becomes E experts, K per token (mixture of experts, Q46)
              --positions P      learned, sinusoidal, rope, alibi or none
              --norm N           layer or rms
              --mlp M            gelu, relu or swiglu (swiglu's hidden width keeps the MLP's parameter count)
              --layers N         transformer blocks (default 4)
              --heads N          attention heads, must divide --width (default 4)
              --width N          model width (default 128)
              --context N        context length (default 128)
              --dropout P        dropout in [0, 0.9] (default 0)
              --batch N          sequences per micro-batch (default 16)
              --accumulate N     micro-batches per optimizer step (gradient accumulation, default 1)
              --steps N          optimizer steps (default 2000)
              --lr X             peak learning rate (default 0.001)
              --warmup N         warm-up steps, at most --steps (default 100)
              --weight-decay X   AdamW weight decay on matrices (default 0.1)
              --clip X           gradient clipping, global norm (default 1.0)
              --eval-interval N  evaluate (and save) every N steps (default 250)
              --eval-batches N   validation batches per evaluation (default 20)
              --patience N       stop after N evaluations without a better val loss, keep the best (default 0 = off)
              --seed N           random seed (default 1337)
              --threads N        kernel threads (default: all cores)
              --help             this text
            """;

    static final String RUN = "run.json";

    /** Every file of a run folder (each written atomically, through a temporary file named after it). */
    private static final String[] RUN_FILES = {Checkpoint.WEIGHTS, Checkpoint.CONFIG, Checkpoint.TOKENIZER, Checkpoint.BPE_FILE,
            TrainState.FILE, "metrics.csv", RUN};

    /** Flags that describe the run; with --resume they come from run.json instead. */
    private static final Set<String> SETTINGS = Set.of("corpus", "text", "tokenizer", "preset", "attention", "positions", "norm", "mlp",
            "layers", "heads", "width", "context", "dropout", "moe",
            "batch", "accumulate", "steps", "lr", "warmup", "weight-decay", "clip", "eval-interval", "eval-batches", "patience", "seed");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("train", err, () -> runChecked(args, out, err));
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err) {
        try {
            java.util.Set<String> valued = new java.util.HashSet<>(SETTINGS);
            valued.addAll(Set.of("out", "threads"));
            Flags f = new Flags(args, valued, Set.of("force", "help", "resume"));
            if (f.has("help")) { out.print(HELP); return 0; }
            Path dir = Path.of(f.string("out", "runs/gpt"));
            int threads = f.integer("threads", Runtime.getRuntime().availableProcessors(), 1);
            if (f.has("resume")) {
                if (f.has("force")) throw new Flags.UsageException("--resume continues the run in " + dir + "; it cannot be combined with --force");
                for (String s : SETTINGS)
                    if (f.has(s)) throw new Flags.UsageException("--" + s + " cannot be changed on --resume: the run continues with the settings in "
                            + dir.resolve(RUN));
                if (!Files.isRegularFile(dir.resolve(RUN)) || !Files.isRegularFile(dir.resolve(TrainState.FILE)))
                    throw new Flags.UsageException("--resume: " + dir + " holds no resumable run (" + RUN + " and " + TrainState.FILE + " are needed)");
                try {
                    return train(savedSettings(dir.resolve(RUN)), dir, threads, true, out);
                } catch (Flags.UsageException e) {                        // a saved value that is refused is the file's fault
                    throw new IOException("run settings " + dir.resolve(RUN) + " are not valid: " + e.getMessage());
                }
            }
            if (Files.exists(dir) && !f.has("force"))
                throw new Flags.UsageException("run folder " + dir + " exists; choose another --out, add --force to replace it, or --resume it");
            return train(f, dir, threads, false, out);
        } catch (Flags.UsageException | IllegalArgumentException e) {
            err.println("llmbook train: " + e.getMessage());
            err.println("run ./llmbook train --help for the flags");
            return 2;
        } catch (IllegalStateException | IOException e) {
            err.println("llmbook train: " + e.getMessage());
            return 1;
        }
    }

    /** The settings a run was started with, from its run.json; errors name the file. */
    private static Flags savedSettings(Path file) throws IOException {
        String text = TextFiles.readUtf8(file, "run settings");
        if (text.isBlank()) throw new IOException("run settings " + file + " are empty (the file was cut short?): this run cannot be resumed");
        try {
            return new Flags(toArgs(Json.parseObject(text)), SETTINGS, Set.of());
        } catch (IllegalArgumentException | Flags.UsageException e) {      // not JSON, or a bad saved value
            throw new IOException("run settings " + file + " are not valid: " + e.getMessage());
        }
    }

    private static int train(Flags f, Path dir, int threads, boolean resume, PrintStream out) throws IOException {
        HeapWatch heap = new HeapWatch();
        // every flag is read and checked before the corpus is loaded or anything is written
        TrainConfig ref = TrainConfig.reference();
        String tokSpec = f.string("tokenizer", "char");
        int bpeVocab = parseTokenizer(tokSpec);
        modelConfig(f, 2);                                                // checks the model flags; the vocabulary comes with the tokenizer
        int steps = f.integer("steps", ref.steps(), 1);
        int warmup = f.integer("warmup", Math.min(ref.warmup(), steps), 0);
        if (warmup > steps) throw new Flags.UsageException("--warmup " + warmup + " must be at most --steps " + steps);
        if (f.has("corpus") && f.has("text")) throw new Flags.UsageException("give --corpus or --text, not both");
        TrainConfig tc = ref.withSteps(steps).withBatch(f.integer("batch", ref.batch(), 1)).withLr(f.real("lr", ref.lr(), 1e-8f, 10f))
                .withWarmup(warmup).withWeightDecay(f.real("weight-decay", ref.weightDecay(), 0f, 10f)).withClip(f.real("clip", ref.clip(), 1e-6f, 1e6f))
                .withEvalInterval(f.integer("eval-interval", ref.evalInterval(), 1)).withEvalBatches(f.integer("eval-batches", ref.evalBatches(), 1))
                .withSeed(f.integer("seed", (int) ref.seed(), 0)).withThreads(threads).withAccumulate(f.integer("accumulate", 1, 1))
                .withPatience(f.integer("patience", 0, 0));
        String corpusName = f.string("corpus", "moby-dick"), textFile = f.string("text", null);
        if (!f.has("text") && !Corpus.available().contains(corpusName))
            throw new Flags.UsageException("--corpus: unknown corpus '" + corpusName + "'; known: " + String.join(", ", Corpus.available()));
        if (textFile != null && !Files.isRegularFile(Path.of(textFile))) throw new Flags.UsageException("--text: no such file " + textFile);

        String text, trainText, valText, source;
        if (textFile != null) {
            text = TextFiles.readUtf8(Path.of(textFile), "--text file");
            int cut = (int) (text.length() * 0.9), nl = text.indexOf('\n', cut);
            int at = nl < 0 ? cut : nl + 1;
            trainText = text.substring(0, at);
            valText = text.substring(at);
            source = textFile;
        } else {
            Corpus corpus = Corpus.load(corpusName);
            text = corpus.text();
            trainText = corpus.train();
            valText = corpus.validation();
            source = corpus.provenance().toString();
        }
        Tokenizer known = null;                                          // a BPE tokenizer is trained after the memory check
        if (resume) known = Checkpoint.loadTokenizer(dir);
        else if (bpeVocab == 0) known = CharTokenizer.fit(text);        // every character of the corpus, so validation has no <unk>
        TransformerConfig cfg = modelConfig(f, known != null ? known.vocabSize() : bpeVocab);
        // refuse what cannot fit before the slow parts (BPE training, encoding, the model); at most one id per character
        MemoryEstimate mem = MemoryEstimate.training(cfg, tc.batch(), tc.patience() > 0, text.length());
        long heapMax = Runtime.getRuntime().maxMemory();
        mem.checkTraining(cfg, tc.batch(), tc.accumulate(), heapMax);
        if (known == null) out.printf("training a BPE tokenizer of %,d ids on %,d characters...%n", bpeVocab, trainText.length());
        Tokenizer tok = known != null ? known : BpeTrainer.train(trainText, bpeVocab);
        if (tok.vocabSize() != cfg.vocab())                              // a short text can run out of pairs to merge
            cfg = modelConfig(f, tok.vocabSize());
        int[] trainIds = tok.encode(trainText), valIds = tok.encode(valText);
        out.println(cfg);
        out.println(mem.summary(heapMax));
        out.printf("data: %s; tokenizer %s, %,d ids; %,d training and %,d validation tokens%n", source, tokSpec, tok.vocabSize(),
                trainIds.length, valIds.length);
        int stale = AtomicFiles.removeUnfinished(dir, RUN_FILES);
        if (stale > 0) out.printf("removed %d unfinished temporary file(s) left in %s by an interrupted save%n", stale, dir);
        Decoder model = new Decoder(cfg, new Rng(tc.seed()));
        Trainer trainer = new Trainer(model, tc, trainIds, valIds);
        if (resume) {
            trainer.resume(dir.resolve(TrainState.FILE));
            out.printf("resuming %s at step %d of %d%n", dir, trainer.step(), tc.steps());
            if (trainer.finished()) {
                out.println("nothing to do: the run is complete" + (trainer.stoppedEarly() ? " (stopped early)" : ""));
                return 0;
            }
        } else {
            prepare(dir, f, tok);
        }
        Map<String, String> meta = Map.of("corpus", textFile != null ? textFile : corpusName, "tokenizer", tokSpec);
        trainer.run(m -> save(dir, trainer, tok, meta));
        save(dir, trainer, tok, meta);
        Table m = trainer.metrics();
        double val = m.doubleColumn("val_loss").get(m.rowCount() - 1);
        if (trainer.stoppedEarly())
            out.printf("stopped early at step %d; kept the best weights (step %d)%n", trainer.step(), trainer.bestStep());
        out.printf("final validation loss %.4f (perplexity %.2f); best %.4f at step %d; saved to %s%n", val, Math.exp(val),
                trainer.bestValLoss(), trainer.bestStep(), dir);
        out.println(heap.summary());
        out.println("next: ./llmbook generate --run " + dir);
        return 0;
    }

    /** The preset {@code name} ({@code gpt2} or {@code llama}) for a vocabulary of {@code vocab} tokens. */
    static TransformerConfig preset(String name, int vocab) {
        return switch (name) {
            case "gpt2" -> TransformerConfig.gpt2(vocab);
            case "llama" -> TransformerConfig.llama(vocab);
            default -> throw new Flags.UsageException("--preset must be gpt2 or llama, got '" + name + "'");
        };
    }

    /**
     * The model the flags describe, for {@code vocab} tokens: the preset, then each flag given replaces one part. Every
     * value is checked here, with the valid choices in the message, and the whole is checked by the config itself.
     */
    static TransformerConfig modelConfig(Flags f, int vocab) {
        TransformerConfig.Builder b = preset(f.string("preset", "gpt2"), vocab).toBuilder();
        TransformerConfig base = b.build();
        int width = f.integer("width", base.width(), 1), heads = f.integer("heads", base.heads(), 1);
        if (width % heads != 0) throw new Flags.UsageException("--heads " + heads + " must divide --width " + width);
        b.layers(f.integer("layers", base.layers(), 1)).context(f.integer("context", base.context(), 1)).heads(heads).width(width)
                .dropout(f.real("dropout", 0f, 0f, 0.9f));
        Ffn ffn = base.ffn();
        if (f.has("mlp")) ffn = switch (f.string("mlp", "")) {
            case "gelu" -> Ffn.GELU;
            case "relu" -> Ffn.RELU;
            case "swiglu" -> Ffn.SWIGLU;
            default -> throw new Flags.UsageException("--mlp must be gelu, relu or swiglu, got '" + f.string("mlp", "") + "'");
        };
        // SwiGLU has three matrices, not two: a hidden width of 8C/3 (rounded to 8) keeps the MLP's parameters
        b.ffn(ffn).hidden(ffn == Ffn.SWIGLU ? (width == base.width() && base.ffn() == Ffn.SWIGLU ? base.hidden() : Math.max(8, Math.round(8f * width / 3 / 8) * 8))
                : 4 * width);
        if (f.has("positions")) b.positions(switch (f.string("positions", "")) {
            case "learned" -> Positions.LEARNED;
            case "sinusoidal" -> Positions.SINUSOIDAL;
            case "rope" -> Positions.ROPE;
            case "none" -> Positions.NONE;
            case "alibi" -> Positions.ALIBI;
            default -> throw new Flags.UsageException("--positions must be learned, sinusoidal, rope, alibi or none, got '" + f.string("positions", "") + "'");
        });
        if (f.has("norm")) b.norm(switch (f.string("norm", "")) {
            case "layer" -> Norm.LAYER_NORM;
            case "rms" -> Norm.RMS_NORM;
            default -> throw new Flags.UsageException("--norm must be layer or rms, got '" + f.string("norm", "") + "'");
        });
        if (f.has("attention")) attention(b, f.string("attention", ""), heads);
        else if (base.attention() == TransformerConfig.Attention.GQA && heads % base.kvHeads() != 0) b.attention(TransformerConfig.Attention.MHA);
        if (f.has("moe")) {
            String[] p = f.string("moe", "").split(":", -1);
            if (p.length != 2 || !p[0].matches("\\d{1,4}") || !p[1].matches("\\d{1,4}"))
                throw new Flags.UsageException("--moe must be E:K (E experts, K per token, e.g. 8:2), got '" + f.string("moe", "") + "'");
            b.moe(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Flags.UsageException(e.getMessage().replace("TransformerConfig: ", "model: "));
        }
    }

    private static void attention(TransformerConfig.Builder b, String spec, int heads) {
        String[] p = spec.split(":", -1);
        String usage = "--attention must be mha, gqa:G, mqa or mla:DC:DR, got '" + spec + "'";
        try {
            switch (p[0]) {
                case "mha" -> { if (p.length != 1) throw new Flags.UsageException(usage); b.attention(TransformerConfig.Attention.MHA); }
                case "mqa" -> { if (p.length != 1) throw new Flags.UsageException(usage); b.attention(TransformerConfig.Attention.MQA); }
                case "gqa" -> {
                    if (p.length != 2) throw new Flags.UsageException(usage);
                    int g = Integer.parseInt(p[1]);
                    if (g < 1 || heads % g != 0) throw new Flags.UsageException("--attention gqa:" + g + ": G must divide --heads " + heads);
                    b.gqa(g);
                }
                case "mla" -> {
                    if (p.length != 3) throw new Flags.UsageException(usage);
                    b.mla(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                }
                default -> throw new Flags.UsageException(usage);
            }
        } catch (NumberFormatException e) {
            throw new Flags.UsageException(usage);
        }
    }

    /** {@code char} → 0, {@code bpe:N} → N. */
    static int parseTokenizer(String spec) {
        if (spec.equals("char")) return 0;
        if (spec.startsWith("bpe:")) {
            try {
                int n = Integer.parseInt(spec.substring(4));
                if (n >= 257 && n <= BpeTrainer.MAX_VOCAB) return n;
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new Flags.UsageException("--tokenizer must be 'char' or 'bpe:N' with N in [257, " + BpeTrainer.MAX_VOCAB + "], got '" + spec + "'");
    }

    /** A fresh run folder: the old run files go (with --force), the settings are written first. */
    private static void prepare(Path dir, Flags f, Tokenizer tok) throws IOException {
        Files.createDirectories(dir);
        for (String name : RUN_FILES) Files.deleteIfExists(dir.resolve(name));
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String s : SETTINGS) if (f.has(s)) settings.put(s, f.string(s, null));
        AtomicFiles.writeString(dir.resolve(RUN), Json.write(new java.util.TreeMap<>(settings)) + "\n");
    }

    /** Weights, config and tokenizer (for generate), the resumable state, then the metrics; each file atomically. */
    private static void save(Path dir, Trainer t, Tokenizer tok, Map<String, String> meta) {
        try {
            Map<String, String> m = new LinkedHashMap<>(meta);
            m.put("step", Integer.toString(t.step()));
            Checkpoint.save(dir, (Decoder) t.model(), tok, m);
            t.save(dir.resolve(TrainState.FILE), m);
            writeCsv(t.metrics(), dir.resolve("metrics.csv"));
        } catch (IOException e) {
            throw new IllegalStateException("could not save the run to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String[] toArgs(Map<String, Object> saved) {
        java.util.List<String> a = new java.util.ArrayList<>();
        for (var e : saved.entrySet()) {
            a.add("--" + e.getKey());
            a.add(String.valueOf(e.getValue()));
        }
        return a.toArray(new String[0]);
    }

    /** The metrics as CSV (doubles written exactly, NaN as an empty field), atomically. */
    static void writeCsv(Table t, Path file) throws IOException {
        AtomicFiles.writeString(file, TrainState.csv(t));
    }
}
