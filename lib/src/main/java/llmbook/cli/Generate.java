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
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.CharTokenizer;
import llmbook.tokenizer.Tokenizer;

/** {@code ./llmbook generate}: continues a prompt with a model saved by {@code ./llmbook train}. Q19–Q21. */
public final class Generate {
    private Generate() {}

    static final String HELP = """
            usage: ./llmbook generate [--run DIR] [--prompt TEXT] [flags]
                   ./llmbook generate --bench [--run DIR] [--max-tokens N] [--quick]

            Loads a run folder written by ./llmbook train (character or BPE tokenizer) and prints the prompt
            followed by its continuation, written one token at a time with a KV cache, as it is generated.
            A character model refuses a prompt with characters its vocabulary lacks, and names them.

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
              --help             this text
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
        return Cli.guard("generate", err, () -> runChecked(args, out, err));
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err) {
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
            if (f.has("quick") && !f.has("bench")) throw new Flags.UsageException("--quick only goes with --bench");
            if (f.has("no-cache") && f.has("bench")) throw new Flags.UsageException("--bench times both ways already; drop --no-cache");
            if (f.has("bench")) return bench(run, f.has("run") || Files.isDirectory(run), prompt, maxTokens, f.has("quick"), out);
            if (!Files.isDirectory(run))
                throw new Flags.UsageException("--run: no run folder " + run + "; train one first with ./llmbook train --out " + run);
            Checkpoint.Loaded c = Checkpoint.load(run);
            Tokenizer tok = c.tokenizer();
            int[] ids = tok.encode(prompt);
            if (tok instanceof CharTokenizer) refuseUnknown(prompt, ids, tok.vocabSize() - 1);
            MemoryEstimate.generation(c.model().config).checkGeneration(Runtime.getRuntime().maxMemory());
            // the text goes out as it is generated, so a long --max-tokens needs no big array and shows progress
            TokenPrinter printer = new TokenPrinter(tok, out);
            for (int id : ids) printer.accept(id);
            new Generator(c.model()).stream(ids, maxTokens, temperature, topK, topP, new Rng(seed), !f.has("no-cache"), printer);
            printer.finish();
            return 0;
        } catch (Flags.UsageException | IllegalArgumentException e) {
            err.println("llmbook generate: " + e.getMessage());
            err.println("run ./llmbook generate --help for the flags");
            return 2;
        } catch (IOException | IllegalStateException e) {
            err.println("llmbook generate: " + e.getMessage());
            return 1;
        }
    }

    /**
     * A character model maps characters it never saw to {@code <unk>}, which it then prints as U+FFFD: such a prompt
     * is refused, naming the characters, rather than silently changed.
     */
    static void refuseUnknown(String prompt, int[] ids, int known) {
        java.util.Set<Integer> unknown = new java.util.LinkedHashSet<>();
        int[] cps = prompt.codePoints().toArray();
        for (int i = 0; i < ids.length; i++) if (ids[i] == 0) unknown.add(cps[i]);             // id 0 = <unk>
        if (unknown.isEmpty()) return;
        StringBuilder list = new StringBuilder();
        for (int cp : unknown) {
            if (list.length() > 0) list.append(", ");
            list.append('\'').appendCodePoint(cp).append("' (").append(String.format("U+%04X", cp)).append(')');
        }
        throw new Flags.UsageException("--prompt: " + unknown.size() + " character(s) are not in this character model's vocabulary of "
                + known + " (the characters of its training text): " + list + "; remove or replace them");
    }

    /**
     * Writes token ids as text as they come. A byte-level BPE token can end in the middle of a UTF-8 character, so
     * its bytes go through one streaming decoder (the same text as decoding all ids at once); other tokenizers
     * give whole characters per token.
     */
    static final class TokenPrinter implements java.util.function.IntConsumer {
        private final Tokenizer tok;
        private final PrintStream out;
        private final java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
        private java.nio.ByteBuffer pending = java.nio.ByteBuffer.allocate(64);
        private final java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(256);

        TokenPrinter(Tokenizer tok, PrintStream out) {
            this.tok = tok;
            this.out = out;
        }

        @Override
        public void accept(int id) {
            if (tok instanceof BpeTokenizer bpe) {
                byte[] b = bpe.tokenBytes(id);
                if (pending.remaining() < b.length) {
                    var bigger = java.nio.ByteBuffer.allocate(pending.capacity() + 2 * b.length);
                    pending.flip();
                    pending = bigger.put(pending);
                }
                pending.put(b).flip();
                drain(false);
                pending.compact();
            } else {
                out.print(tok.decode(new int[] {id}));
            }
            out.flush();
        }

        private void drain(boolean end) {
            while (true) {
                var r = utf8.decode(pending, chars, end);
                chars.flip();
                out.append(chars);
                chars.clear();
                if (!r.isOverflow()) break;
            }
            if (end) {
                utf8.flush(chars);
                chars.flip();
                out.append(chars);
                chars.clear();
            }
        }

        /** Writes what is left (an unfinished character becomes U+FFFD, as in {@code decode}) and ends the line. */
        void finish() {
            if (tok instanceof BpeTokenizer) {
                pending.flip();
                drain(true);
                pending.clear();
            }
            out.println();
            out.flush();
        }
    }
}
