package llmbook.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spinning team of {@link Kernels#parallel}: every slice runs exactly once, errors surface, nesting and concurrency fall back safely. */
class KernelsTeamTest {
    private final int before = Kernels.threads();

    @AfterEach
    void restore() { Kernels.setThreads(before); Kernels.useTeam(true); }

    @Test
    void everySliceRunsOnceForAnySliceAndThreadCount() {
        for (int threads : new int[] {2, 3, 5})
            for (int slices : new int[] {2, 3, 7, 64}) {
                Kernels.setThreads(threads);
                for (int rep = 0; rep < 200; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(slices);
                    Kernels.parallel(slices, s -> hits.incrementAndGet(s));
                    for (int s = 0; s < slices; s++) assertEquals(1, hits.get(s), "threads " + threads + ", slices " + slices + ", slice " + s);
                }
            }
    }

    /**
     * parallelChunks runs every chunk exactly once, for even and uneven owners' ranges; and when participant 0's
     * chunks are slow, participant 1 finishes its own and takes some of 0's (the stealing that keeps threads busy).
     */
    @Test
    void parallelChunksRunsEachChunkOnceAndTheFastParticipantSteals() {
        for (int threads : new int[] {1, 2, 3})
            for (int chunks : new int[] {0, 1, 2, 7, 64}) {
                Kernels.setThreads(threads);
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, chunks));
                Kernels.parallelChunks(chunks, threads, (s, i) -> runs.incrementAndGet(i));
                for (int i = 0; i < chunks; i++) assertEquals(1, runs.get(i), "chunk " + i + " of " + chunks + " on " + threads + " threads");
            }
        Kernels.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(12), by = new AtomicIntegerArray(12);
        java.util.Set<Thread> threadsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Kernels.parallelChunks(new int[] {0, 6, 12}, (s, i) -> {
            if (i < 6) try { Thread.sleep(20); } catch (InterruptedException e) { throw new RuntimeException(e); }
            runs.incrementAndGet(i);
            by.set(i, s);
            threadsSeen.add(Thread.currentThread());
        });
        int stolen = 0;
        for (int i = 0; i < 12; i++) {
            assertEquals(1, runs.get(i), "chunk " + i);
            if (i < 6 && by.get(i) == 1) stolen++;
        }
        // (if the worker never got a slice, one thread ran both participants in turn and nothing could be stolen)
        if (threadsSeen.size() == 2) assertTrue(stolen >= 1, "participant 1 took none of participant 0's slow chunks");
    }

    @Test
    void anErrorInAWorkerSliceReachesTheCallerAndTheTeamStaysUsable() {
        Kernels.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kernels.parallel(4, s -> {
            if (s == 3) throw new IllegalStateException("slice 3 failed");
        }));
        assertEquals("slice 3 failed", e.getMessage());
        AtomicIntegerArray hits = new AtomicIntegerArray(4);
        Kernels.parallel(4, s -> hits.incrementAndGet(s));
        for (int s = 0; s < 4; s++) assertEquals(1, hits.get(s));
    }

    @Test
    void nestedAndConcurrentRegionsCompleteWithTheSameResults() throws Exception {
        Kernels.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(16);
        Kernels.parallel(4, s -> Kernels.parallel(4, t -> hits.incrementAndGet(4 * s + t)));   // inner regions use the plain pool
        for (int i = 0; i < 16; i++) assertEquals(1, hits.get(i));

        float[] a = new float[96 * 80], b = new float[80 * 72];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.sin(i);
        for (int i = 0; i < b.length; i++) b[i] = (float) Math.cos(i);
        float[] want = new float[96 * 72];
        Kernels.useTeam(false);
        MatMul.matmul(want, 0, a, 0, b, 0, 96, 80, 72, false, false, false);
        Kernels.useTeam(true);
        Thread[] ts = new Thread[3];
        float[][] got = new float[3][96 * 72];
        for (int i = 0; i < 3; i++) {
            final int id = i;
            ts[i] = new Thread(() -> { for (int r = 0; r < 50; r++) MatMul.matmul(got[id], 0, a, 0, b, 0, 96, 80, 72, false, false, false); });
            ts[i].start();
        }
        for (Thread t : ts) t.join(60_000);
        for (int i = 0; i < 3; i++) assertArrayEquals(want, got[i], 0f, "thread " + i + ": team and plain pool give the same bits");
    }
}
