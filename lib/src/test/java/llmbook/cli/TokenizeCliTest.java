package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int tokenize(String stdin, String... args) {
        return Tokenize.run(args, stdin.getBytes(StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsGpt2IdsOnOneLine() {
        assertEquals(0, tokenize("Hello world"));
        assertEquals("15496 995\n", out());
    }

    @Test
    void printsQuotedPiecesWithStrayBytesEscaped() {
        assertEquals(0, tokenize("Hi \"x\"\n😀", "--pieces"));
        assertEquals("\"Hi\" \" \\\"\" \"x\" \"\\\"\" \"\\n\" \"\\xf0\\x9f\\x98\" \"\\x80\"\n", out());
    }

    @Test
    void wordPiecePieces() {
        assertEquals(0, tokenize("Unaffable tokenizers!", "--tokenizer", "wordpiece", "--pieces"));
        assertEquals("\"una\" \"##ffa\" \"##ble\" \"token\" \"##izer\" \"##s\" \"!\"\n", out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, tokenize("x", "--bogus"));
        assertTrue(err.toString().contains("unknown argument '--bogus'"));
        assertEquals(2, tokenize("x", "--tokenizer"));
        assertEquals(0, tokenize("x", "--help"));
        assertTrue(out().startsWith("usage: ./llmbook tokenize"));
    }

    @Test
    void trainThenTokenizeWithTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.bpe");
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Tokenizer.run(new String[] {"train", "--corpus", "moby-dick", "--vocab", "100", "--out", f.toString()}, o, e));
        assertTrue(err.toString().contains("--vocab 100 must be in [257, 65536]"), err.toString());
        assertEquals(2, Tokenizer.run(new String[] {"fly"}, o, e));
        assertEquals(0, Tokenizer.run(new String[] {"train", "--corpus", "moby-dick", "--vocab", "300", "--out", f.toString()}, o, e));
        assertTrue(Files.exists(f));
        out.reset();
        assertEquals(0, tokenize("Call me Ishmael.", "--tokenizer", f.toString()));
        assertTrue(out().trim().split(" ").length > 3, out());
        Files.writeString(f, "garbage\n");
        assertEquals(1, tokenize("x", "--tokenizer", f.toString()));
        assertTrue(err.toString().contains("not an llmbook BPE file"), err.toString());
    }

    @Test
    void inputThatIsNotUtf8IsRefusedWithTheOffset() {
        out.reset();
        var e = new ByteArrayOutputStream();
        assertEquals(1, Tokenize.run(new String[0], new byte[] {'c', 'a', 'f', (byte) 0xE9}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8)));
        assertEquals("llmbook tokenize: standard input is not UTF-8 text: byte 0xE9 at offset 3 is not valid UTF-8 "
                + "(Latin-1 or another encoding, or binary data?)\n", e.toString(StandardCharsets.UTF_8));
    }
}
