package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import llmbook.data.Corpus;
import llmbook.kernels.Kernels;
import llmbook.model.Checkpoint;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.sample.BeamSearch;
import llmbook.sample.FrequencyPenalty;
import llmbook.sample.Generator;
import llmbook.sample.LengthPenalty;
import llmbook.sample.NoRepeatNgram;
import llmbook.sample.LogitsProcessor;
import llmbook.sample.MinP;
import llmbook.sample.RepetitionPenalty;
import llmbook.sample.Sampler;
import llmbook.tensor.Rng;
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.CharTokenizer;
import llmbook.tokenizer.Tokenizer;

/** {@code ./llmbook generate}: continues a prompt with a model saved by {@code ./llmbook train}. Q19–Q21. */
public final class Generate {
    private Generate() {}

    static final String HELP = """
            usage: ./llmbook generate [--run DIR] [--prompt TEXT] [flags]
                   ./llmbook generate --bench [--run DIR] [--max-tokens N] [--quick] [--torch]

            Loads a run folder written by ./llmbook train (character or BPE tokenizer) and prints the prompt
            followed by its continuation, written one token at a time with a KV cache, as it is generated.
            A character model refuses a prompt with characters its vocabulary lacks, and names them.

              --run DIR          run folder written by ./llmbook train (default runs/gpt)
              --adapter FILE     a LoRA/QLoRA/bottleneck adapter written by ./llmbook finetune (adapter.safetensors), attached
                                 to the --run model it was trained on (base + adapter, nothing merged)
              --prompt TEXT      text to continue (default "Call me Ishmael.")
              --max-tokens N     tokens to generate (default 300)
              --temperature T    0 = greedy; higher = more random (default 0.8)
              --top-k K          keep the K most likely tokens (0 = all, default 0)
              --top-p P          keep the smallest set of tokens with probability >= P (default 1.0)
              --min-p P          keep tokens at least P times as likely as the most likely one (default 0 = off)
              --repetition-penalty R  make tokens already in the window less likely (> 1; default 1 = off)
              --frequency-penalty F   subtract F × (times a token occurred) from its logit (>= 0; default 0 = off)
              --strategy S       greedy, sample, or beam:K (beam search keeping K beams, K in [1, 64]);
                                 default: greedy if --temperature is 0, else sample
              --length-penalty L beam only: none (default), average (mean log-probability per token), or a GNMT
                                 alpha in [0, 10]: score = log p / ((5 + length) / 6)^alpha
              --num-return N     sample: N samples; beam: the N best beams (N <= K) with their scores (default 1)
              --no-repeat-ngram N  never write the same N-gram twice (N >= 1; default 0 = off)
              --seed N           random seed (default 1)
              --no-cache         recompute the whole window for every token (slow; same greedy text)
              --bench            time greedy generation of --max-tokens (default 256) tokens with and without the
                                 KV cache and print both medians and their ratio; uses --run if it exists, else
                                 an untrained model of --preset (speed does not depend on the weights)
              --quick            with --bench: shorter warm-up and fewer samples
              --torch            with --bench: also time PyTorch's greedy decoding with a preallocated KV cache
                                 (reference_gpt.py --decode-bench, Debian /usr/bin/python3, same thread count) on
                                 the same untrained gpt2-preset model and prompt, right after ours
              --preset P         with --bench and no run folder: gpt2 (default) or llama
              --threads N        kernel threads (default 1)
              --help             this text
            """;

