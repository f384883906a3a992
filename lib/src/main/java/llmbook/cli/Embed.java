package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import llmbook.model.MiniLm;
import llmbook.util.TextFiles;

/**
 * {@code ./llmbook embed}: sentence vectors from the pretrained all-MiniLM-L6-v2 ({@link MiniLm}), run by our code.
 * <pre>
 * ./llmbook embed --json &lt; lines.txt                       # one JSON array of 384 numbers per line
 * ./llmbook embed notes.txt --query "war and peace" --top 3  # the 3 lines nearest in meaning, with cosines
 * </pre>
 * Blank lines are skipped. Vectors have length 1, so the dot product of two is their cosine.
 */
public final class Embed {
    private Embed() {}

    static final String HELP = """
            usage: ./llmbook embed [FILE] [--json] [--query TEXT [--top K]]

            Embeds each non-blank line of FILE (or standard input) with all-MiniLM-L6-v2, a pretrained
            sentence encoder (6-layer BERT, 384 dimensions) whose weights our own code reads from the
            ONNX file in its Maven jar. Texts longer than 256 tokens are cut.
              --json        print one JSON array of 384 numbers per line, in input order   [default]
              --query TEXT  print the K lines nearest in meaning to TEXT, best first, with the cosine
              --top K       how many lines --query prints (default 5)
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
        String file = null, query = null;
        int top = 5;
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
                default -> {
                    if (args[i].startsWith("-") || file != null) return usage(err, "unknown argument '" + args[i] + "'");
                    file = args[i];
                }
            }
        }
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

    private static int usage(PrintStream err, String msg) {
        err.println("llmbook embed: " + msg);
        err.println("Run ./llmbook embed --help for usage.");
        return 2;
    }
}
