package llmbook.cli;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.data.Corpus;
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.BpeTrainer;
import llmbook.tokenizer.SplitPattern;
import llmbook.util.Progress;

/**
 * {@code ./llmbook tokenizer}: trains and saves a byte-level BPE, or benchmarks ours (Q1).
 *
 * <pre>
 * ./llmbook tokenizer train --corpus moby-dick --vocab 4096 --out moby.bpe
 * ./llmbook tokenizer bench                     # training time and encode speed vs JTokkit
 * </pre>
 */
public final class Tokenizer {
    private Tokenizer() {}

    static final String HELP = """
            usage: ./llmbook tokenizer train --corpus NAME --vocab N --out FILE [options]
                   ./llmbook tokenizer bench [--corpus NAME] [--vocab N] [--repeats R]

            train   trains a byte-level BPE on the training split of a corpus (see ./llmbook data)
                    and saves it (format: see BpeFile); use it with ./llmbook tokenize --tokenizer FILE
              --corpus NAME        moby-dick, sotu, ...
              --vocab N            vocabulary size: 256 bytes + merges + special tokens (<= 65536)
              --out FILE           where to save (written atomically)
              --pattern P          pre-split: gpt2 [default] or cl100k
              --special TEXT       a special token (repeatable) [default: <|endoftext|>]
              --no-special         no special tokens
            bench   median of R timed runs after warm-up, on the whole corpus text:
                    BPE training to N ids, and GPT-2 encoding with our encoder and with JTokkit
              --corpus NAME        [default moby-dick]   --vocab N [default 4096]   --repeats R [default 5]
            -h, --help             this help
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("tokenizer", err, () -> runChecked(args, out, err));
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return usage(err, "missing command: train or bench");
        if (args[0].equals("-h") || args[0].equals("--help")) {
            out.print(HELP);
            return 0;
        }
        String cmd = args[0];
        if (!cmd.equals("train") && !cmd.equals("bench")) return usage(err, "unknown command '" + cmd + "': expected train or bench");
        String corpus = cmd.equals("bench") ? "moby-dick" : null, outFile = null, pattern = "gpt2";
        int vocab = cmd.equals("bench") ? 4096 : -1, repeats = 5;
        List<String> specials = new ArrayList<>(List.of("<|endoftext|>"));
        boolean specialGiven = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            try {
                switch (a) {
                    case "-h", "--help" -> {
                        out.print(HELP);
                        return 0;
                    }
                    case "--corpus" -> corpus = value(args, ++i, a);
                    case "--vocab" -> vocab = Integer.parseInt(value(args, ++i, a));
                    case "--repeats" -> repeats = Integer.parseInt(value(args, ++i, a));
                    case "--out" -> outFile = value(args, ++i, a);
                    case "--pattern" -> pattern = value(args, ++i, a);
                    case "--special" -> {
                        if (!specialGiven) specials.clear();
                        specialGiven = true;
                        specials.add(value(args, ++i, a));
                    }
                    case "--no-special" -> {
                        specials.clear();
                        specialGiven = true;
                    }
                    default -> {
                        return usage(err, "unknown argument '" + a + "'");
                    }
                }
            } catch (NumberFormatException e) {
                return usage(err, a + " needs an integer, got '" + args[i] + "'");
            } catch (IllegalArgumentException e) {
                return usage(err, e.getMessage());
            }
            if (!hasValue && !a.equals("--no-special")) return usage(err, a + " needs a value");
        }
        SplitPattern split = switch (pattern) {
            case "gpt2" -> SplitPattern.GPT2;
            case "cl100k" -> SplitPattern.CL100K;
            default -> null;
        };
        if (split == null) return usage(err, "--pattern must be gpt2 or cl100k, got '" + pattern + "'");
        if (corpus == null) return usage(err, "train needs --corpus NAME");
        if (vocab < 256 + specials.size() || vocab > BpeTrainer.MAX_VOCAB) {
            return usage(err, "--vocab " + vocab + " must be in [" + (256 + specials.size()) + ", " + BpeTrainer.MAX_VOCAB + "]");
        }
        if (repeats < 1) return usage(err, "--repeats must be at least 1, got " + repeats);
        try {
            if (cmd.equals("train")) {
                if (outFile == null) return usage(err, "train needs --out FILE");
                if (Files.isDirectory(Path.of(outFile)))
                    return usage(err, "--out " + outFile + " is a directory; give a file name, e.g. " + Path.of(outFile, corpus + ".bpe"));
                return train(Corpus.load(corpus), vocab, split, specials, Path.of(outFile), out);
            }
            return bench(Corpus.load(corpus), vocab, repeats, out);
        } catch (IOException | RuntimeException e) {
            err.println("llmbook tokenizer: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }

    static int train(Corpus corpus, int vocab, SplitPattern split, List<String> specials, Path out, PrintStream log) throws IOException {
        String text = corpus.train();
        if (text.isEmpty())
            throw new IllegalStateException("corpus '" + corpus.name() + "' is empty (" + corpus.documents().size()
                    + " document(s), 0 characters): there is nothing to train a tokenizer on");
        int merges = vocab - 256 - specials.size();
        long t0 = System.nanoTime();
        BpeTokenizer t;
        try (Progress p = Progress.of("merges", merges)) {
            byte[][] pieces = new byte[256 + merges][];               // to show each new token's text
            for (int i = 0; i < 256; i++) pieces[i] = new byte[] {(byte) i};
            t = BpeTrainer.train(text, vocab, split, specials, (done, total, a, b, count) -> {
                byte[] ab = Arrays.copyOf(pieces[a], pieces[a].length + pieces[b].length);
                System.arraycopy(pieces[b], 0, ab, pieces[a].length, pieces[b].length);
                pieces[255 + done] = ab;
                p.step();
                p.message("new token %s (pair seen %,d times)", quoted(ab), count);
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        t = t.named(corpus.name() + "-bpe-" + t.vocabSize());
        t.save(out);
        int[] ids = t.encode(corpus.validation());
        log.printf("trained %s in %.1f s on %,d chars of %s (train split): %d merges, %d special tokens%n",
                t.name(), secs, text.length(), corpus.name(), t.mergeCount(), t.specialTokens().size());
        if (ids.length == 0) log.println("validation split: empty, so no bytes-per-token figure");
        else log.printf("validation split: %.2f bytes per token%n", (double) corpus.validation().getBytes(StandardCharsets.UTF_8).length / ids.length);
        log.printf("saved to %s%n", out.toAbsolutePath());
        return 0;
    }

    private static String quoted(byte[] b) {
        StringBuilder sb = new StringBuilder();
        Tokenize.quote(b, sb);
        return sb.toString();
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static int bench(Corpus corpus, int vocab, int repeats, PrintStream log) {
        String text = corpus.text();
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        log.printf("corpus %s: %.2f MB, %d repeats after warm-up, median reported, one thread%n", corpus.name(), mb, repeats);

        BpeTrainer.train(text.substring(0, text.length() / 4), Math.min(vocab, 1024));   // warm-up
        double[] train = new double[repeats];
        int got = 0;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            got = BpeTrainer.train(text, vocab).vocabSize();
            train[r] = (System.nanoTime() - t0) / 1e9;
        }
        log.printf("train BPE to %d ids: median %.2f s (runs %s)%n", got, median(train), fmt(train));

        BpeTokenizer ours = BpeTokenizer.gpt2();
        Encoding jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        int n = 0;
        for (int w = 0; w < 3; w++) {                                   // warm-up both
            n = ours.encodeOrdinary(text).length;
            jtokkit.encodeOrdinary(text);
        }
        if (!Arrays.equals(ours.encodeOrdinary(text), jtokkit.encodeOrdinary(text).toArray())) {
            log.println("WARNING: our GPT-2 ids differ from JTokkit's on this corpus");
        }
        double[] a = new double[repeats], b = new double[repeats];
        for (int r = 0; r < repeats; r++) {                             // interleaved, so load hits both alike
            long t0 = System.nanoTime();
            ours.encodeOrdinary(text);
            long t1 = System.nanoTime();
            jtokkit.encodeOrdinary(text);
            long t2 = System.nanoTime();
            a[r] = mb / ((t1 - t0) / 1e9);
            b[r] = mb / ((t2 - t1) / 1e9);
        }
        log.printf("GPT-2 encode (%,d tokens): ours median %.2f MB/s %s, JTokkit median %.2f MB/s %s, ratio ours/JTokkit %.2f%n",
                n, median(a), fmt(a), median(b), fmt(b), median(a) / median(b));
        return 0;
    }

    private static String fmt(double[] x) {
        StringBuilder sb = new StringBuilder("[");
        for (double v : x) sb.append(sb.length() > 1 ? " " : "").append(String.format("%.2f", v));
        return sb.append(']').toString();
    }

    private static int usage(PrintStream err, String message) {
        err.println("llmbook tokenizer: " + message);
        err.println("Run ./llmbook tokenizer --help for usage.");
        return 2;
    }
}
