package llmbook.kernel;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Exits: every snippet class, loaded or redefined, first goes through {@link ExitGuard#rewrite},
 * so that {@code System.exit} in a cell ends the cell with an error instead of ending the kernel.
 */
final class CellExecutionControl extends LocalExecutionControl {
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private volatile Thread running;

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
        pending = doit;
        current = this;
        String quoted = super.invoke(TRAMPOLINE); // valueString(key): the key in double quotes
        return quoted.substring(1, quoted.length() - 1);
    }

    @SuppressWarnings("unused") // called reflectively by invoke
    private static String trampoline() throws Throwable {
        CellExecutionControl self = current;
        self.running = Thread.currentThread();
        try {
            Object v = pending.invoke(null);
            String key = UUID.randomUUID().toString();
            self.results.put(key, v == null ? NULL : v);
            return key;
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the snippet's own exception, as JShell expects to see it
        } finally {
            self.running = null;
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
        super.stop();
        Thread t = running;
        if (t != null) t.interrupt();
    }
}
