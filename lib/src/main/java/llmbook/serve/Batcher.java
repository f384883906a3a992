package llmbook.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.sample.Generator;
import llmbook.sample.Sampler;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Tensor;

/**
 * Batched decoding for the server: one thread owns the model and runs ONE forward pass per step for every active
 * sequence, so the weights are read once per step instead of once per request. Q50.
 *
 * <p>How a batch runs. The waiting requests (up to {@code maxBatch}) start together in one {@link DecodeCache} of
 * {@code B} rows. Our cache keeps one length for all rows, so every row is at the same position at every step: the
 * first {@code min(prompt length)} positions are prefilled in one pass, then each step feeds each row its next prompt
 * token while it still has prompt left, or else the token it sampled last; a row samples only once its prompt is
 * used up. Every row therefore sees exactly the positions it would see alone, and a greedy batched answer equals the
 * unbatched one (tested). Finished or abandoned rows leave the cache ({@link DecodeCache#reorder}) so later steps
 * are narrower. Requests that arrive while a batch runs wait for the next batch: this is <i>static</i> batching;
 * letting them join mid-batch (continuous batching) would need a cache position per row. A request whose prompt plus
 * new tokens does not fit the context runs alone through {@link Generator} (which slides its window).
 *
 * <p>Tokens go to each request's own queue, never straight to its socket: a slow or vanished client cannot stall the
 * decode thread. A request not started within the server's queue timeout is {@link Job#abandon abandoned} (the
 * server answers 503).
 */
final class Batcher implements AutoCloseable {
    /** Queue markers: the generation ended normally / with an error ({@link Job#error}). */
    static final int END = -1, FAILED = -2;

    /** One request: its tokens so far, its sampler, its output queue and its state. */
    static final class Job {
        private static final int WAITING = 0, RUNNING = 1, ABANDONED = 2;
        final int[] prompt;
        final int maxNew;
        final Sampler sampler;
        final BlockingQueue<Integer> out = new LinkedBlockingQueue<>();
        private final AtomicInteger state = new AtomicInteger(WAITING);
        volatile boolean cancelled;
        volatile String error;
        int[] seq;
        int known, generated;

        Job(int[] prompt, int maxNew, Sampler sampler) {
            this.prompt = prompt;
            this.maxNew = maxNew;
            this.sampler = sampler;
        }

        /** Withdraws a request that has not started; false when it is already running. */
        boolean abandon() { return state.compareAndSet(WAITING, ABANDONED); }

        /** The client has gone: the decode thread drops this row at its next step. */
        void cancel() { cancelled = true; }

        private boolean start() { return state.compareAndSet(WAITING, RUNNING); }

        /** Takes the next token (or END/FAILED), waiting at most {@code ms} (null on timeout). */
        Integer poll(long ms) throws InterruptedException { return out.poll(ms, TimeUnit.MILLISECONDS); }
    }

    private final LanguageModel model;
    private final int maxBatch;
    private final BlockingQueue<Job> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong steps = new AtomicLong(), rowSteps = new AtomicLong(), batches = new AtomicLong();
    private volatile boolean closed;

