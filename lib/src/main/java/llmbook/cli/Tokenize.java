package llmbook.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import llmbook.data.Corpus;
import llmbook.tokenizer.BpeTokenizer;
import llmbook.tokenizer.CharTokenizer;
import llmbook.tokenizer.Tokenizer;
import llmbook.tokenizer.WordPiece;
import llmbook.util.TextFiles;

/**
 * {@code ./llmbook tokenize}: reads text on standard input and prints its tokens (Q1, Q6).
 *
 * <pre>
 * echo "Hello world" | ./llmbook tokenize                 # 15496 995 198
 * echo "cryptocurrency" | ./llmbook tokenize --pieces     # "crypt" "oc" "urrency" "\n"
 * ./llmbook tokenize --tokenizer my.bpe --ids &lt; file.txt
 * </pre>
 * Standard output gets one line: ids separated by spaces, or the pieces as quoted strings with
 * {@code \n}, {@code \t}, {@code \"} and {@code \\} escaped (stray UTF-8 bytes as {@code \xNN}).
 * A summary (tokens, bytes, bytes per token) goes to standard error.
 */
public final class Tokenize {
    private Tokenize() {}

    static final String HELP = """
            usage: ./llmbook tokenize [--tokenizer gpt2|cl100k|wordpiece|char|FILE] [--ids|--pieces] < text

            Reads UTF-8 text on standard input and prints its tokens on one line.
              --tokenizer gpt2   GPT-2's BPE (r50k_base ranks, our encoder)            [default]
              --tokenizer cl100k GPT-4's BPE (cl100k_base ranks, our encoder)
              --tokenizer wordpiece  BERT's uncased WordPiece (all-MiniLM-L6-v2's vocabulary,
                                 our encoder): lower case, no accents, ## continuations
              --tokenizer char   one token per character, vocabulary = the characters of
                                 the moby-dick training split, <unk> for the rest
              --tokenizer FILE   a BPE saved by './llmbook tokenizer train ... --out FILE'
              --ids              print token ids separated by spaces                  [default]
              --pieces           print each token's text, quoted
              -h, --help         this help
            """;

    public static void main(String[] args) {
        byte[] in;
        try {
            in = System.in.readAllBytes();
        } catch (IOException e) {
            System.err.println("llmbook tokenize: cannot read standard input: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.exit(run(args, in, System.out, System.err));
    }

    /** Runs the command; returns the exit status (0 ok, 1 failure, 2 usage error). */
    static int run(String[] args, byte[] stdin, PrintStream out, PrintStream err) {
        return Cli.guard("tokenize", err, () -> runChecked(args, stdin, out, err));
    }

    private static int runChecked(String[] args, byte[] stdin, PrintStream out, PrintStream err) {
        String which = "gpt2";
        boolean pieces = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.print(HELP);
                    return 0;
                }
                case "--ids" -> pieces = false;
                case "--pieces" -> pieces = true;
                case "--tokenizer" -> {
                    if (i + 1 >= args.length) return usage(err, "--tokenizer needs a value: gpt2, cl100k, wordpiece, char or a FILE");
                    which = args[++i];
                }
                default -> {
                    return usage(err, "unknown argument '" + args[i] + "'");
                }
            }
        }
        Tokenizer t;
        try {
            t = switch (which) {
                case "gpt2" -> BpeTokenizer.gpt2();
                case "cl100k" -> BpeTokenizer.cl100k();
                case "wordpiece" -> WordPiece.minilm();
                case "char" -> CharTokenizer.fit(Corpus.load("moby-dick").train());
                default -> {
                    Path f = Path.of(which);
                    if (!Files.exists(f)) {
                        err.println("llmbook tokenize: no tokenizer '" + which + "': expected gpt2, cl100k, wordpiece, char or an existing file");
                        yield null;
                    }
                    yield BpeTokenizer.load(f);
                }
            };
        } catch (IOException | RuntimeException e) {
            err.println("llmbook tokenize: " + e.getMessage());
            return 1;
        }
        if (t == null) return 2;
        String text;
        try {
            text = TextFiles.decodeUtf8(stdin, "standard input");
        } catch (IOException e) {
            err.println("llmbook tokenize: " + e.getMessage());
            return 1;
        }
        int[] ids = t.encode(text);
        StringBuilder sb = new StringBuilder(ids.length * 6);
        for (int k = 0; k < ids.length; k++) {
            if (k > 0) sb.append(' ');
            if (pieces && t instanceof BpeTokenizer b) quote(b.tokenBytes(ids[k]), sb);
            else if (pieces) quote(t.piece(ids[k]).getBytes(StandardCharsets.UTF_8), sb);
            else sb.append(ids[k]);
        }
        out.println(sb);
        out.flush();
        int bytes = stdin.length;
        err.printf("%s: %d tokens for %d bytes (%.2f bytes/token), vocabulary %d%n", t.name(), ids.length, bytes,
                ids.length == 0 ? 0.0 : (double) bytes / ids.length, t.vocabSize());
        return 0;
    }

    /** A token's bytes as a quoted string: UTF-8 characters as themselves, escapes for the rest. */
    static void quote(byte[] b, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < b.length; ) {
            int v = b[i] & 0xff;
            int len = v < 0x80 ? 1 : v >= 0xC2 && v < 0xE0 ? 2 : v >= 0xE0 && v < 0xF0 ? 3 : v >= 0xF0 && v < 0xF5 ? 4 : 0;
            boolean whole = len > 0 && i + len <= b.length;
            for (int k = 1; whole && k < len; k++) whole = (b[i + k] & 0xC0) == 0x80;
            if (!whole) {
                sb.append(String.format("\\x%02x", v));
                i++;
            } else if (len == 1) {
                switch (v) {
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (v < 0x20 || v == 0x7f) sb.append(String.format("\\x%02x", v));
                        else sb.append((char) v);
                    }
                }
                i++;
            } else {
                sb.append(new String(b, i, len, StandardCharsets.UTF_8));
                i += len;
            }
        }
        sb.append('"');
    }

    private static int usage(PrintStream err, String message) {
        err.println("llmbook tokenize: " + message);
        err.println("Run ./llmbook tokenize --help for usage.");
        return 2;
    }
}
