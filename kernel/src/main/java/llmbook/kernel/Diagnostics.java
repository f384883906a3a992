package llmbook.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.PersistentSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

/**
 * Compiler messages, stack traces and notes shown the way a reader can act on them: in terms of
 * the cells and their lines, not of JShell's snippets.
 *
 * <p>One cell is often several snippets (each statement, method or class is one), and JShell
 * numbers lines within a snippet and names frames by snippet id ({@code at .f(#13:1)}). The kernel
 * {@link #record}s where each snippet starts in its cell, so that messages can say
 * {@code cell line 3} and frames {@code at f (line 2 of this cell)} or {@code at f (cell [4], line 2)}.
 */
final class Diagnostics {
    /** Where a snippet's source starts: the cell's execution count (0 for the kernel's start-up code) and the line in it, from 1. */
    private record Place(int cell, int firstLine) {}

    private final JShell shell;
    private final Map<String, Place> places = new ConcurrentHashMap<>();

    Diagnostics(JShell shell) {
        this.shell = shell;
    }

    /**
     * Notes that the source of snippet {@code s} starts at line {@code firstLine} of cell {@code cell}.
     * The source should start with code or a Javadoc comment ({@link #leadingNoise}): JShell numbers
     * the lines of a method's frames wrongly (all as line 1) after blank lines, and those of an
     * expression from the expression rather than from a comment before it.
     */
    void record(Snippet s, int cell, int firstLine) {
        places.put(s.id(), new Place(cell, firstLine));
    }

    /**
     * The length of the white space and comments that start {@code src}, up to its code or a Javadoc
     * comment (which documents the declaration after it); an unterminated comment is left for the
     * compiler to report.
     */
    static int leadingNoise(String src) {
        int i = 0;
        while (i < src.length()) {
            if (Character.isWhitespace(src.charAt(i))) i++;
            else if (src.startsWith("//", i)) i = src.indexOf('\n', i) < 0 ? src.length() : src.indexOf('\n', i);
            else if (src.startsWith("/*", i) && !(src.startsWith("/**", i) && !src.startsWith("/**/", i)) && src.indexOf("*/", i + 2) >= 0)
                i = src.indexOf("*/", i + 2) + 2;
            else break;
        }
        return i;
    }

