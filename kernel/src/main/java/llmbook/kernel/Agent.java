package llmbook.kernel;

import java.lang.instrument.Instrumentation;

/**
 * The kernel's Java agent ({@code -javaagent:llmbook-kernel.jar}, set by the kernelspec): it only
 * keeps the {@link Instrumentation} handle, so that {@link CellExecutionControl} can redefine
 * snippet classes in place.
 *
 * <p>Why: when a later cell adds an import, JShell recompiles earlier snippets and asks the
 * execution engine to <em>redefine</em> their classes. Without redefinition it loads fresh classes
 * instead, and every variable declared earlier silently becomes {@code null}. With it, variables
 * keep their values, as in the command-line {@code jshell}.
 */
public final class Agent {
    private static volatile Instrumentation instrumentation;

    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /** The handle, or {@code null} when the JVM was started without the agent. */
    static Instrumentation instrumentation() {
        return instrumentation;
    }
}
