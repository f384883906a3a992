package llmbook.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.MagicParser;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;

/**
 * The llmbook Java kernel: IJava-compatible cells evaluated by JShell in the kernel's own JVM.
 *
 * <ul>
 *   <li>The library, its dependencies and the kernel are on the cells' classpath; so are the
 *       entries of {@code IJAVA_CLASSPATH}. {@code IJAVA_COMPILER_OPTS} adds compiler options;
 *       {@code --add-modules jdk.incubator.vector} is always there.</li>
 *   <li>A cell's last expression is rendered ({@link Renderers}); {@code display}, {@code render}
 *       and {@code updateDisplay} work as in IJava; {@code %jars} and {@code %classpath} as well.</li>
 *   <li>Interrupt stops the running cell, even a busy loop ({@link CellExecutionControl}).</li>
 *   <li>{@code System.exit} and {@code Runtime.halt} in a cell end the cell, not the kernel ({@link ExitGuard}).</li>
 *   <li>Errors speak of cells: compile errors give the cell line, stack frames the cell and line,
 *       and a class redefinition that empties variables says so ({@link Diagnostics}).</li>
 *   <li>A kernel whose front end dies without shutting it down exits by itself ({@link Main#exitWithFrontEnd}).</li>
 * </ul>
 */
public final class JavaKernel extends BaseKernel {
    /** IJava's helper methods, defined in every session. */
    static final String STARTUP = String.join("\n",
            "String display(Object o, String... mimeTypes) { return llmbook.kernel.Notebook.display(o, mimeTypes); }",
            "io.github.spencerpark.jupyter.kernel.display.DisplayData render(Object o, String... mimeTypes) { return llmbook.kernel.Notebook.render(o, mimeTypes); }",
            "void updateDisplay(String id, Object o, String... mimeTypes) { llmbook.kernel.Notebook.updateDisplay(id, o, mimeTypes); }");

