package llmbook.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that never leave a half-written file: the content goes to a temporary file in the same
 * folder, is flushed to disk, and then renamed over the target in one step. A crash before the rename
 * leaves the previous file as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes a whole file at the path it is given. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    /** Replaces {@code file} with what {@code writer} writes, atomically; creates the folder if needed. */
    public static void replace(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            writer.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code file} with {@code text} in UTF-8, atomically. */
    public static void writeString(Path file, String text) throws IOException {
        replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
