package llmbook.kernel;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes Shift-Tab (inspect) show the library's Javadoc, not only its signatures.
 *
 * <p>JShell reads Javadoc from sources, and looks only in the JDK's {@code lib/src.zip}. The list
 * it searches is a private static field of {@code jdk.jshell.SourceCodeAnalysisImpl}, meant for its
 * tests; this sets it to the JDK's sources plus the library's, {@code $LLMBOOK_HOME/lib/src/main/java}
 * (the kernelspec opens {@code jdk.jshell} for it). If the field is out of reach (another JDK), inspect
 * still shows signatures and the JDK's Javadoc.
 */
final class Docs {
    private Docs() {}

    /** The folders of Java sources Javadoc is read from: the JDK's modules, then the library's. */
    static List<Path> sources() {
        List<Path> result = new ArrayList<>();
        Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (Files.isReadable(zip)) {
            try {
                FileSystem fs = FileSystems.newFileSystem(zip); // kept open: JShell reads from it for the kernel's life
                Path root = fs.getRootDirectories().iterator().next();
                if (Files.exists(root.resolve("java/lang/Object.java"))) result.add(root);
                else try (DirectoryStream<Path> modules = Files.newDirectoryStream(root)) {
                    for (Path m : modules) if (Files.isDirectory(m)) result.add(m);
                }
            } catch (IOException e) {
                // no JDK sources: only the library's
            }
        }
        String home = System.getenv("LLMBOOK_HOME");
        if (home != null) {
            Path lib = Path.of(home, "lib", "src", "main", "java");
            if (Files.isDirectory(lib)) result.add(lib);
        }
        return result;
    }

    /** Points JShell's Javadoc lookup at {@link #sources()}; false if it could not. */
    static boolean addLibrarySources() {
        try {
            Class<?> impl = Class.forName("jdk.jshell.SourceCodeAnalysisImpl");
            Field f = impl.getDeclaredField("availableSourcesOverride");
            f.setAccessible(true);
            f.set(null, sources());
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