    /**
     * Imported in every session unless {@code LLMBOOK_IMPORTS=none} (IJava compatibility: IJava imports
     * nothing): the jshell tool's defaults and the packages the notebooks use most. Packages that are
     * not on the classpath are skipped; none of these share a simple class name (KernelImportsTest).
     */
    static final List<String> IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*", "java.util.concurrent.*",
            "java.util.function.*", "java.util.regex.*", "java.util.stream.*",
            "llmbook.data.*", "llmbook.tokenizer.*", "llmbook.plot.*", "llmbook.util.*",
            "tech.tablesaw.api.*", "org.knowm.xchart.*");

    private static final Object NO_VALUE = new Object();

    /** The JShell session and what works on it; built in the background so the kernel answers at once. */
    private record Session(JShell shell, SourceCodeAnalysis analysis, CellExecutionControl control,
                           Diagnostics diagnostics, ClasspathMagics magics) {}

    private final CompletableFuture<Session> session;
    /** JShell's parser, ready before the session's first compile: is_complete needs only this. */
    private final CompletableFuture<SourceCodeAnalysis> parser = new CompletableFuture<>();
    private final MagicParser magicParser = new MagicParser();
    private final LanguageInfo languageInfo;
    private volatile boolean interrupted;

    /**
     * Replies to Jupyter at once and starts JShell (a compiler and a class loader: most of a second)
     * on a background thread; a request that needs JShell waits for it ({@link #session()}).
     */
    public JavaKernel() {
        this.languageInfo = new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                "java", "java", "script");
        Renderers.registerAll(getRenderer());
        Notebook.attach(this);
        this.session = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                session.complete(startSession());
            } catch (Throwable t) {
                parser.completeExceptionally(t);
                session.completeExceptionally(t);
            }
        }, "llmbook-jshell-start");
        starter.setDaemon(true);
        starter.start();
    }

    private Session startSession() {
        List<String> compilerOptions = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
        String extraOpts = System.getenv("IJAVA_COMPILER_OPTS");
        if (extraOpts != null && !extraOpts.isBlank()) compilerOptions.addAll(List.of(extraOpts.trim().split("\\s+")));
        CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
        JShell shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions(compilerOptions.toArray(String[]::new))
                .build();
        parser.complete(shell.sourceCodeAnalysis());
        ClasspathMagics magics = new ClasspathMagics(shell::addToClasspath);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            if (!entry.isBlank()) shell.addToClasspath(entry);
        String extraCp = System.getenv("IJAVA_CLASSPATH");
        if (extraCp != null && !extraCp.isBlank()) magics.classpath(List.of(extraCp));
        Docs.addLibrarySources();
        Session s = new Session(shell, shell.sourceCodeAnalysis(), provider.control(), new Diagnostics(shell), magics);
        for (String rest = STARTUP; !rest.isBlank(); ) { // JShell evaluates one snippet at a time
            CompletionInfo info = s.analysis().analyzeCompletion(rest);
            s.shell().eval(info.source());
            rest = info.remaining();
        }
        if (!"none".equals(System.getenv("LLMBOOK_IMPORTS")))
            for (String i : IMPORTS) s.shell().eval("import " + i + ";"); // a missing package is rejected: skipped
        return s;
    }

    /** The JShell session, waiting for it while it starts. */
    private Session session() {
        try {
            return session.get();
        } catch (ExecutionException e) {
            throw new KernelException("the kernel could not start JShell: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("Interrupted while JShell was starting");
        }
    }

    @Override public LanguageInfo getLanguageInfo() { return languageInfo; }

    @Override public String getBanner() {
        return "llmbook Java kernel — JShell on Java " + Runtime.version() + ", jdk.incubator.vector enabled";
    }

    /** Replies to kernel_info with {@code "status": "ok"}, which the base library leaves out. */
    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.KERNEL_INFO_REQUEST, (env, msg) -> {
            env.setBusyDeferIdle();
            env.reply(new StatusKernelInfoReply(getLanguageInfo(), getBanner(), getHelpLinks()));
        });
    }

    /** {@link KernelInfoReply} plus the {@code status} field of the messaging spec. */
    static final class StatusKernelInfoReply extends KernelInfoReply {
        @SuppressWarnings("unused") // serialised by Gson
        private final String status = "ok";

        StatusKernelInfoReply(LanguageInfo info, String banner, List<LanguageInfo.Help> help) {
            super("5.3", "llmbook-kernel", llmbook.Version.VERSION, info, banner, help);
        }
    }

    @Override
    public DisplayData eval(String cell) throws Exception {
        interrupted = false; // an interrupt belongs to the cell it arrives in, even one waiting for JShell
        Session session = session();
        session.control().clearStop();
        if (interrupted) throw new KernelException("Interrupted: the cell was stopped before it ran");
        if (cell.stripLeading().startsWith("%%"))
            throw new KernelException("cell magics (%%) are not supported; the line magics are %jars and %classpath");
        String code = magicParser.transformLineMagics(cell, ctx -> {
            try {
                session.magics().apply(ctx.getMagicCall().getName(), ctx.getMagicCall().getArgs());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new KernelException(e.getMessage());
            }
            return "";
        });
        Object last = NO_VALUE;
        String remaining = code;
        while (!remaining.isBlank()) {
            if (interrupted) throw new KernelException("Interrupted: the cell was stopped; definitions made before the stop are kept");
            remaining = remaining.substring(Diagnostics.leadingNoise(remaining)); // so that trace lines are right (see Diagnostics.record)
            if (remaining.isEmpty()) break;
            CompletionInfo info = session.analysis().analyzeCompletion(remaining);
            int firstLine = 1 + (int) code.substring(0, code.length() - remaining.length()).chars().filter(c -> c == '\n').count();
            switch (info.completeness()) {
                case EMPTY -> remaining = "";
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    last = evalSnippet(session, info.source(), firstLine);
                    remaining = info.remaining();
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE ->
                        throw new KernelException("incomplete input — is a bracket, brace or quote left open?\n" + remaining.strip());
                default -> { // UNKNOWN: let the compiler say what is wrong
                    last = evalSnippet(session, info.source() != null && !info.source().isBlank() ? info.source() : remaining, firstLine);
                    remaining = info.remaining() == null ? "" : info.remaining();
                }
            }
        }
        if (interrupted) throw new KernelException("Interrupted: the cell was stopped; definitions made before the stop are kept");
        // printf and format return their PrintStream: showing "java.io.PrintStream@1b6d3586" under
        // every cell that ends in a printf helps nobody.
        if (last == NO_VALUE || last instanceof java.io.PrintStream) return null;
        if (last == null) return new DisplayData("null");
        return getRenderer().render(last);
    }

    /** The execution count of the cell being run (the base kernel has already counted it); 0 while starting up. */
    private int currentCell() {
        return executionCount.get() - 1;
    }

    /**
     * Evaluates one snippet, which starts at line {@code firstLine} of the cell; its value if it is
     * an expression, else {@link #NO_VALUE}.
     */
    private Object evalSnippet(Session session, String source, int firstLine) throws Exception {
        Object value = NO_VALUE;
        Diagnostics diagnostics = session.diagnostics();
        CellExecutionControl control = session.control();
        List<SnippetEvent> events = session.shell().eval(source);
        String reset = Diagnostics.resetNote(events);
        if (reset != null) System.err.println(reset);
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() != null) continue; // a dependent snippet being updated
            Snippet s = ev.snippet();
            diagnostics.record(s, currentCell(), firstLine);
            if (ev.status() == Snippet.Status.REJECTED) throw new KernelException(diagnostics.compileErrors(s));
            JShellException ex = ev.exception();
            if (ex != null) throw ex;
            if (ev.status() == Snippet.Status.RECOVERABLE_DEFINED || ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)
                System.err.println(diagnostics.unresolved(s));
            String key = ev.value();
            if (key == null || !s.subKind().isExecutable()) continue;
            Object v = control.hasResult(key) ? control.takeResult(key) : key;
            value = switch (s.subKind()) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> v;
                default -> NO_VALUE;
            };
        }
        return value;
    }

    @Override
    public List<String> formatError(Exception e) {
        List<String> lines = new ArrayList<>();
        if (e instanceof KernelException) {
            for (String l : e.getMessage().split("\n")) lines.add(errorStyler.secondary(l));
            return lines;
        }
        Diagnostics diagnostics = session().diagnostics();
        if (e instanceof UnresolvedReferenceException u) {
            lines.add(errorStyler.primary(diagnostics.unresolved(u.getSnippet())));
            return lines;
        }
        int cell = currentCell();
        Throwable t = e;
        boolean first = true;
        while (t != null) {
            String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
            String message = Diagnostics.expunge(t.getMessage());
            String head = name.equals(ExitGuard.ExitCalled.class.getName()) ? message // says it all
                    : (first ? "" : "Caused by: ") + Diagnostics.expunge(name) + (message != null ? ": " + message : "");
            lines.add(errorStyler.primary(head));
            for (StackTraceElement f : t.getStackTrace()) {
                String c = f.getClassName();
                if (c.startsWith("jdk.jshell.") || c.startsWith("llmbook.kernel.") || c.startsWith("java.lang.reflect.")
                        || c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.Thread")) continue;
                lines.add(errorStyler.secondary("    " + diagnostics.frame(f, cell)));
            }
            t = t.getCause();
            first = false;
        }
        return lines;
    }

    @Override
    public String isComplete(String code) {
        String remaining = code.replaceAll("(?m)^\\s*%.*$", "");
        SourceCodeAnalysis analysis;
        try { // the console asks at every Enter, with a one-second timeout: do not wait for the whole session
            analysis = parser.get();
        } catch (ExecutionException | InterruptedException e) {
            return IS_COMPLETE_MAYBE;
        }
        while (true) {
            if (remaining.isBlank()) return IS_COMPLETE_YES;
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> remaining = info.remaining();
                case EMPTY -> { return IS_COMPLETE_YES; }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> { return "    "; }
                default -> { return IS_COMPLETE_BAD; }
            }
        }
    }

    /** The snippet around {@code cursor}: JShell completes and documents one snippet at a time. */
    private int[] snippetAround(String code, int cursor) {
        SourceCodeAnalysis analysis = session().analysis();
        int start = 0;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(code.substring(start));
            if (!info.completeness().isComplete() || info.remaining().isBlank()) break;
            int end = code.length() - info.remaining().length();
            if (end >= cursor) break;
            start = end;
        }
        return new int[] {start, code.length()};
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int start = snippetAround(code, at)[0];
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = session().analysis().completionSuggestions(code.substring(start), at - start, anchor);
        Set<String> options = new LinkedHashSet<>();
        for (var s : suggestions) if (s.matchesType()) options.add(s.continuation());
        for (var s : suggestions) options.add(s.continuation());
        return new ReplacementOptions(new ArrayList<>(options), anchor[0] + start, at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean detail) {
        int start = snippetAround(code, at)[0];
        String snippet = code.substring(start, at);
        SourceCodeAnalysis analysis = session().analysis();
        // Javadoc even at detail level 0: that is what Shift-Tab asks for, and a signature alone says little
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, snippet.length(), true);
        if (docs.isEmpty() && !snippet.endsWith("(")) // on a method name: JShell documents calls, so ask about one
            docs = analysis.documentation(snippet + "(", snippet.length() + 1, true);
        if (docs.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (var d : docs) {
            if (b.length() > 0) b.append("\n\n");
            b.append(d.signature());
            if (d.javadoc() != null && !d.javadoc().isBlank()) b.append("\n").append(d.javadoc().strip());
        }
        return new DisplayData(b.toString());
    }

    @Override
    public void interrupt() {
        interrupted = true;
        Session s = session.getNow(null);
        if (s == null) return; // still starting: the waiting cell sees the flag and stops before it runs
        s.control().requestStop(); // kept until the cell's next snippet runs: an interrupt while compiling is not lost
        s.shell().stop();
    }

    @Override
    public void onShutdown(boolean restarting) {
        Session s = session.getNow(null);
        if (s != null) s.shell().close();
    }

    /** An error the kernel itself reports (bad magic, compile errors): no stack trace. */
    static final class KernelException extends RuntimeException {
        KernelException(String message) { super(message, null, false, false); }
    }
}
