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
 * </ul>
 */
public final class JavaKernel extends BaseKernel {
    /** IJava's helper methods, defined in every session. */
    static final String STARTUP = String.join("\n",
            "String display(Object o, String... mimeTypes) { return llmbook.kernel.Notebook.display(o, mimeTypes); }",
            "io.github.spencerpark.jupyter.kernel.display.DisplayData render(Object o, String... mimeTypes) { return llmbook.kernel.Notebook.render(o, mimeTypes); }",
            "void updateDisplay(String id, Object o, String... mimeTypes) { llmbook.kernel.Notebook.updateDisplay(id, o, mimeTypes); }");

    private static final Object NO_VALUE = new Object();

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final CellExecutionControl control;
    private final Diagnostics diagnostics;
    private final MagicParser magicParser = new MagicParser();
    private final ClasspathMagics magics;
    private final LanguageInfo languageInfo;
    private volatile boolean interrupted;

    public JavaKernel() throws Exception {
        List<String> compilerOptions = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
        String extraOpts = System.getenv("IJAVA_COMPILER_OPTS");
        if (extraOpts != null && !extraOpts.isBlank()) compilerOptions.addAll(List.of(extraOpts.trim().split("\\s+")));
        CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions(compilerOptions.toArray(String[]::new))
                .build();
        this.analysis = shell.sourceCodeAnalysis();
        this.control = provider.control();
        this.diagnostics = new Diagnostics(shell);
        this.magics = new ClasspathMagics(shell::addToClasspath);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            if (!entry.isBlank()) shell.addToClasspath(entry);
        String extraCp = System.getenv("IJAVA_CLASSPATH");
        if (extraCp != null && !extraCp.isBlank()) magics.classpath(List.of(extraCp));
        this.languageInfo = new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                "java", "java", "script");
        Renderers.registerAll(getRenderer());
        Notebook.attach(this);
        eval(STARTUP);
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
        if (cell.stripLeading().startsWith("%%"))
            throw new KernelException("cell magics (%%) are not supported; the line magics are %jars and %classpath");
        String code = magicParser.transformLineMagics(cell, ctx -> {
            try {
                magics.apply(ctx.getMagicCall().getName(), ctx.getMagicCall().getArgs());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new KernelException(e.getMessage());
            }
            return "";
        });
        interrupted = false;
        Object last = NO_VALUE;
        String remaining = code;
        while (!remaining.isBlank()) {
            remaining = remaining.substring(Diagnostics.leadingNoise(remaining)); // so that trace lines are right (see Diagnostics.record)
            if (remaining.isEmpty()) break;
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            int firstLine = 1 + (int) code.substring(0, code.length() - remaining.length()).chars().filter(c -> c == '\n').count();
            switch (info.completeness()) {
                case EMPTY -> remaining = "";
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    last = evalSnippet(info.source(), firstLine);
                    remaining = info.remaining();
                    if (interrupted) throw new KernelException("Interrupted: the cell was stopped; definitions made before the stop are kept");
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE ->
                        throw new KernelException("incomplete input — is a bracket, brace or quote left open?\n" + remaining.strip());
                default -> { // UNKNOWN: let the compiler say what is wrong
                    last = evalSnippet(info.source() != null && !info.source().isBlank() ? info.source() : remaining, firstLine);
                    remaining = info.remaining() == null ? "" : info.remaining();
                }
            }
        }
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
    private Object evalSnippet(String source, int firstLine) throws Exception {
        Object value = NO_VALUE;
        List<SnippetEvent> events = shell.eval(source);
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
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(code.substring(start), at - start, anchor);
        Set<String> options = new LinkedHashSet<>();
        for (var s : suggestions) if (s.matchesType()) options.add(s.continuation());
        for (var s : suggestions) options.add(s.continuation());
        return new ReplacementOptions(new ArrayList<>(options), anchor[0] + start, at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean detail) {
        int start = snippetAround(code, at)[0];
        String snippet = code.substring(start, at);
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, snippet.length(), detail);
        if (docs.isEmpty() && !snippet.endsWith("(")) // on a method name: JShell documents calls, so ask about one
            docs = analysis.documentation(snippet + "(", snippet.length() + 1, detail);
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
        shell.stop();
    }

    @Override
    public void onShutdown(boolean restarting) {
        shell.close();
    }

    /** An error the kernel itself reports (bad magic, compile errors): no stack trace. */
    static final class KernelException extends RuntimeException {
        KernelException(String message) { super(message, null, false, false); }
    }
}
