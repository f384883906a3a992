package llmbook.kernel;

import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * IJava's classpath line magics.
 * <ul>
 *   <li>{@code %jars a.jar lib/*.jar} — add jar files; each argument may be a glob.</li>
 *   <li>{@code %classpath out/classes:lib/*.jar} — add classpath entries (folders or jars), each
 *       argument split at the platform's path separator, each piece may be a glob.</li>
 * </ul>
 * A pattern that matches nothing is an error that names it, rather than a silent no-op.
 */
final class ClasspathMagics {
    private final Consumer<String> addToClasspath;

    ClasspathMagics(Consumer<String> addToClasspath) {
        this.addToClasspath = addToClasspath;
    }

    /** Runs the line magic {@code name} with {@code args}. */
    void apply(String name, List<String> args) {
        switch (name) {
            case "jars" -> jars(args);
            case "classpath" -> classpath(args);
            default -> throw new JavaKernel.KernelException("unknown line magic %" + name + "; this kernel has %jars and %classpath");
        }
    }

    /** {@code %jars}: every argument is a jar path or a glob of jars. */
    List<Path> jars(List<String> args) {
        if (args.isEmpty()) throw new JavaKernel.KernelException("%jars needs at least one jar path or glob");
        List<Path> added = new ArrayList<>();
        for (String a : args) {
            List<Path> found = expand(a);
            for (Path p : found) {
                if (!Files.isRegularFile(p)) throw new JavaKernel.KernelException("%jars: " + p + " is not a file");
                addToClasspath.accept(p.toAbsolutePath().toString());
                added.add(p);
            }
        }
        return added;
    }

    /** {@code %classpath}: every argument is split at the path separator; pieces may be globs. */
    List<Path> classpath(List<String> args) {
        if (args.isEmpty()) throw new JavaKernel.KernelException("%classpath needs at least one path");
        List<Path> added = new ArrayList<>();
        for (String a : args) {
            for (String piece : a.split(File.pathSeparator)) {
                if (piece.isBlank()) continue;
                for (Path p : expand(piece)) {
                    addToClasspath.accept(p.toAbsolutePath().toString());
                    added.add(p);
                }
            }
        }
        return added;
    }

    /** The existing paths matching a glob, or the path itself when it has no glob characters. */
    static List<Path> expand(String pattern) {
        String p = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        List<Path> out = new ArrayList<>();
        if (p.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
            Path path = Path.of(p);
            if (!Files.exists(path)) throw new JavaKernel.KernelException("no such file or folder: " + pattern);
            out.add(path);
            return out;
        }
        try {
            for (Path m : new GlobFinder(p).computeMatchingPaths()) out.add(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot expand " + pattern, e);
        }
        if (out.isEmpty()) throw new JavaKernel.KernelException("nothing matches " + pattern);
        out.sort(null);
        return out;
    }
}
