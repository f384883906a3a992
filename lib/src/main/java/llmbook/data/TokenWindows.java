package llmbook.data;

import llmbook.tensor.Rng;

/**
 * Windows of {@code T + 1} consecutive tokens of a stream, as {@link TokenBatch}es: {@code x} is the window's first
 * {@code T} tokens and {@code y} the same tokens shifted by one, so every position predicts its next token. Q12.
 *
 * <ul>
 *   <li>{@link #random}: each window starts at an offset drawn from the trainer's RNG,
 *       {@code rng.nextInt(n − T)} — the reference run's sampling; any of the {@code n − T} windows, with repeats.</li>
 *   <li>{@link #sequential}: epochs over the non-overlapping windows at offsets {@code 0, T, 2T, …} in order; after the
 *       last one the next epoch starts again at 0. Every token is seen once per epoch.</li>
 * </ul>
 */
public final class TokenWindows implements Batches<TokenBatch> {
    private final int[] tokens;
    private final int T;
    private final boolean random;
    private long position;

    private TokenWindows(int[] tokens, int T, boolean random) {
        if (T < 1) throw new IllegalArgumentException("TokenWindows: context must be >= 1, got " + T);
        if (tokens.length < T + 1)
            throw new IllegalArgumentException("TokenWindows: need at least context + 1 = " + (T + 1) + " tokens, got " + tokens.length);
        this.tokens = tokens;
        this.T = T;
        this.random = random;
    }

    /** Windows at random offsets (drawn from the RNG {@link #next} is given). */
    public static TokenWindows random(int[] tokens, int T) { return new TokenWindows(tokens, T, true); }

    /** Sequential epochs over the non-overlapping windows. */
    public static TokenWindows sequential(int[] tokens, int T) { return new TokenWindows(tokens, T, false); }

    /** Tokens per window (the context). */
    public int context() { return T; }

    /** Non-overlapping windows in one epoch: {@code ⌊(n − 1) / T⌋}. */
    public int windowsPerEpoch() { return (tokens.length - 1) / T; }

    /** Completed epochs of a sequential source. */
    public long epoch() { return position / windowsPerEpoch(); }

    @Override
    public TokenBatch next(Rng rng, int B) {
        int[] x = new int[B * T], y = new int[B * T];
        for (int b = 0; b < B; b++) {
            int o = random ? rng.nextInt(tokens.length - T) : (int) (position++ % windowsPerEpoch()) * T;
            System.arraycopy(tokens, o, x, b * T, T);
            System.arraycopy(tokens, o + 1, y, b * T, T);
        }
        return new TokenBatch(x, y, B, T);
    }

    @Override public long tokens(TokenBatch batch) { return (long) batch.B() * batch.T(); }

    @Override public long position() { return position; }

    @Override
    public void seek(long position) {
        if (position < 0) throw new IllegalArgumentException("TokenWindows: position must be >= 0, got " + position);
        this.position = position;
    }
}
