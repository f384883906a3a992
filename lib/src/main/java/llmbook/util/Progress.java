package llmbook.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for long work: training steps, tokenizer merges, downloads.
 *
 * <pre>{@code
 * try (Progress p = Progress.of("training", steps)) {
 *     for (int s = 0; s < steps; s++) { ...; p.message("loss %.3f", loss); p.step(); }
 * }
 * }</pre>
 *
 * prints, redrawn in place on a terminal or in Jupyter,
 * {@code training  42% |████████▍           |   840/2000 [00:31<00:43, 26.9 it/s] loss 1.874}.
 *
 * <p>The style comes from the system property {@code llmbook.progress}: {@code cr} redraws one line
 * with carriage returns (terminals and Jupyter, whose kernelspec sets it), {@code lines} prints a
 * new line at the start, every 10% and at the end (logs, CI), {@code off} prints nothing. Without the property, a terminal gets
 * {@code cr} and anything else {@code lines}. Redraws are throttled to five a second, so a bar
 * costs nothing measurable inside a training loop.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final String mode;
    private final long startNanos = System.nanoTime();
    private long done;
    private long doneAtStart;                 // steps done before this bar started (a resumed run): not part of the rate
    private long lastDrawNanos;
    private int lastDecile = -1;
    private long lastPrintedDone = -1;
    private String message = "";
    private boolean closed;

    private Progress(String label, long total, PrintStream out, String mode) {
        if (total < 0) throw new IllegalArgumentException("Progress '" + label + "': total must be >= 0, got " + total);
        this.label = label;
        this.total = total;
        this.out = out;
        this.mode = mode;
    }

    /** A bar over {@code total} steps (0 for an unknown total) writing to standard error. */
    public static Progress of(String label, long total) {
        return new Progress(label, total, System.err, defaultMode());
    }

    /** A bar writing to the given stream in the given mode ({@code cr}, {@code lines} or {@code off}). */
    public static Progress of(String label, long total, PrintStream out, String mode) {
        if (!mode.equals("cr") && !mode.equals("lines") && !mode.equals("off"))
            throw new IllegalArgumentException("Progress mode must be cr, lines or off, got '" + mode + "'");
        return new Progress(label, total, out, mode);
    }

    private static String defaultMode() {
        String p = System.getProperty("llmbook.progress");
        if (p != null) return p;
        return isTerminal() ? "cr" : "lines";
    }

    private static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try { // Java 22+ returns a console even when redirected; ask it.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * Starts the bar part-way, at {@code done} steps already done before (a resumed run): the bar shows them, the
     * rate and the time left count only the steps done since.
     */
    public void resumeAt(long done) {
        this.done = done;
        this.doneAtStart = done;
    }

    /** One more step done. */
    public void step() { step(1); }

    /** {@code n} more steps done. */
    public void step(long n) {
        done += n;
        draw(false);
    }

    /** Sets the text shown after the counters, e.g. the current loss. */
    public void message(String format, Object... args) {
        message = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
    }

    /**
     * Prints a line of its own above the bar (e.g. an evaluation result): on a redrawn bar it clears the
     * bar's line first and draws the bar again below.
     */
    public void note(String line) {
        if (mode.equals("off")) return;
        if (mode.equals("cr")) {
            out.print("\r\033[K" + line + "\n" + line());
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Steps done so far. */
    public long done() { return done; }

    /** Seconds since the bar was created. */
    public double elapsedSeconds() { return (System.nanoTime() - startNanos) / 1e9; }

    private void draw(boolean last) {
        if (mode.equals("off")) return;
        long now = System.nanoTime();
        if (mode.equals("cr")) {
            if (!last && now - lastDrawNanos < REDRAW_NANOS && done != total) return;
            lastDrawNanos = now;
            out.print("\r" + line());
            if (last) out.println();
            out.flush();
        } else {
            int decile = total > 0 ? (int) Math.min(10, done * 10 / total) : -1;
            if ((last && done != lastPrintedDone) || decile > lastDecile) {
                lastDecile = decile;
                lastPrintedDone = done;
                out.println(line());
                out.flush();
            }
        }
    }

    /** The bar as one line of text, without a line break. */
    public String line() {
        double secs = elapsedSeconds();
        double rate = secs > 0 ? (done - doneAtStart) / secs : 0;
        StringBuilder b = new StringBuilder(label).append(' ');
        if (total > 0) {
            double f = Math.min(1.0, (double) done / total);
            b.append(String.format(Locale.ROOT, "%3d%% |", (int) (f * 100)));
            double cells = f * WIDTH;
            int full = (int) cells;
            b.append("█".repeat(full));
            if (full < WIDTH) {
                int eighths = (int) ((cells - full) * 8);
                b.append(eighths == 0 ? " " : String.valueOf((char) ('█' + (8 - eighths))));
                b.append(" ".repeat(WIDTH - full - 1));
            }
            b.append("| ").append(done).append('/').append(total);
            double eta = rate > 0 ? (total - done) / rate : 0;
            b.append(" [").append(clock(secs)).append('<').append(clock(eta));
        } else {
            b.append(done).append(" [").append(clock(secs));
        }
        b.append(String.format(Locale.ROOT, ", %.1f it/s]", rate));
        if (!message.isEmpty()) b.append(' ').append(message);
        return b.toString();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String.format("%02d:%02d", s / 60, s % 60);
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        draw(true);
    }
}
