package llmbook.kernel;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's in-process execution, keeping each cell's result as an object.
 *
 * <p>JShell's own local execution turns a snippet's value into a string; a notebook needs the
 * object itself, to render a chart as an image or a table as HTML. This control runs the snippet
 * the same way but stores the value under a fresh key and hands JShell the key; the kernel takes
 * the object back with {@link #takeResult}.
 *
 * <p>Interrupting: on JDK 21+ {@link LocalExecutionControl} instruments snippet classes with a
 * stop check at every loop back-edge, so {@link #stop()} ends even {@code while (true) {}}. Library
 * code called from a cell is not instrumented, so {@link #stop()} also interrupts the cell's
 * thread: a long library loop that checks {@link Thread#interrupted()} stops as well.
 *
 * <p>A stop that arrives while a snippet is still being compiled is kept ({@link #requestStop}) and
 * ends the snippet before it runs; one that arrives after that check but before the snippet's thread
 * exists (nothing to interrupt yet) is delivered again as soon as the thread runs. A cell's thread
 * that ignores the interrupt is abandoned 3 s after the stop, with a message, so the kernel answers
 * again ({@link #ABANDON_AFTER_MS}).
 *
 * <p>Exits: every snippet class, loaded or redefined, first goes through {@link ExitGuard#rewrite},
 * so that {@code System.exit} in a cell ends the cell with an error instead of ending the kernel.
 */
final class CellExecutionControl extends LocalExecutionControl {
    /** How long a cell's thread may ignore a stop before it is abandoned (left running, no longer waited for). */
    static final long ABANDON_AFTER_MS = 3000;

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private volatile Thread running;
    private volatile boolean stopRequested;
    /** The thread groups of the current cell's snippets: JShell makes one per snippet, and threads a cell starts join it. */
    private final java.util.List<ThreadGroup> cellGroups = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long stoppedAt; // System.nanoTime() of the stop of the running snippet, 0 if none
    /** A test's stand-in for an interrupt arriving just after {@link #invoke}'s stop check; null otherwise. */
    static volatile Runnable afterStopCheck;

    /** Registers this control with JShell under the name {@code llmbook}. */
    static final class Provider implements ExecutionControlProvider {
        private final AtomicReference<CellExecutionControl> created = new AtomicReference<>();

        @Override public String name() { return "llmbook"; }

        @Override public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            CellExecutionControl c = new CellExecutionControl();
            created.set(c);
            return c;
        }

        CellExecutionControl control() { return created.get(); }
    }

    /** The snippet method the trampoline runs; one cell runs at a time. */
    private static volatile Method pending;
    private static volatile CellExecutionControl current;
    private static final Method TRAMPOLINE;
    static {
        try {
            TRAMPOLINE = CellExecutionControl.class.getDeclaredMethod("trampoline");
            TRAMPOLINE.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Runs the snippet through JShell's own {@code invoke}, which supplies the stop machinery, but
     * via {@link #trampoline}, which keeps the value as an object and returns its key instead.
     */
    @Override
    protected String invoke(Method doit) throws Exception {
        if (stopRequested) { // the interrupt came while this snippet compiled: it does not run
            stopRequested = false;
            throw new StoppedException();
        }
        Runnable seam = afterStopCheck;
        if (seam != null) seam.run();
        stoppedAt = 0;
        pending = doit;
        current = this;
        // super.invoke waits for the cell's thread without a time limit; one that ignores interrupts
        // would hang the kernel for good. So it waits on a helper thread, and this one gives up on it
        // ABANDON_AFTER_MS after a stop.
        FutureTask<String> task = new FutureTask<>(() -> super.invoke(TRAMPOLINE));
        Thread helper = new Thread(task, "llmbook-cell-wait");
        helper.setDaemon(true);
        helper.start();
        while (true) {
            try {
                String quoted = task.get(50, TimeUnit.MILLISECONDS); // valueString(key): the key in double quotes
                return quoted.substring(1, quoted.length() - 1);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) throw x;
                throw (Error) e.getCause();
            } catch (TimeoutException e) {
                // A stop between the check above and the snippet's thread starting found nothing to interrupt
                // (stoppedAt stayed 0) and would be lost: the cell would run to its end. Deliver it now.
                if (stopRequested && stoppedAt == 0 && running != null) {
                    stopRequested = false;
                    stop();
                    continue;
                }
                long at = stoppedAt;
                if (at != 0 && System.nanoTime() - at > ABANDON_AFTER_MS * 1_000_000) {
                    Thread t = running;
                    running = null;
                    System.err.println("The cell's thread" + (t == null ? "" : " (" + t.getName() + ")") + " ignored the interrupt for "
                            + ABANDON_AFTER_MS / 1000 + " s and was abandoned: it may still be running and using a core. "
                            + "Restart the kernel to end it.");
                    throw new StoppedException();
                }
            }
        }
    }

    /** Marks a stop for the snippet being compiled or run; {@link #clearStop} at the start of a cell. */
    void requestStop() { stopRequested = true; }

    void clearStop() {
        stopRequested = false;
        cellGroups.clear();
    }

    @SuppressWarnings("unused") // called reflectively by invoke
    private static String trampoline() throws Throwable {
        CellExecutionControl self = current;
        self.running = Thread.currentThread();
        self.cellGroups.add(Thread.currentThread().getThreadGroup());
        try {
            Object v = pending.invoke(null);
            String key = UUID.randomUUID().toString();
            self.results.put(key, v == null ? NULL : v);
            return key;
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the snippet's own exception, as JShell expects to see it
        } finally {
            if (self.running == Thread.currentThread()) self.running = null; // not a newer cell's, if abandoned
        }
    }

    private static final Object NULL = new Object();

    /** Whether the calling thread is the one running the current cell (not one the cell started). */
    static boolean onCellThread() {
        CellExecutionControl c = current;
        return c != null && c.running == Thread.currentThread();
    }

    /** The object a snippet produced, removed from the store; {@code null} for an unknown key. */
    Object takeResult(String key) {
        Object v = results.remove(key);
        return v == NULL ? null : v;
    }

    /** Whether {@code key} names a stored result (declarations that never ran have plain values). */
    boolean hasResult(String key) {
        return results.containsKey(key);
    }

    /** Loads new snippet classes, with their exit calls rewritten ({@link ExitGuard}). */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] guarded = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) guarded[i] = new ClassBytecodes(cbcs[i].name(), ExitGuard.rewrite(cbcs[i].bytecodes()));
        super.load(guarded);
    }

    /**
     * Redefines snippet classes in place (see {@link Agent}), instrumented with the same stop checks
     * as on first load. A change of shape (new fields or methods) cannot be redefined; JShell then
     * falls back to loading a new class, as the command-line jshell does.
     */
    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        Instrumentation inst = Agent.instrumentation();
        if (inst == null || !inst.isRedefineClassesSupported()) {
            super.redefine(cbcs); // not supported: JShell then loads new classes, through load above
            return;
        }
        boolean[] done = new boolean[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            try {
                Class<?> c = findClass(cbcs[i].name());
                inst.redefineClasses(new ClassDefinition(c, instrumented(ExitGuard.rewrite(cbcs[i].bytecodes()))));
                done[i] = true;
            } catch (ClassNotFoundException | UnmodifiableClassException | UnsupportedOperationException | ClassFormatError e) {
                throw new ClassInstallException("cannot redefine " + cbcs[i].name() + ": " + e, done);
            }
        }
    }

    /** JShell's own stop-check instrumentation (a private method of LocalExecutionControl); bytes unchanged if out of reach. */
    private static byte[] instrumented(byte[] bytes) {
        try {
            Method m = LocalExecutionControl.class.getDeclaredMethod("instrument", byte[].class);
            m.setAccessible(true); // needs --add-opens jdk.jshell/jdk.jshell.execution=ALL-UNNAMED (the kernelspec has it)
            return (byte[]) m.invoke(null, (Object) bytes);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return bytes;
        }
    }

    @Override
    public void stop() throws EngineTerminationException, InternalException {
        super.stop(); // interrupts every thread of the running snippet's thread group
        for (ThreadGroup g : cellGroups) { // and of the cell's earlier snippets: a thread started by one of them
            Thread[] threads = new Thread[g.activeCount() + 8];
            int n = g.enumerate(threads, true);
            for (int i = 0; i < n; i++) threads[i].interrupt();
        }
        Thread t = running;
        if (t != null) {
            stoppedAt = System.nanoTime();
            t.interrupt();
        }
    }
}
