package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import llmbook.data.Corpus;
import llmbook.kernels.Kernels;
import llmbook.model.MiniLm;
import llmbook.retrieval.Bm25;
import llmbook.retrieval.DenseIndex;
import llmbook.retrieval.Passages;
import llmbook.util.Progress;
import llmbook.util.TextFiles;

/**
 * {@code ./llmbook embed}: sentence vectors from the pretrained all-MiniLM-L6-v2 ({@link MiniLm}), run by our code.
 * <pre>
 * ./llmbook embed --json &lt; lines.txt                       # one JSON array of 384 numbers per line
 * ./llmbook embed notes.txt --query "war and peace" --top 3  # the 3 lines nearest in meaning, with cosines
 * ./llmbook embed --corpus sotu --query "war and peace"       # semantic search over a corpus's paragraphs
 * </pre>
 * Blank lines are skipped. Vectors have length 1, so the dot product of two is their cosine. With {@code --corpus}
 * the texts are the corpus's paragraphs ({@link Passages}, 50 words or more), embedded once with a progress bar and
 * kept in {@code runs/embed/} under a checksum of the texts ({@link DenseIndex#cached}); the search is a
 * {@link DenseIndex}. Q5.
 */
public final class Embed {
    private Embed() {}

    static final String HELP = """
            usage: ./llmbook embed [FILE] [--json] [--query TEXT [--top K]]
                   ./llmbook embed --corpus NAME --query TEXT [--top K] [--passages N] [--threads T]

            Embeds each non-blank line of FILE (or standard input) with all-MiniLM-L6-v2, a pretrained
            sentence encoder (6-layer BERT, 384 dimensions) whose weights our own code reads from the
            ONNX file in its Maven jar. Texts longer than 256 tokens are cut.
              --json        print one JSON array of 384 numbers per line, in input order   [default]
              --query TEXT  print the K lines nearest in meaning to TEXT, best first, with the cosine
              --top K       how many lines --query prints (default 5)
              --corpus NAME search the paragraphs (runs of sentences of 50 words or more) of a corpus
                            (sotu, moby-dick, ...) instead of lines: prints cosine, document, year and
                            paragraph. The corpus is embedded once (progress bar; all of sotu takes
                            minutes) and its vectors are kept in runs/embed/, named by a checksum
              --passages N  with --corpus: only N paragraphs, evenly spaced through the corpus
              --cache DIR   with --corpus: where the vectors are kept (default runs/embed)
              --threads T   threads for the model (default 2)
              -h, --help    this help
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command; returns the exit status (0 ok, 1 failure, 2 usage error). */
    static int run(String[] args, java.io.InputStream stdin, PrintStream out, PrintStream err) {
        return Cli.guard("embed", err, () -> runChecked(args, stdin, out, err));
    }

    private static int runChecked(String[] args, java.io.InputStream stdin, PrintStream out, PrintStream err) throws IOException {
        String file = null, query = null, corpus = null, cache = null;
        int top = 5, passages = 0, threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.print(HELP);
                    return 0;
                }
                case "--json" -> { }
                case "--query" -> {
                    if (i + 1 >= args.length) return usage(err, "--query needs a text");
                    query = args[++i];
                }
                case "--top" -> {
                    if (i + 1 >= args.length) return usage(err, "--top needs a number");
                    try {
                        top = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        return usage(err, "--top must be a whole number >= 1, got '" + args[i] + "'");
                    }
                    if (top < 1) return usage(err, "--top must be a whole number >= 1, got " + top);
                }
                case "--corpus", "--cache" -> {
                    if (i + 1 >= args.length) return usage(err, args[i] + " needs a value");
                    if (args[i].equals("--corpus")) corpus = args[++i];
                    else cache = args[++i];
                }
                case "--passages", "--threads" -> {
                    String flag = args[i];
                    if (i + 1 >= args.length) return usage(err, flag + " needs a number");
                    int v;
                    try {
                        v = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        return usage(err, flag + " must be a whole number >= 1, got '" + args[i] + "'");
                    }
                    if (v < 1) return usage(err, flag + " must be a whole number >= 1, got " + v);
                    if (flag.equals("--passages")) passages = v;
                    else threads = v;
                }
                default -> {
                    if (args[i].startsWith("-") || file != null) return usage(err, "unknown argument '" + args[i] + "'");
                    file = args[i];
                }
            }
        }
        Kernels.setThreads(threads);
        if (corpus != null) {
            if (file != null) return usage(err, "give either FILE or --corpus, not both");
            if (query == null || query.isBlank()) return usage(err, "--corpus needs --query TEXT");
            return searchCorpus(corpus, query, top, passages, cache, out, err);
        }
        if (passages > 0 || cache != null) return usage(err, "--passages and --cache go with --corpus");
        byte[] bytes;
        try {
            bytes = file == null ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            err.println("llmbook embed: " + file + ": no such file");
            return 1;
        }
        List<String> lines = new ArrayList<>();
        for (String l : TextFiles.decodeUtf8(bytes, file == null ? "standard input" : file).split("\r?\n"))
            if (!l.isBlank()) lines.add(l.strip());
        if (lines.isEmpty()) {
            err.println("llmbook embed: no text: " + (file == null ? "standard input" : file) + " has no non-blank line");
            return 1;
        }
        long t0 = System.nanoTime();
        MiniLm m = MiniLm.load();
        double load = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        float[] v = m.embed(lines).toArray();                        // (N, 384)
        double secs = (System.nanoTime() - t0) / 1e9;
        int c = m.config().width();
        if (query == null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                sb.setLength(0);
                sb.append('[');
                for (int j = 0; j < c; j++) {
                    if (j > 0) sb.append(',');
                    sb.append(v[i * c + j]);
                }
                out.println(sb.append(']'));
            }
        } else {
            float[] q = m.embed(List.of(query)).toArray();
            Integer[] order = new Integer[lines.size()];
            float[] cos = new float[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                order[i] = i;
                for (int j = 0; j < c; j++) cos[i] += q[j] * v[i * c + j];
            }
            java.util.Arrays.sort(order, (a, b) -> Float.compare(cos[b], cos[a]));
            for (int k = 0; k < Math.min(top, lines.size()); k++)
                out.printf(Locale.ROOT, "%.3f  %s%n", cos[order[k]], lines.get(order[k]));
        }
        out.flush();
        err.printf(Locale.ROOT, "all-MiniLM-L6-v2: %d lines in %.2f s (%.1f lines/s), model loaded in %.2f s%n", lines.size(), secs,
                lines.size() / secs, load);
        return 0;
    }

    /** Minimum words of a paragraph (consecutive sentences; SOTU texts carry no paragraph breaks). */
    static final int PARAGRAPH_WORDS = 50;

    /** {@code --corpus}: the paragraphs nearest to the query, with document and year. */
    private static int searchCorpus(String name, String query, int top, int max, String cacheDir, PrintStream out, PrintStream err)
            throws IOException {
        Corpus corpus = Corpus.load(name);
        List<Passages.Passage> all = Passages.of(corpus.documents(), PARAGRAPH_WORDS);
        List<Passages.Passage> ps = all;
        if (max > 0 && max < all.size()) {                             // evenly spaced, so every period is represented
            ps = new ArrayList<>(max);
            for (int i = 0; i < max; i++) ps.add(all.get((int) ((long) i * all.size() / max)));
        }
        List<String> texts = ps.stream().map(Passages.Passage::text).toList();
        Path dir = cacheDir != null ? Path.of(cacheDir) : Corpus.dataDir().toAbsolutePath().getParent().resolve("runs").resolve("embed");
        long t0 = System.nanoTime();
        MiniLm m = MiniLm.load();
        DenseIndex index;
        Path file = DenseIndex.cacheFile(texts, dir, name);
        if (Files.isRegularFile(file)) index = DenseIndex.cached(m, texts, dir, name, null);
        else {
            err.println("embedding " + texts.size() + " paragraphs of " + name + " with all-MiniLM-L6-v2 (once; kept in " + file + ")");
            try (Progress p = err == System.err ? Progress.of("embed " + name, texts.size()) : Progress.of("embed " + name, texts.size(), err, "lines")) {
                index = DenseIndex.cached(m, texts, dir, name, p::step);
            }
        }
        List<Bm25.Hit> hits = index.search(DenseIndex.encode(m, query), top);
        for (int k = 0; k < hits.size(); k++) {
            Passages.Passage p = ps.get(hits.get(k).doc());
            Matcher y = YEAR.matcher(p.source());
            out.printf(Locale.ROOT, "%d. %.3f  %s%s%n   %s%n", k + 1, hits.get(k).score(), p.source(), y.find() ? "  (" + y.group(1) + ")" : "", p.text());
        }
        out.flush();
        err.printf(Locale.ROOT, "searched %d paragraphs of %s in %.1f s%n", texts.size(), name, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** A document id that starts with a year ({@code 1830_andrew_jackson_d}). */
    private static final Pattern YEAR = Pattern.compile("^(1[0-9]{3}|20[0-9]{2})(?![0-9])");

    private static int usage(PrintStream err, String msg) {
        err.println("llmbook embed: " + msg);
        err.println("Run ./llmbook embed --help for usage.");
        return 2;
    }
}
