package llmbook.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that never leave a half-written file: the content goes to a temporary file in the same
 * folder, is flushed to disk, and then renamed over the target in one step. A crash before the rename
 * leaves the previous file as it was, and the temporary file ({@code NAME<digits>.tmp}) behind:
 * {@link #removeUnfinished} deletes those on the next start.
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
        if (Files.isDirectory(file)) throw new IOException("cannot write " + file + ": it is a directory; give a file name");
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), TMP);
        try {
            writer.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {                       // its message names the temporary file: name the target
            throw new IOException("cannot write " + file + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static final String TMP = ".tmp";

    /**
     * Deletes the temporary files that {@link #replace} leaves in {@code dir} when the process dies before the
     * rename ({@code kill -9}, power loss): {@code NAME<digits>.tmp} for each of {@code names}. Returns how many.
     * Call it only when no other process is writing those files.
     */
    public static int removeUnfinished(Path dir, String... names) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                for (String name : names)
                    if (f.startsWith(name) && f.endsWith(TMP) && f.length() > name.length() + TMP.length()
                            && f.substring(name.length(), f.length() - TMP.length()).chars().allMatch(Character::isDigit)) {
                        if (Files.deleteIfExists(p)) n++;
                        break;
                    }
            }
        }
        return n;
    }

    /** Replaces {@code file} with {@code text} in UTF-8, atomically. */
    public static void writeString(Path file, String text) throws IOException {
        replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
