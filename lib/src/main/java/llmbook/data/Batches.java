package llmbook.data;

import llmbook.tensor.Rng;

/**
 * Where a {@link llmbook.train.Trainer} gets its batches: random windows of a token stream ({@link TokenWindows}),
 * sequential epochs over those windows, padded variable-length sequences ({@link PaddedSequences}), or any task's
 * own batches (the reverse task of chapter 5, preference pairs for DPO).
 *
 * <p>A random source draws from the {@code rng} it is given — the trainer's batch RNG, whose state a resumable
 * checkpoint saves — so the same seed gives the same batches. A sequential source ignores it and keeps a
 * {@link #position()}, which checkpoints save too.
 *
 * @param <B> the batch type the loss function reads
 */
public interface Batches<B> {
    /** The next batch of {@code size} examples. */
    B next(Rng rng, int size);

    /** Target tokens in {@code batch}, for the tokens/s figure (0 when the notion does not apply). */
    default long tokens(B batch) { return 0; }

    /** How far a sequential source has read (batches handed out); 0 for a random one. */
    default long position() { return 0; }

    /** Moves a sequential source to {@code position} (a resumed run, or the start for an evaluation); ignored by random ones. */
    default void seek(long position) {}
}
