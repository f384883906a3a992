package llmbook.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The switches shared by every kernel in this package, and the argument checks they all use.
 *
 * <p>Two switches:
 * <ul>
 *   <li>{@link #useVector(boolean)}: the public entry points ({@code MatMul.matmul}, {@code Softmax.softmaxForward}, ...)
 *       run the Vector API version when on (the default) and the plain-loop {@code ...Scalar} twin when off.
 *       Notebooks flip it to show the speed difference; tests call the twins directly.</li>
 *   <li>{@link #setThreads(int)}: how many threads a large kernel may use (default: available processors).
 *       Work is split statically (each output row block always goes to the same worker with the same
 *       summation order), so results do not depend on timing; with 1 thread they are bitwise reproducible.</li>
 * </ul>
 *
 * <p>The pool is our own: {@code threads() - 1} daemon workers plus the calling thread, each taking one
 * coarse slice. ({@code ForkJoinPool.commonPool()} has parallelism 1 on a 2-core machine.)
 */
public final class Kernels {
    private Kernels() {}

    private static volatile boolean vector = !Boolean.getBoolean("llmbook.scalar");
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static ExecutorService pool;
    private static int poolSize;

    /** Turns the Vector API paths on (default) or off (every entry point runs its scalar twin). */
    public static void useVector(boolean on) { vector = on; }

    /** Whether the public entry points run their Vector API versions. */
    public static boolean usingVector() { return vector; }

    /** Sets the number of threads large kernels may use; 1 makes every kernel bitwise reproducible. */
    public static void setThreads(int n) {
        if (n < 1 || n > 256) throw new IllegalArgumentException("Kernels.setThreads: threads must be in [1, 256], got " + n);
        threads = n;
    }

    /** The number of threads large kernels may use. */
    public static int threads() { return threads; }

    /** A body run once per slice index {@code 0 <= slice < slices}. */
    @FunctionalInterface
    interface Slice { void run(int slice); }

    /**
     * Runs {@code body} for slices {@code 0..slices-1}: slice 0 on the caller, the others on the pool.
     * With one slice (or one thread) it runs inline with no pool overhead.
     */
    static void parallel(int slices, Slice body) {
        if (slices <= 1) { if (slices == 1) body.run(0); return; }
        ExecutorService p = pool(slices - 1);
        @SuppressWarnings("unchecked")
        Future<?>[] fs = new Future<?>[slices - 1];
        for (int s = 1; s < slices; s++) {
            final int slice = s;
            fs[s - 1] = p.submit(() -> body.run(slice));
        }
        Throwable err = null;
        try { body.run(0); } catch (Throwable t) { err = t; }
        for (Future<?> f : fs) {
            try { f.get(); } catch (Throwable t) { if (err == null) err = t.getCause() != null ? t.getCause() : t; }
        }
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error e) throw e;
        if (err != null) throw new RuntimeException(err);
    }

    /** A loop body over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range { void run(int from, int to); }

    /**
     * Runs {@code body} over {@code [0, n)} cut into at most {@link #threads()} contiguous ranges of at least
     * {@code minPerSlice} indices, one on the caller. For loops outside this package whose iterations are independent
     * (each writes its own elements), so the result does not depend on the split.
     */
    public static void parallelRange(int n, int minPerSlice, Range body) {
        int slices = Math.max(1, Math.min(threads, n / Math.max(1, minPerSlice)));
        if (slices == 1) { if (n > 0) body.run(0, n); return; }
        parallel(slices, s -> body.run((int) ((long) n * s / slices), (int) ((long) n * (s + 1) / slices)));
    }

    private static synchronized ExecutorService pool(int workers) {
        if (pool == null || poolSize < workers) {
            if (pool != null) pool.shutdown();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "llmbook-kernel");
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(workers, tf);
            poolSize = workers;
        }
        return pool;
    }

    // ---- argument checks shared by every kernel ----

    /** Throws unless {@code n >= 0}; the message names the kernel, the dimension and its value. */
    static void checkDim(String kernel, String name, int n) {
        if (n < 0) throw new IllegalArgumentException(kernel + ": " + name + " must be >= 0, got " + name + "=" + n);
    }

    /** Throws unless {@code arr[off .. off+size)} exists; the message names the kernel, the array and the sizes. */
    static void checkArray(String kernel, String name, float[] arr, int off, long size) {
        if (arr == null) throw new IllegalArgumentException(kernel + ": array " + name + " is null (needs " + size + " elements)");
        if (off < 0) throw new IllegalArgumentException(kernel + ": offset of " + name + " must be >= 0, got " + off);
        if (off + size > arr.length)
            throw new IllegalArgumentException(kernel + ": array " + name + " too short: offset " + off + " + size " + size
                    + " = " + (off + size) + " > length " + arr.length);
    }
}
