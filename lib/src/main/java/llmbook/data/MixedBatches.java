package llmbook.data;

import llmbook.tensor.Rng;

/**
 * Rehearsal (replay) against catastrophic forgetting: every batch from the new domain carries a fraction of rows
 * from the old one, so the old task's loss keeps being minimised while the new one is learnt. Q14.
 * <pre>
 *   each of the n rows is old-domain with probability f (drawn from the batch RNG), new-domain otherwise;
 *   the new rows come first, then the old ones                  (row order does not change a mean loss)
 * </pre>
 * Both sources must give sequences of one length T (e.g. two {@link TokenWindows#random} with one context).
 */
public final class MixedBatches implements Batches<TokenBatch> {
    private final Batches<TokenBatch> fresh, old;
    private final double fraction;

    public MixedBatches(Batches<TokenBatch> fresh, Batches<TokenBatch> old, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("MixedBatches: fraction must be in [0, 1], got " + fraction);
        this.fresh = fresh;
        this.old = old;
        this.fraction = fraction;
    }

    public double fraction() { return fraction; }

    @Override
    public TokenBatch next(Rng rng, int size) {
        int k = 0;
        for (int i = 0; i < size; i++) if (rng.nextDouble() < fraction) k++;
        if (k == 0) return fresh.next(rng, size);
        if (k == size) return old.next(rng, size);
        TokenBatch a = fresh.next(rng, size - k), b = old.next(rng, k);
        if (a.T() != b.T())
            throw new IllegalArgumentException("MixedBatches: new-domain sequences have " + a.T() + " tokens, old-domain ones " + b.T());
        int[] x = new int[size * a.T()], y = new int[size * a.T()];
        System.arraycopy(a.x(), 0, x, 0, a.x().length);
        System.arraycopy(b.x(), 0, x, a.x().length, b.x().length);
        System.arraycopy(a.y(), 0, y, 0, a.y().length);
        System.arraycopy(b.y(), 0, y, a.y().length, b.y().length);
        return new TokenBatch(x, y, size, a.T());
    }

    @Override
    public long tokens(TokenBatch batch) { return batch.scored(); }
}
