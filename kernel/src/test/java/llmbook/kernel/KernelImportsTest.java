package llmbook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The kernel's default imports: every package exists, and no simple class name is in two of them (it would be ambiguous). */
class KernelImportsTest {

    @Test
    void defaultImportsExistAndNeverMakeANameAmbiguous() throws IOException {
        Map<String, Set<String>> classes = new HashMap<>(); // package -> public top-level simple names
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
            for (Path m : modules.toList()) collect(m, classes);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) continue;
            try (JarFile jar = new JarFile(entry)) {
                jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("META-INF"))
                        .forEach(n -> add(classes, n));
            }
        }
        collect(Path.of("../lib/target/classes"), classes);
        Map<String, String> owner = new TreeMap<>();
        Set<String> clashes = new TreeSet<>();
        for (String imp : JavaKernel.IMPORTS) {
            String pkg = imp.substring(0, imp.length() - 2);
            Set<String> names = classes.get(pkg);
            assertTrue(names != null && !names.isEmpty(), "no classes in imported package " + pkg);
            for (String n : names) {
                String before = owner.putIfAbsent(n, pkg);
                if (before != null && !before.equals(pkg) && isPublic(before + "." + n) && isPublic(pkg + "." + n))
                    clashes.add(n + " in " + before + " and " + pkg);
            }
        }
        assertEquals(Set.of(), clashes, "simple names that a cell could not use without an import");
    }

    private static boolean isPublic(String className) {
        try {
            return java.lang.reflect.Modifier.isPublic(Class.forName(className, false, KernelImportsTest.class.getClassLoader()).getModifiers());
        } catch (ReflectiveOperationException | LinkageError e) {
            return true; // cannot tell: count it
        }
    }

    private static void collect(Path root, Map<String, Set<String>> classes) throws IOException {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".class") && !n.contains("$")).forEach(n -> add(classes, n));
        }
    }

    private static void add(Map<String, Set<String>> classes, String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) return;
        String pkg = path.substring(0, slash).replace('/', '.');
        String name = path.substring(slash + 1, path.length() - ".class".length());
        if (name.equals("package-info") || name.equals("module-info")) return;
        classes.computeIfAbsent(pkg, k -> new TreeSet<>()).add(name);
    }
}
