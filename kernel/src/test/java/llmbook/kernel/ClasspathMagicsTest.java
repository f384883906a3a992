package llmbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathMagicsTest {
    @TempDir Path dir;

    @Test
    void jarsExpandsGlobsAndAddsEachJarOnce() throws Exception {
        Files.createFile(dir.resolve("a.jar"));
        Files.createFile(dir.resolve("b.jar"));
        Files.createFile(dir.resolve("notes.txt"));
        List<String> added = new ArrayList<>();
        new ClasspathMagics(added::add).apply("jars", List.of(dir + "/*.jar"));
        assertEquals(List.of(dir.resolve("a.jar").toString(), dir.resolve("b.jar").toString()), added);
    }

    @Test
    void classpathSplitsAtThePathSeparator() throws Exception {
        Path classes = Files.createDirectory(dir.resolve("classes"));
        Files.createFile(dir.resolve("c.jar"));
        List<String> added = new ArrayList<>();
        new ClasspathMagics(added::add).apply("classpath", List.of(classes + File.pathSeparator + dir + "/c.jar"));
        assertEquals(List.of(classes.toString(), dir.resolve("c.jar").toString()), added);
    }

    @Test
    void missingFilesAndUnknownMagicsAreClearErrors() {
        var m = new ClasspathMagics(p -> {});
        var e = assertThrows(JavaKernel.KernelException.class, () -> m.apply("jars", List.of(dir + "/missing.jar")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        e = assertThrows(JavaKernel.KernelException.class, () -> m.apply("jars", List.of(dir + "/*.zip")));
        assertTrue(e.getMessage().contains("nothing matches"), e.getMessage());
        e = assertThrows(JavaKernel.KernelException.class, () -> m.apply("maven", List.of("x:y:1")));
        assertTrue(e.getMessage().contains("%jars and %classpath"), e.getMessage());
    }
}
