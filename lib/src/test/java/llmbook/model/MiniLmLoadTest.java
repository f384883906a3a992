package llmbook.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import llmbook.io.MiniLmJar;
import llmbook.io.Onnx;
import llmbook.tokenizer.WordPiece;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing, incomplete or damaged model is refused with the file and the reason. */
class MiniLmLoadTest {
    static Path jar(Path dir, String name, String[] entries, byte[][] contents) throws IOException {
        Path p = dir.resolve(name);
        try (var z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (int i = 0; i < entries.length; i++) {
                z.putNextEntry(new ZipEntry(entries[i]));
                z.write(contents[i]);
            }
        }
        return p;
    }

    static String message(Path jar) {
        return assertThrows(IOException.class, () -> MiniLm.load(jar)).getMessage();
    }

    @Test
    void refusesWithTheReason(@TempDir Path dir) throws IOException {
        byte[] json = MiniLmJar.read(MiniLmJar.TOKENIZER), onnx = MiniLmJar.read(MiniLmJar.ONNX);
        String m = message(dir.resolve("absent.jar"));
        assertTrue(m.contains("absent.jar: no such file"), m);
        m = message(jar(dir, "no-tokenizer.jar", new String[] {MiniLmJar.ONNX}, new byte[][] {new byte[10]}));
        assertTrue(m.contains("holds no entry " + MiniLmJar.TOKENIZER), m);
        m = message(jar(dir, "bad-json.jar", new String[] {MiniLmJar.TOKENIZER}, new byte[][] {"{\"model\": 3".getBytes(StandardCharsets.UTF_8)}));
        assertTrue(m.contains("bad-json.jar!/" + MiniLmJar.TOKENIZER + ": JSON"), m);
        m = message(jar(dir, "truncated.jar", new String[] {MiniLmJar.TOKENIZER, MiniLmJar.ONNX}, new byte[][] {json, Arrays.copyOf(onnx, 5_000_000)}));
        assertTrue(m.contains("truncated.jar!/" + MiniLmJar.ONNX + ": not a valid ONNX file (truncated"), m);
    }

    @Test
    void aGraphThatIsNotMiniLmIsRefused() throws IOException {
        Onnx.Graph tiny = Onnx.read(llmbook.io.OnnxTestModels.tiny(), "tiny.onnx");
        var e = assertThrows(IOException.class, () -> MiniLm.fromOnnx(tiny, WordPiece.minilm()));
        assertTrue(e.getMessage().contains("all-MiniLM-L6-v2: the graph has no tensor 'embeddings.word_embeddings.weight'"), e.getMessage());
    }
}