    /** Greedy generation of {@code maxTokens} tokens, timed with and without the KV cache (the harness of {@link Bench}). */
    static double bench(Path run, boolean useRun, String preset, String prompt, int maxTokens, boolean quick, PrintStream out) throws IOException {
        Decoder model;
        int[] ids;
        if (useRun) {
            Checkpoint.Loaded c = Checkpoint.load(run);
            model = c.model();
            ids = c.tokenizer().encode(prompt);
            out.println("model from " + run + ": " + model.config);
        } else {
            CharTokenizer tok = CharTokenizer.fit(Corpus.load("moby-dick").text());
            model = new Decoder(Train.preset(preset, tok.vocabSize()), new Rng(1337));
            ids = tok.encode(prompt);
            out.println("untrained " + model.config);
        }
        Generator cachedGen = new Generator(model), plainGen = new Generator(model).useCache(false);
        out.printf(Locale.ROOT, "greedy, batch 1, prompt %d tokens, %d new tokens, %d kernel thread(s)%n", ids.length, maxTokens, Kernels.threads());
        Bench.Timing cached = Bench.time(() -> cachedGen.greedy(ids, maxTokens), quick);
        out.printf(Locale.ROOT, "  KV cache     median %9.2f ms  (min %.2f, max %.2f)  %,10.0f tokens/s%n",
                cached.median() * 1e3, cached.min() * 1e3, cached.max() * 1e3, maxTokens / cached.median());
        Bench.Timing plain = Bench.time(() -> plainGen.greedy(ids, maxTokens), quick);
        out.printf(Locale.ROOT, "  no cache     median %9.2f ms  (min %.2f, max %.2f)  %,10.0f tokens/s%n",
                plain.median() * 1e3, plain.min() * 1e3, plain.max() * 1e3, maxTokens / plain.median());
        out.printf(Locale.ROOT, "  the KV cache is %.1fx faster (ratio of medians)%n", plain.median() / cached.median());
        return cached.median();
    }