    Batcher(LanguageModel model, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("Batcher: maxBatch must be >= 1, got " + maxBatch);
        if (!model.supportsCache()) throw new IllegalArgumentException("Batcher: the model has no KV cache; serve it without batching");
        this.model = model;
        this.maxBatch = maxBatch;
        thread = new Thread(this::loop, "llmbook-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a request; its tokens arrive on {@code job.out}, then {@link #END}. */
    Job submit(int[] prompt, int maxNew, Sampler sampler) {
        if (closed) throw new IllegalStateException("Batcher: closed");
        Job j = new Job(prompt, maxNew, sampler);
        pending.add(j);
        return j;
    }

    /** Forward passes run, and the mean number of sequences per pass (the batch actually achieved). */
    long steps() { return steps.get(); }

    double meanBatch() { return steps.get() == 0 ? 0 : (double) rowSteps.get() / steps.get(); }

    long batches() { return batches.get(); }

    /** Sequence-positions decoded so far (the sum of the batch sizes of all passes). */
    long rowSteps() { return rowSteps.get(); }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void loop() {
        model.train(false);
        while (!closed) {
            List<Job> batch = new ArrayList<>();
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                break;
            }
            pending.drainTo(batch, maxBatch - 1);
            List<Job> run = new ArrayList<>();
            for (Job j : batch) {
                if (!j.start()) continue;                                      // abandoned while waiting
                if (j.prompt.length + j.maxNew - 1 > model.context()) alone(j);
                else run.add(j);
            }
            if (run.isEmpty()) continue;
            try (var g = Tensor.noGrad(); var f = LinAlg.frozenWeights()) {   // the served weights do not change
                decode(run);
            } catch (RuntimeException e) {
                for (Job j : run) fail(j, e);
            }
        }
        for (Job j; (j = pending.poll()) != null; ) fail(j, new IllegalStateException("the server is shutting down"));
    }

    private void alone(Job j) {
        try {
            new Generator(model).stream(j.prompt, j.maxNew, j.sampler, (tok, pos) -> {
                if (j.cancelled) throw new IllegalStateException("cancelled");
                j.out.add(tok);
            });
            j.out.add(END);
        } catch (RuntimeException e) {
            fail(j, e);
        }
    }

    private static void fail(Job j, RuntimeException e) {
        j.error = e.getClass().getSimpleName() + ": " + e.getMessage();
        j.out.add(FAILED);
    }

    /** Runs one batch to the end (see the class comment). */
    private void decode(List<Job> rows) {
        batches.incrementAndGet();
        int V = model.vocab(), B = rows.size(), min = Integer.MAX_VALUE;
        for (Job j : rows) {
            j.seq = Arrays.copyOf(j.prompt, j.prompt.length + j.maxNew);
            j.known = j.prompt.length;
            min = Math.min(min, j.known);
        }
        DecodeCache cache = model.newCache(B);
        int[] ids = new int[B * min];
        for (int r = 0; r < B; r++) System.arraycopy(rows.get(r).seq, 0, ids, r * min, min);
        float[] logits = model.logits(ids, B, min, cache).toArray();           // (B, min, V)
        count(B);
        rows = advance(rows, cache, logits, min, V);
        while (!rows.isEmpty()) {
            int L = cache.length(), b = rows.size();
            int[] step = new int[b];
            for (int r = 0; r < b; r++) step[r] = rows.get(r).seq[L];
            logits = model.logits(step, b, 1, cache).toArray();                // (b, 1, V)
            count(b);
            rows = advance(rows, cache, logits, 1, V);
        }
    }

    private void count(int b) {
        steps.incrementAndGet();
        rowSteps.addAndGet(b);
    }

    /**
     * After a pass of {@code t} positions ending at position {@code cache.length() − 1}: rows whose fed token was their
     * last known one sample the next; finished and cancelled rows leave the cache. Returns the rows still running.
     */
    private List<Job> advance(List<Job> rows, DecodeCache cache, float[] logits, int t, int V) {
        int L = cache.length();
        List<Job> keep = new ArrayList<>();
        int[] keepRows = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            Job j = rows.get(r);
            if (!j.cancelled && L == j.known) {
                int from = (r * t + t - 1) * V;
                int next = j.sampler.next(Arrays.copyOfRange(logits, from, from + V), Arrays.copyOf(j.seq, j.known));
                j.seq[j.known++] = next;
                j.generated++;
                j.out.add(next);
            }
            if (j.cancelled || j.generated == j.maxNew) {
                if (!j.cancelled) j.out.add(END);
                continue;
            }
            keepRows[keep.size()] = r;
            keep.add(j);
        }
        if (!keep.isEmpty() && keep.size() < rows.size()) cache.reorder(Arrays.copyOf(keepRows, keep.size()));
        return keep;
    }
}