    /** Every error of a rejected snippet: the cell line and message, then the source line with a caret under the spot. */
    String compileErrors(Snippet s) {
        String src = s.source();
        int firstLine = places.getOrDefault(s.id(), new Place(0, 1)).firstLine();
        StringBuilder b = new StringBuilder();
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) continue;
            int pos = (int) Math.max(0, Math.min(src.length(), d.getPosition() < 0 ? d.getStartPosition() : d.getPosition()));
            int lineStart = src.lastIndexOf('\n', Math.max(0, pos - 1)) + 1;
            if (pos == 0) lineStart = 0;
            int lineEnd = src.indexOf('\n', pos);
            if (lineEnd < 0) lineEnd = src.length();
            int line = firstLine + (int) src.substring(0, lineStart).chars().filter(c -> c == '\n').count();
            if (b.length() > 0) b.append('\n');
            b.append("cell line ").append(line).append(": ").append(message(d)).append('\n');
            b.append("    ").append(src, lineStart, lineEnd).append('\n');
            b.append("    ").append(" ".repeat(Math.max(0, pos - lineStart))).append('^');
        }
        return b.length() == 0 ? "the snippet was rejected by the compiler:\n" + src : b.toString();
    }

    /**
     * The compiler's message without JShell's traces: snippets live in a wrapper class with no name,
     * so javac says {@code location: class} (empty) and {@code method f in class  cannot be applied}.
     * "cannot find symbol" and its {@code symbol:} line become one line.
     */
    static String message(Diag d) {
        List<String> lines = new ArrayList<>(d.getMessage(Locale.ROOT).lines().toList());
        lines.removeIf(l -> l.strip().equals("location: class"));
        if (lines.size() > 1 && lines.get(1).strip().startsWith("symbol:"))
            lines.set(0, lines.get(0) + ": " + lines.remove(1).strip().substring("symbol:".length()).strip());
        return String.join("\n", lines).replace(" in class  ", " ");
    }

    /** Why a declaration cannot be used yet: the names it refers to that are not declared. */
    String unresolved(Snippet s) {
        String names = s instanceof jdk.jshell.DeclarationSnippet d
                ? shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) : "?";
        return "note: " + s.source().strip().lines().findFirst().orElse("") + " … cannot be used until " + names + " is declared";
    }

    /**
     * A frame of a trace thrown by cell code. Snippet frames (file {@code #13}, line in the snippet)
     * name the cell and its line; other frames are shown as the JVM shows them.
     */
    String frame(StackTraceElement f, int currentCell) {
        String file = f.getFileName();
        Place p = file != null && file.startsWith("#") ? places.get(file.substring(1)) : null;
        if (p == null) return "at " + f;
        int line = p.firstLine() + Math.max(1, f.getLineNumber()) - 1;
        String where = p.cell() == currentCell ? "line " + line + " of this cell"
                : p.cell() == 0 ? "the kernel's start-up code" : "cell [" + p.cell() + "], line " + line;
        if (f.getMethodName().isEmpty()) return "at " + where; // the cell's own statements
        String cls = f.getClassName().isEmpty() ? "" : f.getClassName() + ".";
        return "at " + cls + f.getMethodName() + " (" + where + ")";
    }

    /** JShell's internal class names ({@code REPL.$JShell$12$Foo}) as the reader wrote them ({@code Foo}). */
    static String expunge(String text) {
        return text == null ? null : text.replaceAll("REPL\\.\\$JShell\\$\\d+[A-Z]?\\$", "");
    }

    /**
     * A note when a cell's declaration cost variables their values, else null. Redefining a class
     * with a new shape (new fields or methods) makes a new class: variables declared with the old
     * one cannot hold its instances, so JShell declares them again, empty (an update with a
     * signature change), or, when their initializer no longer compiles, not at all.
     */
    static String resetNote(List<SnippetEvent> events) {
        Map<String, Snippet> causes = new LinkedHashMap<>();
        Map<String, List<String>> reset = new LinkedHashMap<>(), gone = new LinkedHashMap<>();
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() == null || !(ev.snippet() instanceof VarSnippet v) || !ev.previousStatus().isActive()) continue;
            Map<String, List<String>> into = ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED ? gone
                    : ev.status().isDefined() && ev.isSignatureChange() ? reset : null;
            if (into == null) continue;
            causes.putIfAbsent(ev.causeSnippet().id(), ev.causeSnippet());
            into.computeIfAbsent(ev.causeSnippet().id(), k -> new ArrayList<>()).add(v.name());
        }
        if (causes.isEmpty()) return null;
        List<String> notes = new ArrayList<>();
        causes.forEach((id, cause) -> {
            String[] what = describe(cause);
            List<String> r = reset.getOrDefault(id, List.of()), g = gone.getOrDefault(id, List.of());
            List<String> parts = new ArrayList<>();
            if (!r.isEmpty()) parts.add(variables(r) + " of the old " + what[1] + (r.size() == 1 ? " was" : " were") + " reset to null");
            if (!g.isEmpty()) parts.add(variables(g) + (g.size() == 1 ? " is gone: its declaration no longer compiles" : " are gone: their declarations no longer compile")
                    + " with the new " + what[1]);
            notes.add("note: " + what[0] + " was redefined: " + String.join("; ", parts)
                    + "; declare " + (r.size() + g.size() == 1 ? "it" : "them") + " again");
        });
        return String.join("\n", notes);
    }

    private static String variables(List<String> names) {
        return (names.size() == 1 ? "variable " : "variables ") + String.join(", ", names);
    }

    /** What a declaration is and its name: {"class Foo", "Foo"}, {"method f", "f"}, else its first line and "declaration". */
    private static String[] describe(Snippet s) {
        String kind = switch (s.subKind()) {
            case CLASS_SUBKIND -> "class";
            case INTERFACE_SUBKIND -> "interface";
            case ENUM_SUBKIND -> "enum";
            case RECORD_SUBKIND -> "record";
            case ANNOTATION_TYPE_SUBKIND -> "annotation";
            case METHOD_SUBKIND -> "method";
            default -> null;
        };
        if (kind != null && s instanceof PersistentSnippet p) return new String[] {kind + " " + p.name(), p.name()};
        return new String[] {"the declaration " + s.source().strip().lines().findFirst().orElse(""), "declaration"};
    }
}
