package llmbook.cli;

import java.io.PrintStream;

/**
 * How every CLI verb ends when something unexpected happens: one line {@code llmbook VERB: error: ...} and exit
 * status 1, never a Java stack trace (set {@code LLMBOOK_DEBUG=1} to get the trace as well). The verbs catch the
 * errors they expect themselves (usage errors exit 2 with the flag's name); this is the net under them.
 * Running out of heap gets its own advice, since it is the one a user can fix from the command line.
 */
final class Cli {
    private Cli() {}

    /** A verb's body: returns its exit status. */
    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    /** Runs {@code body}, turning anything it throws into one line on {@code err} (and the trace if LLMBOOK_DEBUG=1). */
    static int guard(String verb, PrintStream err, Body body) {
        return guard(verb, err, "1".equals(System.getenv("LLMBOOK_DEBUG")), body);
    }

    static int guard(String verb, PrintStream err, boolean debug, Body body) {
        try {
            return body.run();
        } catch (OutOfMemoryError e) {
            err.printf("llmbook %s: error: out of memory (%s; the heap limit is %s): use a smaller model or --batch, "
                    + "or raise the limit, e.g. LLMBOOK_JAVA_OPTS=-Xmx8g ./llmbook %s ...%n",
                    verb, e.getMessage(), MemoryEstimate.size(Runtime.getRuntime().maxMemory()), verb);
            if (debug) e.printStackTrace(err);
            return 1;
        } catch (Throwable e) {
            String what = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            err.println("llmbook " + verb + ": error: " + what.replace('\n', ' ')
                    + (debug ? "" : " (LLMBOOK_DEBUG=1 shows the stack trace)"));
            if (debug) e.printStackTrace(err);
            return 1;
        }
    }
}
