package llmbook.kernel;

import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;

/** Compiler messages shown the way a reader can act on them: the line, a caret, the message. */
final class Diagnostics {
    private Diagnostics() {}

    /** Every error of a rejected snippet, each as its source line with a caret under the spot. */
    static String format(JShell shell, Snippet s) {
        String src = s.source();
        StringBuilder b = new StringBuilder();
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) continue;
            int pos = (int) Math.max(0, Math.min(src.length(), d.getPosition() < 0 ? d.getStartPosition() : d.getPosition()));
            int lineStart = src.lastIndexOf('\n', Math.max(0, pos - 1)) + 1;
            if (pos == 0) lineStart = 0;
            int lineEnd = src.indexOf('\n', pos);
            if (lineEnd < 0) lineEnd = src.length();
            String line = src.substring(lineStart, lineEnd);
            if (b.length() > 0) b.append('\n');
            b.append(d.getMessage(Locale.ROOT)).append('\n');
            b.append("    ").append(line).append('\n');
            b.append("    ").append(" ".repeat(Math.max(0, pos - lineStart))).append('^');
        }
        return b.length() == 0 ? "the snippet was rejected by the compiler:\n" + src : b.toString();
    }

    /** Why a declaration cannot be used yet: the names it refers to that are not declared. */
    static String unresolved(JShell shell, Snippet s) {
        String names = s instanceof jdk.jshell.DeclarationSnippet d
                ? shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) : "?";
        return "note: " + s.source().strip().lines().findFirst().orElse("") + " … cannot be used until " + names + " is declared";
    }
}