    /**
     * PyTorch's cached greedy decoding of the same model shape (reference_gpt.py builds the gpt2 preset on the same
     * character vocabulary) and prompt, timed right after ours; the script first checks that its cached greedy text
     * equals its plain forward's and refuses to time otherwise. Prints the median and the ratio against {@code ours}.
     */
    private static void torch(String prompt, int maxTokens, boolean quick, double ours, PrintStream out) throws IOException {
        Bench.Timing t = BenchTrain.torch(Kernels.threads(), "--decode-bench", Integer.toString(Math.max(1, maxTokens)),
                "--prompt", prompt, "--repeats", quick ? "5" : "15");
        out.printf(Locale.ROOT, "  PyTorch      median %9.2f ms  (min %.2f)             %,10.0f tokens/s  (KV cache, %d thread(s))%n",
                t.median() * 1e3, t.min() * 1e3, maxTokens / t.median(), Kernels.threads());
        out.printf(Locale.ROOT, "  ours with the KV cache is %.1fx PyTorch's speed (ratio of medians)%n", t.median() / ours);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("generate", err, () -> runChecked(args, out, err));
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err) {
        try {
            Flags f = new Flags(args, Set.of("run", "prompt", "max-tokens", "temperature", "top-k", "top-p", "min-p", "repetition-penalty", "seed",
                    "threads", "preset", "frequency-penalty", "strategy", "length-penalty", "num-return", "no-repeat-ngram", "adapter"),
                    Set.of("help", "no-cache", "bench", "quick", "torch"));
            if (f.has("help")) { out.print(HELP); return 0; }
            // Every flag is checked before the (slower) model load, so a typo fails at once.
            String prompt = f.string("prompt", "Call me Ishmael.");
            int maxTokens = f.integer("max-tokens", f.has("bench") ? 256 : 300, 0), topK = f.integer("top-k", 0, 0), seed = f.integer("seed", 1, 0);
            float temperature = f.real("temperature", 0.8f, 0f, 100f), topP = f.real("top-p", 1f, 1e-6f, 1f), minP = f.real("min-p", 0f, 0f, 1f),
                    penalty = f.real("repetition-penalty", 1f, 1f, 100f);
            float frequency = f.real("frequency-penalty", 0f, 0f, 100f);
            int numReturn = f.integer("num-return", 1, 1), noRepeat = f.integer("no-repeat-ngram", 0, 0);
            String strategy = f.string("strategy", temperature == 0f ? "greedy" : "sample");
            int beamWidth = beamWidth(strategy);                            // 0 unless beam:K
            if (strategy.equals("sample") && temperature == 0f)
                throw new Flags.UsageException("--strategy sample needs --temperature > 0 (0 is greedy)");
            for (String flag : new String[] {"temperature", "top-k", "top-p", "min-p", "seed"})
                if (f.has(flag) && !strategy.equals("sample") && !(flag.equals("temperature") && temperature == 0f))
                    throw new Flags.UsageException("--" + flag + " only goes with sampling; --strategy " + strategy + " does not draw at random");
            if (f.has("bench") && (f.has("strategy") || f.has("num-return")))
                throw new Flags.UsageException("--bench times greedy decoding; drop --strategy and --num-return");
            if (f.has("length-penalty") && beamWidth == 0) throw new Flags.UsageException("--length-penalty only goes with --strategy beam:K");
            LengthPenalty lengthPenalty;
            try {
                lengthPenalty = LengthPenalty.parse(f.string("length-penalty", "none"));
            } catch (IllegalArgumentException e) {
                throw new Flags.UsageException("--length-penalty: " + e.getMessage());
            }
            if (strategy.equals("greedy") && numReturn > 1)
                throw new Flags.UsageException("--num-return " + numReturn + ": greedy decoding has one output; use --strategy beam:K or sample");
            if (beamWidth > 0 && numReturn > beamWidth)
                throw new Flags.UsageException("--num-return " + numReturn + " must be at most the beam width " + beamWidth);
            String preset = f.string("preset", "gpt2");
            Train.preset(preset, 2);                                      // refuses an unknown name now
            if (f.has("preset") && !f.has("bench")) throw new Flags.UsageException("--preset only goes with --bench (a run folder has its own model)");
            if (prompt.isEmpty()) throw new Flags.UsageException("--prompt must not be empty");
            Kernels.setThreads(f.integer("threads", 1, 1));
            Path run = Path.of(f.string("run", "runs/gpt"));
            if (f.has("quick") && !f.has("bench")) throw new Flags.UsageException("--quick only goes with --bench");
            if (f.has("adapter") && f.has("bench")) throw new Flags.UsageException("--bench times a run folder's model; drop --adapter");
            if (f.has("no-cache") && f.has("bench")) throw new Flags.UsageException("--bench times both ways already; drop --no-cache");
            if (f.has("torch") && !f.has("bench")) throw new Flags.UsageException("--torch only goes with --bench");
            if (f.has("torch") && (f.has("run") || !preset.equals("gpt2")))
                throw new Flags.UsageException("--torch compares the untrained gpt2 preset with reference_gpt.py; drop --run and --preset");
            if (f.has("bench")) {
                double ours = bench(run, !f.has("torch") && (f.has("run") || Files.isDirectory(run)), preset, prompt, maxTokens, f.has("quick"), out);
                if (f.has("torch")) torch(prompt, maxTokens, f.has("quick"), ours, out);
                return 0;
            }
            if (!Files.isDirectory(run))
                throw new Flags.UsageException("--run: no run folder " + run + "; train one first with ./llmbook train --out " + run);
            Checkpoint.Loaded c = Checkpoint.load(run);
            if (f.has("adapter")) {
                Path adapter = Path.of(f.string("adapter", ""));
                if (!Files.isRegularFile(adapter)) throw new Flags.UsageException("--adapter: no file " + adapter);
                llmbook.peft.Peft.attach(c.model(), adapter);
                err.printf("attached the adapters of %s (%,d adapter parameters)%n", adapter, c.model().numTrainable());
            }
            Tokenizer tok = c.tokenizer();
            int[] ids = tok.encode(prompt);
            if (tok instanceof CharTokenizer) refuseUnknown(prompt, ids, tok.vocabSize() - 1);
            MemoryEstimate.generation(c.model().config).checkGeneration(Runtime.getRuntime().maxMemory());
            java.util.List<LogitsProcessor> ps = new java.util.ArrayList<>();
            if (penalty > 1f) ps.add(new RepetitionPenalty(penalty));
            if (frequency > 0f) ps.add(new FrequencyPenalty(frequency));
            if (noRepeat > 0) ps.add(new NoRepeatNgram(noRepeat));
            if (beamWidth > 0) return beam(c, ids, maxTokens, beamWidth, lengthPenalty, numReturn, ps, !f.has("no-cache"), out);
            // the text goes out as it is generated, so a long --max-tokens needs no big array and shows progress
            TokenPrinter printer = new TokenPrinter(tok, out);
            if (strategy.equals("greedy")) temperature = 0f;
            ps.addAll(Sampler.filters(temperature, topK, topP));             // Sampler.of's chain, plus min-p
            if (temperature > 0f && minP > 0f) ps.add(new MinP(minP));
            LogitsProcessor[] chain = ps.toArray(new LogitsProcessor[0]);
            Sampler sampler = temperature == 0f ? Sampler.greedy(chain) : Sampler.sampling(new Rng(seed), chain);
            Generator gen = new Generator(c.model()).useCache(!f.has("no-cache"));
            for (int n = 1; n <= numReturn; n++) {                        // the samples share one seeded Rng: all differ
                if (numReturn > 1) out.println("--- sample " + n + " of " + numReturn);
                for (int id : ids) printer.accept(id);
                gen.stream(ids, maxTokens, sampler, (id, pos) -> printer.accept(id));
                printer.finish();
            }
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

    /** K of {@code beam:K} (1 … 64), 0 for greedy or sample; anything else is refused with the valid forms. */
    static int beamWidth(String strategy) {
        if (strategy.equals("greedy") || strategy.equals("sample")) return 0;
        if (strategy.startsWith("beam:")) {
            int k;
            try {
                k = Integer.parseInt(strategy.substring(5));
            } catch (NumberFormatException e) {
                throw new Flags.UsageException("--strategy beam:K needs a whole number K in [1, 64], got '" + strategy + "'");
            }
            if (k < 1 || k > 64) throw new Flags.UsageException("--strategy beam:K: the beam width K must be in [1, 64], got " + k);
            return k;
        }
        throw new Flags.UsageException("--strategy must be greedy, sample or beam:K (K in [1, 64]), got '" + strategy + "'");
    }

    /**
     * Beam search (no streaming: the best beam is only known at the end). One output prints as the other strategies
     * do; several print each with its rank, score, log-probability and length.
     */
    private static int beam(Checkpoint.Loaded c, int[] ids, int maxTokens, int width, LengthPenalty lp, int numReturn,
                            java.util.List<LogitsProcessor> ps, boolean cache, PrintStream out) {
        if (maxTokens < 1) throw new Flags.UsageException("--max-tokens must be >= 1 with beam search");
        int room = c.model().context() - ids.length;
        if (maxTokens > room)
            throw new Flags.UsageException("--max-tokens " + maxTokens + ": beam search keeps the whole text in the context of "
                    + c.model().context() + " tokens; the prompt has " + ids.length + ", so at most " + Math.max(0, room) + " new tokens fit");
        BeamSearch bs = new BeamSearch(c.model()).width(width).lengthPenalty(lp).useCache(cache);
        for (LogitsProcessor p : ps) bs.with(p);
        java.util.List<BeamSearch.Hypothesis> best = bs.search(ids, maxTokens);
        for (int n = 0; n < Math.min(numReturn, best.size()); n++) {
            BeamSearch.Hypothesis h = best.get(n);
            if (numReturn > 1)
                out.printf(Locale.ROOT, "--- beam %d of %d: score %.4f, log-probability %.4f, %d tokens%n", n + 1, width, h.score(), h.logProb(), h.length());
            TokenPrinter printer = new TokenPrinter(c.tokenizer(), out);
            for (int id : ids) printer.accept(id);
            for (int id : h.tokens()) printer.accept(id);
            printer.finish();
        }
        return 0;
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
