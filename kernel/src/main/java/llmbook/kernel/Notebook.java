package llmbook.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.UUID;

/**
 * What cells call through the helper methods every notebook has — IJava's {@code display},
 * {@code render} and {@code updateDisplay}. The kernel installs itself here at start-up; the
 * helpers are defined in the JShell session by {@link JavaKernel#STARTUP}.
 */
public final class Notebook {
    private static volatile JavaKernel kernel;

    private Notebook() {}

    static void attach(JavaKernel k) { kernel = k; }

    private static JavaKernel kernel() {
        JavaKernel k = kernel;
        if (k == null) throw new IllegalStateException("display() works only inside the llmbook Jupyter kernel");
        return k;
    }

    /** Renders {@code o} with every MIME type it supports (or only those named). */
    public static DisplayData render(Object o, String... mimeTypes) {
        return mimeTypes.length == 0 ? kernel().getRenderer().render(o) : kernel().getRenderer().renderAs(o, mimeTypes);
    }

    /** Shows {@code o} now, as a new output of the running cell; returns its display id. */
    public static String display(Object o, String... mimeTypes) {
        DisplayData d = render(o, mimeTypes);
        String id = d.hasDisplayId() ? d.getDisplayId() : UUID.randomUUID().toString();
        d.setDisplayId(id);
        kernel().getIO().display.display(d);
        return id;
    }

    /** Replaces the output shown under {@code id} (from {@link #display}) with {@code o}. */
    public static void updateDisplay(String id, Object o, String... mimeTypes) {
        DisplayData d = render(o, mimeTypes);
        kernel().getIO().display.updateDisplay(id, d);
    }
}
