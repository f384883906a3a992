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

    private static volatile boolean team = !Boolean.getBoolean("llmbook.kernels.plainPool");

    /**
     * Whether parallel regions run on the spinning team of workers (the default) or on a plain thread pool whose
     * workers sleep between regions (the previous version, kept so {@code ./llmbook bench} can time both in one run).
     * Results are identical either way.
     */
    public static void useTeam(boolean on) { team = on; }

    public static boolean usingTeam() { return team; }

    /** A body run once per slice index {@code 0 <= slice < slices}. */
    @FunctionalInterface
    interface Slice { void run(int slice); }

    /**
     * Runs {@code body} for slices {@code 0..slices-1}: slice 0 on the caller, the others on the pool.
     * With one slice (or one thread) it runs inline with no pool overhead.
     */
    static void parallel(int slices, Slice body) {
        if (slices <= 1) { if (slices == 1) body.run(0); return; }
        if (team && threads > 1 && Team.run(slices, body)) return;
        ExecutorService p = pool(slices - 1);                        // nested or concurrent regions: the plain pool
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
        rethrow(err);
    }

    /** A chunk of a {@link #parallelChunks} region, told which participant (0 … threads − 1) runs it. */
    interface Chunk { void run(int participant, int chunk); }

    /**
     * Runs {@code body} for chunks {@code 0 … chunks − 1} with up to {@code threads} participants. Participant s owns
     * the chunks {@code [s·chunks/t, (s+1)·chunks/t)} and takes them from the front; one that has finished its own
     * takes what is left of the others', so a core that started late or runs slower no longer holds the whole region
     * (with one equal slice per thread the caller waited for the worker 5–8% of a training step). Each chunk runs
     * whole on one thread; the result must not depend on which.
     */
    static void parallelChunks(int chunks, int threads, Chunk body) {
        int t = Math.max(1, Math.min(threads, chunks));
        int[] bounds = new int[t + 1];
        for (int s = 0; s <= t; s++) bounds[s] = (int) ((long) chunks * s / t);
        parallelChunks(bounds, body);
    }

    /**
     * {@link #parallelChunks(int, int, Chunk)} with the owners' ranges given: participant s owns chunks
     * {@code bounds[s] … bounds[s+1] − 1} (bounds ascending from 0), for work whose chunks differ in size.
     */
    static void parallelChunks(int[] bounds, Chunk body) {
        int t = bounds.length - 1;
        if (t == 1) { for (int i = bounds[0]; i < bounds[1]; i++) body.run(0, i); return; }
        java.util.concurrent.atomic.AtomicIntegerArray next = new java.util.concurrent.atomic.AtomicIntegerArray(16 * t);  // one cache line each
        for (int s = 0; s < t; s++) next.set(16 * s, bounds[s]);
        parallel(t, s -> {
            for (int o = 0; o < t; o++) {
                int r = (s + o) % t, end = bounds[r + 1];
                for (int i; (i = next.getAndIncrement(16 * r)) < end; ) body.run(s, i);
            }
        });
    }

    /** A piece of {@link Pieces}: floats {@code from … to − 1} of array {@code array}, piece {@code piece} in order. */
    interface Piece { void run(int piece, int array, int from, int to); }

    /**
     * Arrays of the given lengths cut into pieces of at most {@code size} floats, array by array in order, for work on
     * many tensors at once (an optimiser step, a gradient norm) as one region: small tensors no longer each run on
     * the caller alone.
     */
    record Pieces(int[] array, int[] from, int[] to) {
        static Pieces of(int[] lengths, int size) {
            int count = 0;
            for (int n : lengths) count += (n + size - 1) / size;
            int[] array = new int[count], from = new int[count], to = new int[count];
            for (int i = 0, c = 0; i < lengths.length; i++)
                for (int f = 0; f < lengths[i]; f += size, c++) { array[c] = i; from[c] = f; to[c] = Math.min(lengths[i], f + size); }
            return new Pieces(array, from, to);
        }

        int count() { return array.length; }

        /** body for every piece, shared out between up to {@code threads} participants with stealing ({@link #parallelChunks}). */
        void run(int threads, Piece body) {
            parallelChunks(count(), threads, (s, c) -> body.run(c, array[c], from[c], to[c]));
        }
    }

    private static void rethrow(Throwable err) {
        if (err instanceof RuntimeException re) throw re;
        if (err instanceof Error e) throw e;
        if (err != null) throw new RuntimeException(err);
    }

    /**
     * The fast path of {@link #parallel}: {@code threads() − 1} workers that wait for work by spinning a few tens of
     * microseconds before they sleep, and the caller, all taking slice indices from one counter. A training step of the
     * reference GPT runs a few hundred parallel regions of 0.05–1 ms; waking a sleeping pool thread for each (what an
     * {@code ExecutorService} does) costs 10–50 µs a time, so at 2 threads the step was far from 2× the 1-thread one.
     * Slices are independent and each is computed whole by one thread, so which thread takes which slice changes no
     * result. One region at a time: a nested region (a slice body that calls a kernel) or one from another thread
     * while a region is running uses the plain pool instead.
     */
    private static final class Team {
        private static final java.util.concurrent.atomic.AtomicBoolean BUSY = new java.util.concurrent.atomic.AtomicBoolean();
        private static final int SPINS = Integer.getInteger("llmbook.kernels.spins", 1 << 12);   // ≈ 0.1 ms of onSpinWait before parking
        private static Thread[] workers = new Thread[0];
        private static volatile Region current;

        /** One parallel region: its body, slice count, how many workers join, and its own counters. */
        private static final class Region {
            final Slice body;
            final int n, team;
            final Thread owner = Thread.currentThread();
            final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(), pending;
            volatile Throwable error;

            Region(Slice body, int n, int team) {
                this.body = body;
                this.n = n;
                this.team = team;
                this.pending = new java.util.concurrent.atomic.AtomicInteger(team);
            }

            void work() { for (int s; (s = next.getAndIncrement()) < n; ) body.run(s); }
        }

        static boolean run(int n, Slice body) {
            if (!BUSY.compareAndSet(false, true)) return false;
            try {
                int team = Math.min(threads, n) - 1;
                ensureWorkers(team);
                Region r = new Region(body, n, team);
                current = r;                                            // publishes the region to the workers
                for (int i = 0; i < team; i++) java.util.concurrent.locks.LockSupport.unpark(workers[i]);
                Throwable mine = null;
                try { r.work(); } catch (Throwable t) { mine = t; }
                for (int spin = 0; r.pending.get() > 0; spin++) {     // the last worker to finish unparks us
                    if (spin < SPINS) Thread.onSpinWait(); else java.util.concurrent.locks.LockSupport.park(r);
                }
                rethrow(mine != null ? mine : r.error);
                return true;
            } finally {
                BUSY.set(false);
            }
        }

        private static void ensureWorkers(int want) {
            if (workers.length >= want) return;
            Thread[] grown = java.util.Arrays.copyOf(workers, want);
            for (int i = workers.length; i < want; i++) {
                final int id = i;
                Thread t = new Thread(() -> loop(id), "llmbook-kernel-team-" + i);
                t.setDaemon(true);
                grown[i] = t;
                t.start();
            }
            workers = grown;
        }

        /** Worker {@code id}: waits for a region it has not seen, joins it if the region wants this many workers, repeats. */
        private static void loop(int id) {
            Region last = null;
            while (true) {
                Region r;
                for (int spin = 0; (r = current) == last || r == null; spin++) {
                    if (spin < SPINS) Thread.onSpinWait();
                    else java.util.concurrent.locks.LockSupport.park();
                }
                last = r;
                if (id >= r.team) continue;                             // not needed in this region
                try { r.work(); } catch (Throwable t) { r.error = t; }
                if (r.pending.decrementAndGet() == 0) java.util.concurrent.locks.LockSupport.unpark(r.owner);
            }
        }
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
    /**
     * True when {@code arr[off, off + size)} is not a valid range (null array, negative offset, too short): the cheap test
     * callers make before {@link #checkArray}, so the message naming the array and its dimensions is only built when it
     * is thrown (building it on every call cost a one-token decode step about a tenth of its time).
     */
    static boolean outside(float[] arr, int off, long size) { return arr == null || off < 0 || off + size > arr.length; }

    static void checkArray(String kernel, String name, float[] arr, int off, long size) {
        if (arr == null) throw new IllegalArgumentException(kernel + ": array " + name + " is null (needs " + size + " elements)");
        if (off < 0) throw new IllegalArgumentException(kernel + ": offset of " + name + " must be >= 0, got " + off);
        if (off + size > arr.length)
            throw new IllegalArgumentException(kernel + ": array " + name + " too short: offset " + off + " + size " + size
                    + " = " + (off + size) + " > length " + arr.length);
    }
}
